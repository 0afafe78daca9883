using QuoteToCash.Sandbox.Salesforce.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Apis;

/// <summary>POST /services/oauth2/token with client_credentials, password or refresh_token (form or query parameters).</summary>
public static class OAuthApi
{
    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/services/oauth2/token", async (HttpRequest request, SalesforceStore store) =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in request.Query)
                values[key] = value.ToString();
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                foreach (var (key, value) in form)
                    values[key] = value.ToString();
            }
            var (status, body) = store.IssueToken(values, RequestReading.InstanceUrl(request));
            return new ApiResult(status, body);
        }).DisableAntiforgery();
        return endpoints;
    }
}
