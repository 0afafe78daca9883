using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Apis;

/// <summary>Bearer private-app tokens, then the per-app rate limits with HubSpot's headers and 429 body.</summary>
internal static class PrivateAppAuthentication
{
    private const string CallerKey = "hubspot.caller";

    public static Caller Caller(this HttpContext context) => (Caller)context.Items[CallerKey]!;

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var store = http.RequestServices.GetRequiredService<HubSpotStore>();
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var caller = store.Authenticate(token);
        if (caller is null)
        {
            return ApiResult.Error(StatusCodes.Status401Unauthorized, "INVALID_AUTHENTICATION", string.IsNullOrEmpty(token)
                ? "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
                : "Authentication credentials are not valid: the private app access token is unknown or has been rotated.");
        }

        var limiter = http.RequestServices.GetRequiredService<HubSpotRateLimiter>();
        var decision = limiter.Check(caller, http.Request.Path.Value?.EndsWith("/search", StringComparison.Ordinal) == true);
        var headers = http.Response.Headers;
        headers["X-HubSpot-RateLimit-Daily"] = decision.Daily.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-HubSpot-RateLimit-Daily-Remaining"] = decision.DailyRemaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = decision.IntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-HubSpot-RateLimit-Max"] = decision.Max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-HubSpot-RateLimit-Remaining"] = decision.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            var message = decision.Policy switch
            {
                "DAILY" => "You have reached your daily limit.",
                "SECONDLY" => "You have reached your secondly limit.",
                _ => "You have reached your ten_secondly_rolling limit.",
            };
            return new ApiResult(StatusCodes.Status429TooManyRequests, new JsonObject
            {
                ["status"] = "error",
                ["message"] = message,
                ["errorType"] = "RATE_LIMIT",
                ["correlationId"] = Guid.NewGuid().ToString(),
                ["policyName"] = decision.Policy,
                ["requestId"] = Guid.NewGuid().ToString(),
            });
        }
        http.Items[CallerKey] = caller;
        return await next(invocation);
    }
}
