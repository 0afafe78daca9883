using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.Gateway.Apis;

public static class ApiFallback
{
    /// <summary>Any /api path no service owns: 401 without a token, 404 problem+json with one.</summary>
    public static IEndpointRouteBuilder MapApiFallback(this IEndpointRouteBuilder app)
    {
        app.MapFallback("/api/{**path}", (HttpContext context) => Results.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "No such API", detail: $"No QuoteToCash API answers '{context.Request.Path}'."))
            .RequireAuthorization(Policies.Operator);
        return app;
    }
}
