using System.Security.Claims;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.Testing.Scenarios;

/// <summary>The firm's people as the APIs see them after sign-in: a name, a role and the tenant they act for.</summary>
public static class Operators
{
    public static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim("sub", name), new Claim("role", role), new Claim("tenants", Tenant)], "test", "sub", "role"));
}
