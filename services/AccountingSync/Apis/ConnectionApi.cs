using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Apis;

/// <summary>A tenant's QuickBooks connection: where its company lives and with which app. Secrets go in, never out.</summary>
public static class ConnectionApi
{
    public static IEndpointRouteBuilder MapConnectionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounting/{tenant}").RequireTenantAccess().WithTags("QuickBooks connection");
        api.MapGet("/connection", GetConnection);
        api.MapPut("/connection", PutConnection).RequireAuthorization(Policies.Admin);
        api.MapDelete("/connection", DeleteConnection).RequireAuthorization(Policies.Admin);
        return app;
    }

    public sealed record ConnectionRequest
    {
        /// <summary>"sandbox" or "production".</summary>
        public string? Environment { get; init; }
        /// <summary>API base, e.g. https://quickbooks.api.intuit.com or https://sandbox-quickbooks.api.intuit.com.</summary>
        public string? BaseUrl { get; init; }
        public string? TokenUrl { get; init; }
        public string? RealmId { get; init; }
        public string? ClientId { get; init; }
        public string? ClientSecret { get; init; }
        /// <summary>Either a refresh token from an earlier consent, or an authorization code with its redirect URI.</summary>
        public string? RefreshToken { get; init; }
        public string? AuthorizationCode { get; init; }
        public string? RedirectUri { get; init; }
        /// <summary>The app's webhook verifier token, to check intuit-signature.</summary>
        public string? VerifierToken { get; init; }
    }

    public sealed record ConnectionView(string TenantId, string Environment, string BaseUrl, string TokenUrl, string RealmId, string ClientId,
        string Status, string? StatusReason, DateTime? AccessTokenExpiresAt, DateTime? RefreshTokenExpiresAt, int TokenRefreshes,
        bool HasVerifierToken, DateTime Connected, DateTime Updated);

    public static ConnectionView View(QboConnection c) => new(c.TenantId, c.Environment, c.BaseUrl, c.TokenUrl, c.RealmId, c.ClientId,
        c.Status.ToString(), c.StatusReason, c.AccessTokenExpiresAt, c.RefreshTokenExpiresAt, c.TokenRefreshes,
        c.ProtectedVerifierToken is not null, c.Connected, c.Updated);

    public static async Task<Results<Ok<ConnectionView>, ProblemHttpResult>> GetConnection(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var document = await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenant, cancellationToken);
        return document is null
            ? ApiProblems.NotFound("Not connected", $"Tenant '{tenant}' has no QuickBooks connection yet.")
            : TypedResults.Ok(View(document.Value));
    }

    /// <summary>
    /// Stores the connection once its URLs pass the outbound policy (<see cref="OutboundPolicy"/>: QuickBooks hosts only,
    /// no loopback, private or link-local address) and, for an authorization code, once QuickBooks has exchanged it for
    /// tokens. A refused code is a 400, an unusable or failed answer a 502, no answer in time a 504; none of them carries
    /// what the token endpoint said, and none stores anything.
    /// </summary>
    public static async Task<Results<Ok<ConnectionView>, ValidationProblem, ProblemHttpResult>> PutConnection(string tenant, ConnectionRequest request,
        IDocumentStore store, IUnitOfWork unitOfWork, QboTokenManager tokens, OutboundPolicy outbound, IOptions<ReferenceDataOptions> referenceData,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The QuickBooks connection is incomplete");
        foreach (var (field, url) in new[] { ("baseUrl", request.BaseUrl), ("tokenUrl", request.TokenUrl) })
        {
            var decision = await outbound.CheckAsync(OutboundVendors.QuickBooks, url, cancellationToken);
            if (!decision.Allowed)
                errors[field] = [decision.Reason!];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The QuickBooks connection points somewhere it may not");

        var refreshToken = request.RefreshToken;
        string? accessToken = null;
        DateTime? accessExpires = null, refreshExpires = null;
        var now = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(request.AuthorizationCode))
        {
            const string operation = "authorization code exchange";
            try
            {
                var exchanged = await tokens.ExchangeAuthorizationCodeAsync(request.TokenUrl!, request.ClientId!, request.ClientSecret!,
                    request.AuthorizationCode, request.RedirectUri!, cancellationToken);
                refreshToken = exchanged.RefreshToken;
                accessToken = exchanged.AccessToken;
                accessExpires = (now + TimeSpan.FromSeconds(exchanged.ExpiresIn)).UtcDateTime;
                if (exchanged.RefreshTokenExpiresIn is { } lifetime)
                    refreshExpires = (now + TimeSpan.FromSeconds(lifetime)).UtcDateTime;
            }
            catch (OutboundAnswerException exception)
            {
                return OutboundProblems.Answer(exception,
                    "The code may have expired or been used already, or the client ID, client secret or redirect URI do not match it: start the connect flow again.");
            }
            catch (OutboundRefusedException exception)
            {
                return OutboundProblems.Refused(exception);
            }
            catch (HttpRequestException)
            {
                return OutboundProblems.Unreachable(OutboundVendors.QuickBooks, operation);
            }
            catch (Exception exception) when (OutboundProblems.IsTimeout(exception, cancellationToken))
            {
                return OutboundProblems.TimedOut(OutboundVendors.QuickBooks, operation, outbound.Options.TokenTimeout);
            }
        }

        var protector = tokens.Protector;
        var existing = await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenant, cancellationToken);
        var connection = new QboConnection
        {
            TenantId = tenant,
            Environment = string.IsNullOrWhiteSpace(request.Environment) ? "production" : request.Environment.Trim().ToLowerInvariant(),
            BaseUrl = request.BaseUrl!.TrimEnd('/'),
            TokenUrl = request.TokenUrl!,
            RealmId = request.RealmId!.Trim(),
            ClientId = request.ClientId!,
            ProtectedClientSecret = protector.Protect(request.ClientSecret!),
            ProtectedRefreshToken = protector.Protect(refreshToken!),
            ProtectedAccessToken = accessToken is null ? null : protector.Protect(accessToken),
            AccessTokenExpiresAt = accessExpires,
            RefreshTokenExpiresAt = refreshExpires,
            ProtectedVerifierToken = string.IsNullOrEmpty(request.VerifierToken) ? existing?.Value.ProtectedVerifierToken : protector.Protect(request.VerifierToken),
            Status = QboConnectionStatus.Connected,
            Connected = existing?.Value.Connected ?? now.UtcDateTime,
            Updated = now.UtcDateTime,
            TokenRefreshes = existing?.Value.TokenRefreshes ?? 0,
        };
        unitOfWork.Upsert(QboConnection.CollectionName, tenant, connection);
        // A paused realm's queues resume on their next pass, commands that arrived meanwhile go again, and its
        // AuthorizationExpired exception resolves.
        await OutboundQueue.ReleaseParkedAsync(unitOfWork, tenant, cancellationToken);
        unitOfWork.Publish(new SyncSucceeded
        {
            TenantId = tenant, Entity = QboTokenManager.ConnectionEntity, EntityId = tenant, Operation = QboTokenManager.AuthorizeOperation,
            AccountingId = connection.RealmId, SucceededAt = now,
        });
        // Reads the company's lists now and then every RefreshInterval; saving the connection again re-arms the job.
        unitOfWork.Schedule(ReferenceDataOptions.RecurringJobId(tenant), now, new RefreshReferenceData { TenantId = tenant }, referenceData.Value.RefreshInterval);
        await unitOfWork.CommitAsync(cancellationToken);
        tokens.Forget(tenant);
        return TypedResults.Ok(View(connection));
    }

    public static async Task<NoContent> DeleteConnection(string tenant, IUnitOfWork unitOfWork, QboTokenManager tokens, CancellationToken cancellationToken)
    {
        unitOfWork.Delete(QboConnection.CollectionName, tenant);
        unitOfWork.CancelScheduled(ReferenceDataOptions.RecurringJobId(tenant));
        unitOfWork.CancelScheduled(ReferenceDataOptions.ChangeJobId(tenant));
        await unitOfWork.CommitAsync(cancellationToken);
        tokens.Forget(tenant);
        return TypedResults.NoContent();
    }

    private static Dictionary<string, string[]> Validate(ConnectionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        static bool IsUrl(string? value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        if (!IsUrl(request.BaseUrl))
            errors["baseUrl"] = ["The QuickBooks API base URL (http or https) is required."];
        if (!IsUrl(request.TokenUrl))
            errors["tokenUrl"] = ["The OAuth token endpoint URL is required."];
        if (string.IsNullOrWhiteSpace(request.RealmId) || !request.RealmId.Trim().All(char.IsAsciiDigit))
            errors["realmId"] = ["The QuickBooks company ID (realmId, digits) is required."];
        if (string.IsNullOrWhiteSpace(request.ClientId))
            errors["clientId"] = ["The app's client ID is required."];
        if (string.IsNullOrWhiteSpace(request.ClientSecret))
            errors["clientSecret"] = ["The app's client secret is required."];
        if (string.IsNullOrWhiteSpace(request.RefreshToken) && string.IsNullOrWhiteSpace(request.AuthorizationCode))
            errors["refreshToken"] = ["Give a refresh token, or an authorization code with its redirect URI."];
        if (!string.IsNullOrWhiteSpace(request.AuthorizationCode) && !IsUrl(request.RedirectUri))
            errors["redirectUri"] = ["An authorization code needs the redirect URI it was issued for."];
        if (request.Environment is { } env && env.Trim().ToLowerInvariant() is not ("sandbox" or "production"))
            errors["environment"] = ["Use 'sandbox' or 'production'."];
        return errors;
    }
}
