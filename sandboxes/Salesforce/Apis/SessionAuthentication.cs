using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using QuoteToCash.Sandbox.Salesforce.Domain;
using QuoteToCash.Sandbox.Salesforce.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Apis;

/// <summary>Checks the API version in the path and the OAuth access token ("Bearer" or "OAuth" scheme).</summary>
internal static partial class SessionAuthentication
{
    private const string CallerKey = "salesforce.caller";
    private const int DailyApiRequests = 15_000;
    private static readonly ConcurrentDictionary<(string, DateOnly), int> Usage = new();

    public static SfCaller Caller(this HttpContext context) => (SfCaller)context.Items[CallerKey]!;

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var version = http.Request.RouteValues["version"]?.ToString() ?? "";
        var match = VersionPattern().Match(version);
        if (!match.Success || int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is < 20 or > 66)
            return ApiResult.NotFound();
        var header = http.Request.Headers.Authorization.ToString();
        string? token = null;
        foreach (var scheme in new[] { "Bearer ", "OAuth " })
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                token = header[scheme.Length..].Trim();
        }
        var client = http.Request.Headers["Sforce-Call-Options"].ToString().Split(',')
            .Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("client=", StringComparison.OrdinalIgnoreCase))?["client=".Length..];
        var caller = http.RequestServices.GetRequiredService<SalesforceStore>().Authenticate(token, version[1..], client);
        if (caller is null)
            return ApiResult.Errors(StatusCodes.Status401Unauthorized, new SfError("INVALID_SESSION_ID", "Session expired or invalid"));
        var used = Usage.AddOrUpdate((caller.OrgId, DateOnly.FromDateTime(DateTime.UtcNow)), 1, (_, n) => n + 1);
        http.Response.Headers["Sforce-Limit-Info"] = $"api-usage={used}/{DailyApiRequests}";
        http.Items[CallerKey] = caller;
        return await next(invocation);
    }

    [GeneratedRegex(@"^v(\d{2})\.0$")]
    private static partial Regex VersionPattern();
}
