using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.WebApp.Extensions;

namespace QuoteToCash.WebApp.Tests.Session;

/// <summary>
/// The Data Protection keys that encrypt the session cookie (which carries the operator's token) are written to
/// WebApp:KeysDirectory wrapped with DataProtection:KeyEncryptionKey, as the services' key rings are.
/// </summary>
public sealed class SessionKeyRingTests : IDisposable
{
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "q2c-webapp-keys-" + Guid.NewGuid().ToString("N"));
    private static readonly string Kek = NewKek();

    private static string NewKek() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The web app as Program composes and starts it, on a free loopback port.</summary>
    private async Task<WebApplication> StartAsync(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = typeof(WebAppOptions).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["WebApp:KeysDirectory"] = _keys });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddWebAppDefaults();
        builder.AddFinanceWebApp();
        var app = builder.Build();
        try
        {
            app.UseFinanceWebApp();
            app.MapFinanceWebApp();
            await app.StartAsync(TestContext.Current.CancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static Dictionary<string, string?> WithKek(string kek, params string[] previous)
    {
        var settings = new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = kek };
        for (var i = 0; i < previous.Length; i++)
            settings[$"DataProtection:PreviousKeyEncryptionKeys:{i}"] = previous[i];
        return settings;
    }

    /// <summary>The format the cookie handler protects and reads the session with.</summary>
    private static ISecureDataFormat<AuthenticationTicket> SessionFormat(WebApplication app) =>
        app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat;

    private static AuthenticationTicket Session(string name) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", name), new Claim("access_token", "eyJ.operator.token")], "Cookies", "name", "role")),
            CookieAuthenticationDefaults.AuthenticationScheme);

    /// <summary>Starts the app, protects a session cookie with its key ring and stops it again.</summary>
    private async Task<string> SignInAsync(string environment, Dictionary<string, string?> settings, string name)
    {
        await using var app = await StartAsync(environment, settings);
        var cookie = SessionFormat(app).Protect(Session(name));
        await app.StopAsync(TestContext.Current.CancellationToken);
        return cookie;
    }

    /// <summary>Starts the app and reads a session cookie with its key ring: the user's name, or null when the cookie does not open.</summary>
    private async Task<string?> ReadAsync(string environment, Dictionary<string, string?> settings, string cookie)
    {
        await using var app = await StartAsync(environment, settings);
        var name = SessionFormat(app).Unprotect(cookie)?.Principal.Identity?.Name;
        await app.StopAsync(TestContext.Current.CancellationToken);
        return name;
    }

    private string[] KeyFiles() => Directory.GetFiles(_keys, "*.xml");

    [Fact]
    public async Task Session_keys_on_disk_are_wrapped_with_the_key_encryption_key()
    {
        await SignInAsync("Production", WithKek(Kek), "maria");

        var files = KeyFiles();
        Assert.NotEmpty(files);
        Assert.All(files, file =>
        {
            var xml = File.ReadAllText(file);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("urn:quotetocash:data-protection:aes-gcm", xml, StringComparison.Ordinal);
            Assert.Contains(KeyRingEncryptionOptions.KeyId(Convert.FromBase64String(Kek)), xml, StringComparison.Ordinal);
            Assert.DoesNotContain(Kek, xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_session_survives_a_restart_and_a_rotation_and_opens_with_no_other_key_encryption_key()
    {
        var cookie = await SignInAsync("Production", WithKek(Kek), "maria");

        Assert.Equal("maria", await ReadAsync("Production", WithKek(Kek), cookie));

        // Rotation: the new key wraps new keys, the previous one still unwraps the ring written before.
        var next = NewKek();
        Assert.Equal("maria", await ReadAsync("Production", WithKek(next, Kek), cookie));

        // Without the key that wrapped the ring, the files open nothing: the session is gone, not readable.
        Assert.Null(await ReadAsync("Production", WithKek(next), cookie));

        // Signing in again works: a new key, wrapped with the new key-encryption key, replaces the one that no longer opens.
        var again = await SignInAsync("Production", WithKek(next), "maria");
        Assert.Equal("maria", await ReadAsync("Production", WithKek(next), again));
    }

    [Fact]
    public async Task Keys_written_unwrapped_before_stay_readable_once_a_key_encryption_key_is_set()
    {
        var cookie = await SignInAsync("Development", [], "omar");
        Assert.Contains(KeyFiles(), file => File.ReadAllText(file).Contains("<masterKey", StringComparison.Ordinal));

        Assert.Equal("omar", await ReadAsync("Production", WithKek(Kek), cookie));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Local")]
    [InlineData("Staging")]
    public async Task Outside_development_the_web_app_refuses_to_start_without_a_key_encryption_key(string environment)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(environment, []));
        Assert.Contains($"DataProtection:KeyEncryptionKey is not set in the '{environment}' environment", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_keys) && KeyFiles().Length > 0, "A key was written before the start-up check.");
    }

    [Fact]
    public async Task A_malformed_key_encryption_key_stops_the_web_app()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", WithKek("CHANGE-ME")));
        Assert.Contains("is not base64", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_keys))
            Directory.Delete(_keys, recursive: true);
    }
}
