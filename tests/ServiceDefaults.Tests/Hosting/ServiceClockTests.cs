using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuoteToCash.ServiceDefaults.Hosting;

namespace QuoteToCash.ServiceDefaults.Tests.Hosting;

public sealed class ServiceClockTests
{
    private static HostApplicationBuilder Builder(string environment, string? offset)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        if (offset is not null)
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceClock.OffsetKey] = offset });
        return builder;
    }

    [Fact]
    public void On_the_local_run_the_clock_runs_the_configured_offset_ahead()
    {
        var builder = Builder("Local", "40.00:00:00");

        builder.AddServiceClock();

        var clock = builder.Services.BuildServiceProvider().GetRequiredService<TimeProvider>();
        var ahead = clock.GetUtcNow() - DateTimeOffset.UtcNow;
        Assert.InRange(ahead, TimeSpan.FromDays(40) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(40) + TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void A_moved_clock_is_refused_outside_development_and_the_local_run(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Builder(environment, "40.00:00:00").AddServiceClock());

        Assert.Contains(environment, error.Message);
    }

    [Fact]
    public void Without_an_offset_nothing_is_registered_and_any_environment_starts()
    {
        var builder = Builder("Production", null);

        builder.AddServiceClock();

        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(TimeProvider));
    }
}
