using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>
/// A service's OpenAPI documents describe every route, parameter and role of its API: only operators may read them, in
/// every environment. An OpenAPI document endpoint is a route with a <c>{documentName}</c> parameter (what
/// <c>MapOpenApi</c> maps); an anonymous caller gets the usual 401 problem, a token without an operator role 403.
/// </summary>
public static class OpenApiAccess
{
    /// <summary>The route parameter that marks an OpenAPI document endpoint.</summary>
    public const string DocumentNameParameter = "documentName";

    /// <summary>True when the endpoint serves an OpenAPI document.</summary>
    public static bool IsOpenApiDocument(Endpoint? endpoint) =>
        endpoint is RouteEndpoint route && route.RoutePattern.GetParameter(DocumentNameParameter) is not null;

    /// <summary>Requires an operator token for OpenAPI documents. Call after authentication.</summary>
    public static IApplicationBuilder UseOpenApiForOperatorsOnly(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsOpenApiDocument(context.GetEndpoint()) && !context.User.IsOperator())
            {
                if (context.User.Identity?.IsAuthenticated == true)
                    await context.ForbidAsync();
                else
                    await context.ChallengeAsync();
                return;
            }
            await next(context);
        });
}
