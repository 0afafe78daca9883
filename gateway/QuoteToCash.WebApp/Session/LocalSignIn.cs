using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.WebApp.Gateway;

namespace QuoteToCash.WebApp.Session;

/// <summary>The outcome of a sign-in: the token, or why not in words for the sign-in form.</summary>
public sealed record SignInOutcome(OperatorToken? Token, string? Refusal);

/// <summary>
/// Exchanges a username and password for an operator token at the gateway's local issuer (<c>POST /auth/token</c>,
/// on in Development and Local). Installations with an identity provider sign in through OIDC instead.
/// </summary>
public sealed class LocalSignIn(HttpClient http, ILogger<LocalSignIn> logger)
{
    public async Task<SignInOutcome> ExchangeAsync(string username, string password, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync("/auth/token", new { username, password }, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The gateway's token issuer did not answer");
            return new(null, "The gateway is not answering, so nobody can sign in just now. Try again in a minute.");
        }
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    var token = body.TryGetProperty("access_token", out var t) ? OperatorToken.Read(t.GetString() ?? "") : null;
                    return token is null
                        ? new(null, "The gateway answered without a usable token; ask an administrator to check its sign-in settings.")
                        : new(token, null);
                case HttpStatusCode.Unauthorized:
                    return new(null, "Unknown user or wrong password.");
                case HttpStatusCode.Forbidden:
                    return new(null, (await GatewayClient.ProblemAsync(response, cancellationToken)).Detail ?? "This user has no QuoteToCash role.");
                case HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed:
                    return new(null, "This installation does not issue its own sign-ins: sign in with your organisation's identity provider.");
                default:
                    return new(null, $"The gateway could not sign you in ({(int)response.StatusCode}); try again in a minute.");
            }
        }
    }
}
