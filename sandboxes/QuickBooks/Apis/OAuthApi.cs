using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Apis;

/// <summary>Intuit's OAuth 2.0 token endpoint (authorization_code and refresh_token grants), revocation and discovery.</summary>
public static class OAuthApi
{
    public const string TokenPath = "/oauth2/v1/tokens/bearer";

    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(TokenPath, Token).DisableAntiforgery();
        app.MapPost("/oauth2/v1/tokens/revoke", Revoke).DisableAntiforgery();
        app.MapPost("/v2/oauth2/tokens/revoke", Revoke).DisableAntiforgery();
        app.MapGet("/connect/oauth2", Consent);
        app.MapGet("/.well-known/openid_configuration", Discovery);
        app.MapGet("/.well-known/openid_sandbox_configuration", Discovery);
        return app;
    }

    private static async Task<IResult> Token(HttpContext http, TokenService tokens)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        if (!http.Request.HasFormContentType)
            return Error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var outcome = tokens.Grant(http.Request.Headers.Authorization, form.ToDictionary(f => f.Key, f => f.Value.ToString()));
        if (outcome.Tokens is null)
            return Error(outcome.Status, outcome.Error!, outcome.Description);
        return Results.Json(new JsonObject
        {
            ["token_type"] = "bearer",
            ["expires_in"] = (long)TokenService.AccessTokenLifetime.TotalSeconds,
            ["refresh_token"] = outcome.Tokens.RefreshToken,
            ["x_refresh_token_expires_in"] = (long)TokenService.RefreshTokenLifetime.TotalSeconds,
            ["access_token"] = outcome.Tokens.AccessToken,
        }, Json.Options);
    }

    private static async Task<IResult> Revoke(HttpContext http, TokenService tokens)
    {
        Dictionary<string, string> fields;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            fields = form.ToDictionary(f => f.Key, f => f.Value.ToString());
        }
        else
        {
            try
            {
                var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
                fields = body?.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => Json.Text(p.Value) ?? "") ?? [];
            }
            catch (JsonException)
            {
                return Error(400, "invalid_request", "The body must be JSON or a form");
            }
        }
        var status = tokens.Revoke(http.Request.Headers.Authorization, fields);
        return status switch
        {
            200 => Results.Ok(),
            401 => Error(401, "invalid_client", null),
            _ => Error(status, "invalid_request", "token is required"),
        };
    }

    /// <summary>
    /// The authorization page, without a user: consent is given at once and the browser is redirected to
    /// redirect_uri with code, state and realmId. The realm is the realmId parameter (a sandbox extension),
    /// or the only realm there is.
    /// </summary>
    private static IResult Consent(HttpContext http, SandboxAdmin admin)
    {
        var query = http.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(redirectUri) || query["response_type"].ToString() != "code")
            return Error(400, "invalid_request", "client_id, redirect_uri and response_type=code are required");
        var realmId = query["realmId"].ToString();
        if (string.IsNullOrEmpty(realmId))
        {
            var realms = admin.Realms();
            if (realms.Count != 1)
                return Error(400, "invalid_request", "Pass realmId: the sandbox has " + realms.Count + " companies");
            realmId = realms[0].Id;
        }
        var grant = admin.Connect(realmId, clientId, redirectUri);
        if (grant is null)
            return Error(400, "invalid_request", "Unknown client_id or realmId");
        var separator = redirectUri.Contains('?') ? '&' : '?';
        var location = $"{redirectUri}{separator}code={Uri.EscapeDataString(grant.AuthorizationCode)}&state={Uri.EscapeDataString(query["state"].ToString())}&realmId={grant.RealmId}";
        return Results.Redirect(location);
    }

    /// <summary>Intuit's discovery document, pointing at this sandbox.</summary>
    private static IResult Discovery(HttpContext http)
    {
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        return Results.Json(new JsonObject
        {
            ["issuer"] = "https://oauth.platform.intuit.com/op/v1",
            ["authorization_endpoint"] = origin + "/connect/oauth2",
            ["token_endpoint"] = origin + TokenPath,
            ["userinfo_endpoint"] = origin + "/v1/openid_connect/userinfo",
            ["revocation_endpoint"] = origin + "/v2/oauth2/tokens/revoke",
            ["response_types_supported"] = new JsonArray("code"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "refresh_token"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "client_secret_basic"),
            ["scopes_supported"] = new JsonArray("openid", "email", "profile", "address", "phone", "com.intuit.quickbooks.accounting", "com.intuit.quickbooks.payment"),
        }, Json.Options);
    }

    private static IResult Error(int status, string error, string? description)
    {
        var body = new JsonObject { ["error"] = error };
        if (description is not null)
            body["error_description"] = description;
        return Results.Json(body, Json.Options, statusCode: status);
    }
}
