using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.Gateway.Apis;

/// <summary>Bound from <c>Auth:DevIssuer</c>. A local token issuer for the embedded default; off unless enabled.</summary>
public sealed class DevIssuerOptions
{
    public const string Section = "Auth:DevIssuer";

    public bool Enabled { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public Dictionary<string, DevUser> Users { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public sealed class DevUser
    {
        public string Password { get; set; } = string.Empty;
        public List<string> Roles { get; set; } = [];
        public List<string> Tenants { get; set; } = [];
    }
}

public static class DevTokenIssuer
{
    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record TokenResponse(string access_token, string token_type, int expires_in);

    public static IEndpointRouteBuilder MapDevTokenIssuer(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<DevIssuerOptions>>().Value;
        if (options.Enabled)
            app.MapPost("/auth/token", IssueToken).AllowAnonymous().WithTags("Local sign-in");
        return app;
    }

    public static Results<Ok<TokenResponse>, ProblemHttpResult> IssueToken(TokenRequest request, IOptions<DevIssuerOptions> issuer,
        IOptions<OperatorAuthOptions> auth, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password) ||
            !issuer.Value.Users.TryGetValue(request.Username, out var user) || !PasswordMatches(user.Password, request.Password))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "Unknown user or wrong password.");
        }

        var roles = user.Roles.Where(Roles.All.Contains).ToList();
        if (roles.Count == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No role", detail: $"User '{request.Username}' has no QuoteToCash role.");

        var now = time.GetUtcNow();
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, request.Username.ToLowerInvariant()),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new("name", request.Username),
        };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        claims.AddRange(user.Tenants.Select(t => new Claim(OperatorAuthenticationExtensions.TenantsClaim, t)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Value.Issuer,
            Audience = auth.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + issuer.Value.TokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(auth.Value.SymmetricKey(), SecurityAlgorithms.HmacSha256),
        });
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)issuer.Value.TokenLifetime.TotalSeconds));
    }

    private static bool PasswordMatches(string expected, string given) =>
        !string.IsNullOrEmpty(expected) &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}
