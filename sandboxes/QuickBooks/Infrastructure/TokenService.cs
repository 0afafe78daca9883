using System.Security.Cryptography;
using System.Text;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Infrastructure;

/// <summary>
/// Intuit's OAuth 2.0 server, reduced to what a connected app sees: one-time authorization codes,
/// one-hour access tokens, rotating refresh tokens (the one exchanged is dead afterwards), per app and realm.
/// </summary>
public sealed class TokenService(SandboxState state, QboClock clock)
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromSeconds(8726400);
    public static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromMinutes(5);

    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public sealed record TokenPair(string AccessToken, string RefreshToken);

    /// <summary>Outcome of a token-endpoint call: HTTP status and the JSON body fields.</summary>
    public sealed record GrantOutcome(int Status, TokenPair? Tokens, string? Error, string? Description = null);

    /// <summary>Who a bearer token speaks for, or the fault to answer with.</summary>
    public sealed record Caller(string? ClientId, QboResult? Failure);

    public static string RandomText(int length) => RandomNumberGenerator.GetString(Alphanumeric, length);

    /// <summary>Issues a token pair for an app on a realm. Call under the state lock.</summary>
    public TokenPair Issue(string clientId, string realmId)
    {
        var data = state.Data;
        var now = clock.UtcNow;
        Prune(data, now);
        var access = "eyJ" + RandomText(5) + "." + RandomText(120);
        var refresh = "AB11" + now.AddSeconds(RefreshTokenLifetime.TotalSeconds).ToUnixTimeSeconds() + RandomText(40);
        data.AccessTokens[access] = new IssuedToken { ClientId = clientId, RealmId = realmId, ExpiresAt = now + AccessTokenLifetime };
        data.RefreshTokens[refresh] = new IssuedToken { ClientId = clientId, RealmId = realmId, ExpiresAt = now + RefreshTokenLifetime };
        state.Touch();
        return new TokenPair(access, refresh);
    }

    /// <summary>A one-time authorization code, as the redirect after consent carries. Call under the state lock.</summary>
    public string IssueCode(string clientId, string realmId, string? redirectUri)
    {
        var code = "AB11" + RandomText(46);
        state.Data.AuthorizationCodes[code] = new AuthorizationCode
        {
            ClientId = clientId, RealmId = realmId, RedirectUri = redirectUri, ExpiresAt = clock.UtcNow + AuthorizationCodeLifetime,
        };
        state.Touch();
        return code;
    }

    /// <summary>POST /oauth2/v1/tokens/bearer.</summary>
    public GrantOutcome Grant(string? authorization, IReadOnlyDictionary<string, string> form)
    {
        lock (state.Gate)
        {
            var app = Client(authorization, form);
            if (app is null)
                return new GrantOutcome(401, null, "invalid_client");
            var grantType = form.GetValueOrDefault("grant_type");
            return grantType switch
            {
                "authorization_code" => ExchangeCode(app, form),
                "refresh_token" => Refresh(app, form),
                null or "" => new GrantOutcome(400, null, "invalid_request", "grant_type is required"),
                _ => new GrantOutcome(400, null, "unsupported_grant_type"),
            };
        }
    }

    /// <summary>POST /oauth2/v1/tokens/revoke: ends the app's grant on that realm.</summary>
    public int Revoke(string? authorization, IReadOnlyDictionary<string, string> form)
    {
        lock (state.Gate)
        {
            var app = Client(authorization, form);
            if (app is null)
                return 401;
            var token = form.GetValueOrDefault("token");
            if (token is null)
                return 400;
            var issued = state.Data.RefreshTokens.GetValueOrDefault(token) ?? state.Data.AccessTokens.GetValueOrDefault(token);
            if (issued is null || issued.ClientId != app.ClientId)
                return 200;
            foreach (var t in state.Data.RefreshTokens.Values.Concat(state.Data.AccessTokens.Values))
            {
                if (t.ClientId == issued.ClientId && t.RealmId == issued.RealmId)
                    t.Revoked = true;
            }
            state.Data.Connections.RemoveAll(c => c.ClientId == issued.ClientId && c.RealmId == issued.RealmId);
            state.Touch();
            return 200;
        }
    }

    /// <summary>Checks the bearer token of an Accounting API call against the realm in the path.</summary>
    public Caller Authenticate(string? authorization, string realmId)
    {
        const string prefix = "Bearer ";
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return new Caller(null, QboResponses.AuthenticationFailed(null, clock));
        var token = authorization[prefix.Length..].Trim();
        lock (state.Gate)
        {
            if (!state.Data.AccessTokens.TryGetValue(token, out var issued) || issued.Revoked)
                return new Caller(null, QboResponses.AuthenticationFailed("Malformed bearer token: token is not recognised", clock));
            if (issued.ExpiresAt <= clock.UtcNow)
                return new Caller(null, QboResponses.AuthenticationFailed($"Token expired: {token[..Math.Min(20, token.Length)]}...", clock));
            if (issued.RealmId != realmId)
                return new Caller(null, QboResponses.AuthorizationFailed(clock));
            return new Caller(issued.ClientId, null);
        }
    }

    private GrantOutcome ExchangeCode(SandboxApp app, IReadOnlyDictionary<string, string> form)
    {
        var code = form.GetValueOrDefault("code");
        var redirectUri = form.GetValueOrDefault("redirect_uri");
        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(redirectUri))
            return new GrantOutcome(400, null, "invalid_request", "code and redirect_uri are required");
        if (!state.Data.AuthorizationCodes.TryGetValue(code, out var issued)
            || issued.Used
            || issued.ClientId != app.ClientId
            || issued.ExpiresAt <= clock.UtcNow
            || (issued.RedirectUri is not null && issued.RedirectUri != redirectUri)
            || !state.Data.Realms.ContainsKey(issued.RealmId))
            return new GrantOutcome(400, null, "invalid_grant");
        issued.Used = true;
        return new GrantOutcome(200, Issue(app.ClientId, issued.RealmId), null);
    }

    private GrantOutcome Refresh(SandboxApp app, IReadOnlyDictionary<string, string> form)
    {
        var token = form.GetValueOrDefault("refresh_token");
        if (string.IsNullOrEmpty(token))
            return new GrantOutcome(400, null, "invalid_request", "refresh_token is required");
        if (!state.Data.RefreshTokens.TryGetValue(token, out var issued)
            || issued.Superseded
            || issued.Revoked
            || issued.ClientId != app.ClientId
            || issued.ExpiresAt <= clock.UtcNow
            || !state.Data.Realms.ContainsKey(issued.RealmId))
            return new GrantOutcome(400, null, "invalid_grant", "Incorrect or invalid refresh token");
        issued.Superseded = true;
        return new GrantOutcome(200, Issue(app.ClientId, issued.RealmId), null);
    }

    /// <summary>client_secret_basic (the Authorization header) or client_secret_post (form fields).</summary>
    private SandboxApp? Client(string? authorization, IReadOnlyDictionary<string, string> form)
    {
        string? clientId = null, secret = null;
        if (authorization is not null && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':');
                if (colon > 0)
                {
                    clientId = Uri.UnescapeDataString(decoded[..colon]);
                    secret = Uri.UnescapeDataString(decoded[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
                return null;
            }
        }
        else
        {
            clientId = form.GetValueOrDefault("client_id");
            secret = form.GetValueOrDefault("client_secret");
        }
        if (clientId is null || secret is null || !state.Data.Apps.TryGetValue(clientId, out var app))
            return null;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(app.ClientSecret), Encoding.UTF8.GetBytes(secret)) ? app : null;
    }

    private static void Prune(SandboxData data, DateTimeOffset now)
    {
        foreach (var expired in data.AccessTokens.Where(t => t.Value.ExpiresAt < now - TimeSpan.FromDays(1)).Select(t => t.Key).ToList())
            data.AccessTokens.Remove(expired);
        foreach (var expired in data.RefreshTokens.Where(t => t.Value.ExpiresAt < now).Select(t => t.Key).ToList())
            data.RefreshTokens.Remove(expired);
        foreach (var expired in data.AuthorizationCodes.Where(c => c.Value.ExpiresAt < now).Select(c => c.Key).ToList())
            data.AuthorizationCodes.Remove(expired);
    }
}
