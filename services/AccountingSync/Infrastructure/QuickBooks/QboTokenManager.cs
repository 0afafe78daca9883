using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>Where and with what token to call QuickBooks for a tenant.</summary>
public sealed record QboAccess(string TenantId, string BaseUrl, string RealmId, string AccessToken);

/// <summary>
/// OAuth tokens per tenant: cached access tokens, and at most one refresh at a time per realm. A rotated
/// refresh token is committed to the store before the new access token is used, so a crash can never
/// lose it. A refused refresh token turns the connection into "needs re-authorisation" and publishes
/// <see cref="QuickBooksReauthorizationRequired"/>, instead of crashing anything.
/// </summary>
public sealed class QboTokenManager(
    IDocumentStore store,
    IDataProtectionProvider dataProtection,
    IHttpClientFactory httpClients,
    OutboxDelivery outbox,
    TimeProvider time,
    ILogger<QboTokenManager> logger)
{
    public const string HttpClientName = "quickbooks-oauth";
    public const string ProtectorPurpose = "QuoteToCash.AccountingSync.QuickBooks.Secrets.v1";
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshGates = new();
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> _cache = new();

    public IDataProtector Protector { get; } = dataProtection.CreateProtector(ProtectorPurpose);

    public async Task<QboAccess> GetAccessAsync(string tenantId, CancellationToken cancellationToken)
    {
        var connection = await LoadAsync(tenantId, cancellationToken);
        if (_cache.TryGetValue(tenantId, out var cached) && cached.ExpiresAt - ExpiryMargin > time.GetUtcNow())
            return new QboAccess(tenantId, connection.Value.BaseUrl, connection.Value.RealmId, cached.Token);
        return await RefreshAsync(tenantId, rejectedAccessToken: null, cancellationToken);
    }

    /// <summary>Refreshes unless another caller already did since <paramref name="rejectedAccessToken"/> was handed out.</summary>
    public async Task<QboAccess> RefreshAsync(string tenantId, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        var gate = _refreshGates.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = await LoadAsync(tenantId, cancellationToken);
            var connection = current.Value;
            var now = time.GetUtcNow();
            if (connection.ProtectedAccessToken is { } protectedAccess && connection.AccessTokenExpiresAt is { } expires &&
                new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)) - ExpiryMargin > now)
            {
                var stored = Protector.Unprotect(protectedAccess);
                if (stored != rejectedAccessToken)
                {
                    _cache[tenantId] = (stored, new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)));
                    return new QboAccess(tenantId, connection.BaseUrl, connection.RealmId, stored);
                }
            }
            return await RefreshWithQuickBooksAsync(current, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Exchanges a one-time authorization code (the connect flow). Throws <see cref="OutboundAnswerException"/> for a non-200
    /// or a 200 without tokens (the remote body is logged, never carried), <see cref="OutboundRefusedException"/> when the
    /// policy will not connect, and <see cref="TaskCanceledException"/> when the token endpoint does not answer in time.
    /// </summary>
    public async Task<TokenResponse> ExchangeAuthorizationCodeAsync(string tokenUrl, string clientId, string clientSecret, string code, string redirectUri,
        CancellationToken cancellationToken)
    {
        const string operation = "authorization code exchange";
        var (status, body) = await PostTokenAsync(tokenUrl, clientId, clientSecret,
            [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUri)], cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            // The body stays in the log: a token endpoint's error text is not the caller's to read.
            logger.LogWarning("QuickBooks token endpoint {TokenUrl} answered {Status} to the {Operation}: {Body}", tokenUrl, (int)status, operation,
                OutboundProblems.ForLog(body));
            throw new OutboundAnswerException(OutboundVendors.QuickBooks, operation, OutboundAnswerException.KindOf(status), status);
        }
        return ReadTokens(tokenUrl, operation, status, body);
    }

    /// <summary>
    /// The tokens of a 200 answer, or <see cref="OutboundAnswerException"/> (<see cref="OutboundAnswerKind.Unusable"/>) when
    /// it is not JSON or lacks either token. Only the shape is logged: a token answer's values are secrets.
    /// </summary>
    private TokenResponse ReadTokens(string tokenUrl, string operation, HttpStatusCode status, string body)
    {
        TokenResponse? tokens = null;
        string shape;
        try
        {
            using var document = JsonDocument.Parse(body);
            shape = document.RootElement.ValueKind == JsonValueKind.Object
                ? "{" + string.Join(",", document.RootElement.EnumerateObject().Select(p => p.Name)) + "}"
                : document.RootElement.ValueKind.ToString();
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                tokens = document.RootElement.Deserialize<TokenResponse>();
        }
        catch (JsonException)
        {
            shape = $"not JSON ({body.Length} characters)";
        }
        if (tokens is { AccessToken.Length: > 0, RefreshToken.Length: > 0, ExpiresIn: > 0 })
            return tokens;
        logger.LogWarning("QuickBooks token endpoint {TokenUrl} answered {Status} to the {Operation} without usable tokens; shape {Shape}", tokenUrl, (int)status,
            operation, shape);
        throw new OutboundAnswerException(OutboundVendors.QuickBooks, operation, OutboundAnswerKind.Unusable, status);
    }

    /// <summary>The entity and operation the exception queue files a connection's authorisation under (with the tenant ID).</summary>
    public const string ConnectionEntity = ExceptionRules.ConnectionEntity;
    public const string AuthorizeOperation = "Authorize";

    public void Forget(string tenantId) => _cache.TryRemove(tenantId, out _);

    private async Task<QboAccess> RefreshWithQuickBooksAsync(StoredDocument<QboConnection> current, CancellationToken cancellationToken)
    {
        var connection = current.Value;
        if (connection.Status == QboConnectionStatus.NeedsReauthorization)
            throw NeedsReauthorization(connection);

        var refreshToken = Protector.Unprotect(connection.ProtectedRefreshToken);
        var (status, body) = await PostTokenAsync(connection.TokenUrl, connection.ClientId, Protector.Unprotect(connection.ProtectedClientSecret),
            [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], cancellationToken);

        if (status == HttpStatusCode.OK)
        {
            TokenResponse tokens;
            try
            {
                tokens = ReadTokens(connection.TokenUrl, "token refresh", status, body);
            }
            catch (OutboundAnswerException exception)
            {
                // The stored tokens stay as they are: an answer without tokens must not overwrite the ones that still work.
                throw new QboException(QboErrorKind.Transient, status,
                    [new QboErrorDetail("unusable-token-response", "QuickBooks answered the token refresh without usable tokens", null, null)], "OAuth", exception);
            }
            var now = time.GetUtcNow();
            connection.ProtectedRefreshToken = Protector.Protect(tokens.RefreshToken);
            connection.ProtectedAccessToken = Protector.Protect(tokens.AccessToken);
            connection.AccessTokenExpiresAt = (now + TimeSpan.FromSeconds(tokens.ExpiresIn)).UtcDateTime;
            if (tokens.RefreshTokenExpiresIn is { } refreshLifetime)
                connection.RefreshTokenExpiresAt = (now + TimeSpan.FromSeconds(refreshLifetime)).UtcDateTime;
            connection.TokenRefreshes++;
            connection.Updated = now.UtcDateTime;
            try
            {
                // The rotated refresh token is durable before anything uses the new access token.
                await store.ReplaceAsync(QboConnection.CollectionName, current, connection, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // Another replica refreshed at the same moment: its tokens are the ones QuickBooks honours now.
                var latest = await LoadAsync(connection.TenantId, cancellationToken);
                return CacheStored(latest.Value);
            }
            _cache[connection.TenantId] = (tokens.AccessToken, now + TimeSpan.FromSeconds(tokens.ExpiresIn));
            logger.LogInformation("QuickBooks tokens refreshed for tenant {Tenant} (realm {Realm})", connection.TenantId, connection.RealmId);
            return new QboAccess(connection.TenantId, connection.BaseUrl, connection.RealmId, tokens.AccessToken);
        }

        logger.LogWarning("QuickBooks token endpoint {TokenUrl} answered {Status} to the token refresh of tenant {Tenant}: {Body}", connection.TokenUrl, (int)status,
            connection.TenantId, OutboundProblems.ForLog(body));
        var fault = QboFaultParser.FromResponse(status, body);
        var invalidGrant = status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized &&
                           fault.Errors.Any(e => e.Code == "invalid_grant" || e.Code == "invalid_client");
        if (!invalidGrant)
            throw new QboException(QboErrorKind.Transient, status, fault.Errors, "OAuth");

        var reloaded = await LoadAsync(connection.TenantId, cancellationToken);
        if (reloaded.Value.ProtectedRefreshToken != current.Value.ProtectedRefreshToken)
            return CacheStored(reloaded.Value); // superseded by another replica's refresh, not revoked

        reloaded.Value.Status = QboConnectionStatus.NeedsReauthorization;
        reloaded.Value.StatusReason = $"QuickBooks refused the refresh token ({fault.Errors.FirstOrDefault()?.Code}); reconnect the QuickBooks company.";
        reloaded.Value.ProtectedAccessToken = null;
        reloaded.Value.Updated = time.GetUtcNow().UtcDateTime;
        var unitOfWork = new UnitOfWork(store, outbox, time);
        unitOfWork.Replace(QboConnection.CollectionName, reloaded, reloaded.Value);
        unitOfWork.Publish(new QuickBooksReauthorizationRequired
        {
            TenantId = reloaded.Value.TenantId,
            RealmId = reloaded.Value.RealmId,
            Reason = reloaded.Value.StatusReason,
            DetectedAt = time.GetUtcNow(),
        });
        // One exception for the realm: its queues pause (nothing is lost) until someone reconnects QuickBooks.
        unitOfWork.Publish(new OpenSyncException
        {
            TenantId = reloaded.Value.TenantId,
            Kind = SyncExceptionKind.AuthorizationExpired,
            Entity = ConnectionEntity,
            EntityId = reloaded.Value.TenantId,
            Operation = AuthorizeOperation,
            AccountingId = reloaded.Value.RealmId,
            Message = $"The QuickBooks connection to company {reloaded.Value.RealmId} has expired or was revoked. Nothing is posted to QuickBooks for this tenant until it is reconnected; queued invoices, adjustments and customers wait and nothing is lost.",
            SuggestedFix = "An administrator reconnects QuickBooks (sign in to Intuit again and save the connection); the queue then resumes by itself and this exception resolves.",
            Detail = reloaded.Value.StatusReason,
            OccurredAt = time.GetUtcNow(),
        });
        try
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
        }
        _cache.TryRemove(connection.TenantId, out _);
        logger.LogWarning("QuickBooks connection of tenant {Tenant} needs re-authorisation: {Reason}", connection.TenantId, reloaded.Value.StatusReason);
        throw NeedsReauthorization(reloaded.Value);
    }

    private QboAccess CacheStored(QboConnection connection)
    {
        if (connection.Status == QboConnectionStatus.NeedsReauthorization || connection.ProtectedAccessToken is null || connection.AccessTokenExpiresAt is null)
            throw NeedsReauthorization(connection);
        var token = Protector.Unprotect(connection.ProtectedAccessToken);
        _cache[connection.TenantId] = (token, new DateTimeOffset(DateTime.SpecifyKind(connection.AccessTokenExpiresAt.Value, DateTimeKind.Utc)));
        return new QboAccess(connection.TenantId, connection.BaseUrl, connection.RealmId, token);
    }

    private static QboException NeedsReauthorization(QboConnection connection) =>
        new(QboErrorKind.Authentication, HttpStatusCode.Unauthorized,
            [new QboErrorDetail("reauthorization-required", "QuickBooks connection needs re-authorisation", connection.StatusReason, null)], "OAuth");

    private async Task<StoredDocument<QboConnection>> LoadAsync(string tenantId, CancellationToken cancellationToken) =>
        await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenantId, cancellationToken)
        ?? throw new QboException(QboErrorKind.Authentication, null,
            [new QboErrorDetail("not-connected", $"Tenant '{tenantId}' has no QuickBooks connection.", "Connect a QuickBooks company first.", null)], "OAuth");

    private async Task<(HttpStatusCode Status, string Body)> PostTokenAsync(string tokenUrl, string clientId, string clientSecret,
        IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public sealed record TokenResponse
    {
        [System.Text.Json.Serialization.JsonPropertyName("access_token")] public string AccessToken { get; init; } = string.Empty;
        [System.Text.Json.Serialization.JsonPropertyName("refresh_token")] public string RefreshToken { get; init; } = string.Empty;
        [System.Text.Json.Serialization.JsonPropertyName("expires_in")] public int ExpiresIn { get; init; } = 3600;
        [System.Text.Json.Serialization.JsonPropertyName("x_refresh_token_expires_in")] public int? RefreshTokenExpiresIn { get; init; }
        [System.Text.Json.Serialization.JsonPropertyName("token_type")] public string? TokenType { get; init; }
    }
}
