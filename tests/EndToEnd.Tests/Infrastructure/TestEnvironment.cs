using QuoteToCash.Testing;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace QuoteToCash.EndToEnd.Tests.Infrastructure;

/// <summary>What every end-to-end test needs: the broker, a scratch directory and operator tokens.</summary>
public static class TestEnvironment
{
    public static string? RabbitMqUri => System.Environment.GetEnvironmentVariable("RABBITMQ_URI") is { Length: > 0 } uri ? uri : null;

    public static void RequireRabbitMq() =>
        Assert.SkipWhen(RabbitMqUri is null, "RABBITMQ_URI is not set: the end-to-end tests need a real RabbitMQ (test.sh starts one).");

    public static string NewScratchDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"q2c-e2e-{purpose}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>A token like the local issuer's, for calling a service directly.</summary>
    public static string OperatorToken(string signingKey, IEnumerable<string> roles, IEnumerable<string> tenants)
    {
        var claims = new List<Claim> { new("sub", "e2e-operator") };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        claims.AddRange(tenants.Select(t => new Claim("tenants", t)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "quotetocash-local",
            Audience = "quotetocash",
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
