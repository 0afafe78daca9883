using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>Tenant isolation at the edge of every service API: the route's {tenant} must be one the operator may act for.</summary>
public static partial class TenantAccess
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex TenantPattern();

    public static bool IsValidTenantId(string? tenantId) => tenantId is not null && TenantPattern().IsMatch(tenantId);

    /// <summary>Requires an operator token and access to the route's <c>{tenant}</c>; 400 for a malformed tenant ID, 403 for another tenant's data.</summary>
    public static RouteGroupBuilder RequireTenantAccess(this RouteGroupBuilder group, string policy = Policies.Operator)
    {
        group.RequireAuthorization(policy);
        group.AddEndpointFilter(async (context, next) =>
        {
            var tenant = context.HttpContext.GetRouteValue("tenant") as string;
            if (!IsValidTenantId(tenant))
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid tenant",
                    detail: "A tenant ID is 1–63 lower-case letters, digits or dashes, starting with a letter or digit.");
            if (!context.HttpContext.User.CanAccessTenant(tenant!))
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed for this tenant",
                    detail: $"Your account has no access to tenant '{tenant}'.");
            return await next(context);
        });
        return group;
    }
}
