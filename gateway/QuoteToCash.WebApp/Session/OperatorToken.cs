using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace QuoteToCash.WebApp.Session;

/// <summary>
/// The claims of an operator token the web app was just given by the gateway (or the identity provider) over its own
/// connection. The web app does not validate the signature: it never trusts the token for anything itself, it only
/// shows what the token's holder may do and forwards the token; every service validates it on every call.
/// </summary>
public sealed record OperatorToken(string AccessToken, string Subject, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Tenants,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Reads the token; null when it is not a JWT at all.</summary>
    public static OperatorToken? Read(string accessToken)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(accessToken);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var claims = jwt.Claims.ToList();
        var subject = claims.FirstOrDefault(c => c.Type == "sub")?.Value ?? "unknown";
        var name = claims.FirstOrDefault(c => c.Type is "name" or "preferred_username")?.Value ?? subject;
        var roles = claims.Where(c => c.Type is "role" or "roles").Select(c => c.Value).Distinct().ToList();
        var tenants = claims.Where(c => c.Type == FinanceUser.TenantsClaim).Select(c => c.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var expires = jwt.ValidTo == DateTime.MinValue ? DateTimeOffset.MaxValue : new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
        return new OperatorToken(accessToken, subject, name, roles, tenants, expires);
    }

    /// <summary>The cookie session's identity: name, roles and tenants, nothing else.</summary>
    public ClaimsPrincipal ToPrincipal(string authenticationType)
    {
        var claims = new List<Claim> { new("sub", Subject), new("name", Name) };
        claims.AddRange(Roles.Select(r => new Claim(FinanceUser.RoleClaim, r)));
        claims.AddRange(Tenants.Select(t => new Claim(FinanceUser.TenantsClaim, t)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, "name", FinanceUser.RoleClaim));
    }
}
