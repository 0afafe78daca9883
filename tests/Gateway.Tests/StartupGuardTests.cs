using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace QuoteToCash.Gateway.Tests;

/// <summary>The gateway, as deployed, refuses to start with the local token issuer or a known signing key outside Development/Local.</summary>
public sealed class StartupGuardTests
{
    private static readonly string RandomKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private static WebApplicationFactory<Program> Gateway(string environment, Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        });

    [Fact]
    public void Production_with_the_local_issuer_on_does_not_start()
    {
        using var gateway = Gateway("Production", new()
        {
            ["Auth:SigningKey"] = RandomKey,
            ["Auth:DevIssuer:Enabled"] = "true",
            ["Auth:DevIssuer:Users:admin:Password"] = "pw",
            ["Auth:DevIssuer:Users:admin:Roles:0"] = "admin",
        });

        var refused = Assert.Throws<OptionsValidationException>(() => gateway.CreateClient());
        Assert.Contains("Auth:DevIssuer:Enabled is true in the 'Production' environment", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quotetocash-local-dev-signing-key-change-me")]
    [InlineData("CHANGE-ME-to-a-random-signing-key-of-at-least-32-bytes")]
    public void Production_with_a_published_signing_key_does_not_start(string key)
    {
        using var gateway = Gateway("Production", new() { ["Auth:SigningKey"] = key });

        var refused = Assert.Throws<OptionsValidationException>(() => gateway.CreateClient());
        Assert.Contains("Auth:SigningKey cannot be used in the 'Production' environment", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_issues_tokens_with_a_generated_key()
    {
        using var gateway = Gateway("Local", new()
        {
            ["Auth:SigningKey"] = RandomKey,
            ["Auth:DevIssuer:Enabled"] = "true",
            ["Auth:DevIssuer:Users:admin:Password"] = "pw",
            ["Auth:DevIssuer:Users:admin:Roles:0"] = "admin",
        });
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/auth/token", new { username = "admin", password = "pw" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
