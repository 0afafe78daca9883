using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace QuoteToCash.Testing;

/// <summary>
/// A sandbox in process, in its Production configuration, with the settings its test suite needs (timings
/// compressed, limits out of the way), any a test adds, and optionally the test's own clock.
/// </summary>
public class SandboxFactory<TProgram>(IReadOnlyDictionary<string, string?> defaults) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly Dictionary<string, string?> _settings = new(defaults);

    /// <summary>Settings on top of the suite's defaults; set before the first request.</summary>
    public IReadOnlyDictionary<string, string?> Settings
    {
        init
        {
            foreach (var (key, setting) in value)
                _settings[key] = setting;
        }
    }

    /// <summary>A clock to use instead of the system one (e.g. a FakeTimeProvider).</summary>
    public TimeProvider? Time { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
        if (Time is not null)
            builder.ConfigureServices(services => services.AddSingleton(Time));
    }
}
