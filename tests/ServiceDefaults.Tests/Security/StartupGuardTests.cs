using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.ServiceDefaults.Tests.Security;

/// <summary>Every host (services and gateway) refuses to start outside Development with a signing key anyone could know, or with the local issuer on.</summary>
public sealed class StartupGuardTests
{
    private static readonly string RandomKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private static IHost Host(string environment, Dictionary<string, string?> settings)
    {
        // A web host, as the services and the gateway are (Development validates the whole container, routing included).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddOperatorAuthentication();
        return builder.Build();
    }

    private static async Task<OptionsValidationException> StartRefused(string environment, Dictionary<string, string?> settings)
    {
        using var host = Host(environment, settings);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("quotetocash-local-dev-signing-key-change-me", "published default")]
    [InlineData("CHANGE-ME-to-a-random-signing-key-of-at-least-32-bytes", "published default")]
    [InlineData("our-own-placeholder-value-for-the-signing-key-1234", "placeholder")]
    [InlineData("abababababababababababababababababababab", "distinct characters")]
    [InlineData("abcdefgh12abcdefgh12abcdefgh12ab", "entropy")]
    [InlineData("short-but-random-Zq8", "shorter than 32 bytes")]
    [InlineData(null, "not set")]
    public async Task Production_refuses_a_published_placeholder_or_guessable_signing_key(string? key, string reason)
    {
        var refused = await StartRefused("Production", new() { ["Auth:SigningKey"] = key });

        Assert.Contains("Auth:SigningKey cannot be used in the 'Production' environment", refused.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_kubernetes_placeholder_key_is_refused()
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(QuoteToCash.Testing.ServiceProcess.RepositoryRoot, "k8s", "secrets.yaml"), TestContext.Current.CancellationToken);
        var line = manifest.Split('\n').Single(l => l.TrimStart().StartsWith("Auth__SigningKey:", StringComparison.Ordinal));
        var placeholder = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('"');

        Assert.NotNull(SigningKeyPolicy.Weakness(placeholder));
        await StartRefused("Production", new() { ["Auth:SigningKey"] = placeholder });
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task The_local_token_issuer_is_refused_outside_development_and_local(string environment)
    {
        var refused = await StartRefused(environment, new() { ["Auth:SigningKey"] = RandomKey, ["Auth:DevIssuer:Enabled"] = "true" });

        Assert.Contains("Auth:DevIssuer:Enabled is true", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Auth:SigningKey cannot", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_allows_the_issuer_but_still_refuses_a_published_key()
    {
        using (var host = Host(PlatformEnvironments.Local, new() { ["Auth:SigningKey"] = RandomKey, ["Auth:DevIssuer:Enabled"] = "true" }))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var refused = await StartRefused(PlatformEnvironments.Local,
            new() { ["Auth:SigningKey"] = SigningKeyPolicy.PublishedKeys[0], ["Auth:DevIssuer:Enabled"] = "true" });
        Assert.Contains("published default", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_starts_with_a_random_key_or_an_oidc_authority()
    {
        using (var host = Host("Production", new() { ["Auth:SigningKey"] = RandomKey }))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
        using (var host = Host("Production", new() { ["Auth:Authority"] = "https://login.example.com/realm" }))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Development_keeps_its_defaults()
    {
        using var host = Host("Development", new() { ["Auth:SigningKey"] = SigningKeyPolicy.PublishedKeys[0], ["Auth:DevIssuer:Enabled"] = "true" });
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Generated_keys_pass_the_policy()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.Null(SigningKeyPolicy.Weakness(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))));
            Assert.Null(SigningKeyPolicy.Weakness(Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));
        }
    }
}
