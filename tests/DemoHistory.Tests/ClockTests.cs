using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.DemoHistory.Infrastructure;
using QuoteToCash.Sandbox.Shared;
using QuoteToCash.ServiceDefaults.Hosting;

namespace QuoteToCash.DemoHistory.Tests;

/// <summary>The clock file the player writes, and the services and sandboxes following it while they run.</summary>
public sealed class ClockTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("demo-clock-").FullName;

    private string ClockPath => Path.Combine(_directory, DemoClockFile.FileName);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            if (condition())
                return true;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return condition();
    }

    [Fact]
    public void The_clock_file_moves_forward_only_and_reads_back_what_it_wrote()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));
        var clock = new DemoClockFile(ClockPath, real);
        var start = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.Zero, clock.Read());
        Assert.Equal(real.GetUtcNow(), clock.MoveTo(start)); // never back
        clock.SetTo(start);
        Assert.Equal(start, clock.Now);
        Assert.Contains("\"Offset\":\"-182.15:00:00\"", File.ReadAllText(ClockPath), StringComparison.Ordinal);

        real.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(start.AddMinutes(5), clock.MoveTo(start.AddMinutes(1)));
        Assert.Equal(start.AddDays(1), clock.MoveTo(start.AddDays(1)));
        Assert.Equal(start.AddDays(1), clock.Now);
    }

    [Fact]
    public async Task A_service_started_with_the_clock_file_follows_it_while_it_runs()
    {
        File.WriteAllText(ClockPath, DemoClockFile.Render(TimeSpan.FromDays(-100)));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Local" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceClock.OffsetFileKey] = ClockPath });
        builder.AddServiceClock();
        await using var services = builder.Services.BuildServiceProvider();
        var time = services.GetRequiredService<TimeProvider>();

        Assert.InRange(time.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromDays(-100) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(-100) + TimeSpan.FromMinutes(1));
        new DemoClockFile(ClockPath, TimeProvider.System).Write(TimeSpan.FromDays(-40));
        Assert.True(await Eventually(() => Math.Abs((time.GetUtcNow() - DateTimeOffset.UtcNow - TimeSpan.FromDays(-40)).TotalMinutes) < 1),
            $"the service's clock stayed at {time.GetUtcNow():o}");
    }

    [Fact]
    public void A_service_refuses_the_clock_file_outside_development_and_the_local_run()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ServiceClock.OffsetFileKey] = ClockPath });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceClock());

        Assert.Contains(ServiceClock.OffsetFileKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_started_with_the_clock_file_follows_it_too()
    {
        File.WriteAllText(ClockPath, DemoClockFile.Render(TimeSpan.FromDays(-30)));
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SandboxClock.OffsetFileKey] = ClockPath });
        builder.AddSandboxClock();
        await using var services = builder.Services.BuildServiceProvider();
        var time = services.GetRequiredService<TimeProvider>();

        Assert.InRange(time.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromDays(-30) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(-30) + TimeSpan.FromMinutes(1));
        new DemoClockFile(ClockPath, TimeProvider.System).Write(TimeSpan.Zero);
        Assert.True(await Eventually(() => Math.Abs((time.GetUtcNow() - DateTimeOffset.UtcNow).TotalMinutes) < 1), $"the sandbox's clock stayed at {time.GetUtcNow():o}");
    }
}
