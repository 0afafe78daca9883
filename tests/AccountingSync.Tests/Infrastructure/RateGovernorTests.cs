using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

namespace QuoteToCash.AccountingSync.Tests.Infrastructure;

public sealed class RateGovernorTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    private RateGovernor Governor(int perMinute = 500, int concurrent = 10, int batches = 40) => new(new QboLimits
    {
        RequestsPerMinute = perMinute,
        ConcurrentRequests = concurrent,
        BatchesPerMinute = batches,
        SafetyMargin = TimeSpan.Zero,
    }, _clock, Meters);

    [Fact]
    public async Task The_request_after_the_limit_waits_for_the_window_to_move()
    {
        var governor = Governor(perMinute: 5);
        for (var i = 0; i < 5; i++)
            (await governor.AcquireAsync("realm-1", batch: false, TestContext.Current.CancellationToken)).Dispose();
        Assert.Equal(0, governor.Headroom("realm-1"));

        var sixth = governor.AcquireAsync("realm-1", batch: false, TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(sixth.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(sixth.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(1));
        (await sixth.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Dispose();
    }

    [Fact]
    public async Task Realms_have_separate_budgets()
    {
        var governor = Governor(perMinute: 1);
        (await governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken)).Dispose();

        var other = governor.AcquireAsync("realm-2", false, TestContext.Current.CancellationToken);

        (await other.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Dispose();
        Assert.Equal(0, governor.Headroom("realm-1"));
    }

    [Fact]
    public async Task No_more_than_the_concurrent_limit_is_in_flight()
    {
        var governor = Governor(concurrent: 2);
        var first = await governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken);
        var second = await governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken);

        var third = governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);
        Assert.Equal(1, governor.Waiting("realm-1"));

        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task Batches_have_their_own_limit_and_count_as_requests()
    {
        var governor = Governor(perMinute: 10, batches: 2);
        (await governor.AcquireAsync("realm-1", batch: true, TestContext.Current.CancellationToken)).Dispose();
        (await governor.AcquireAsync("realm-1", batch: true, TestContext.Current.CancellationToken)).Dispose();

        var thirdBatch = governor.AcquireAsync("realm-1", batch: true, TestContext.Current.CancellationToken);
        var single = governor.AcquireAsync("realm-1", batch: false, TestContext.Current.CancellationToken);

        (await single.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Dispose();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(thirdBatch.IsCompleted);
        Assert.Equal(7, governor.Headroom("realm-1"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        (await thirdBatch.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Dispose();
    }

    [Fact]
    public async Task A_429_pauses_the_realm_for_at_least_sixty_seconds_or_retry_after()
    {
        var governor = Governor();
        governor.ReportThrottled("realm-1", retryAfter: TimeSpan.FromSeconds(5));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(60), governor.PausedUntil("realm-1"));

        var next = governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(next.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await next.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Dispose();

        governor.ReportThrottled("realm-1", retryAfter: TimeSpan.FromSeconds(120));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(120), governor.PausedUntil("realm-1"));
        Assert.Equal(0, governor.Headroom("realm-1"));
    }

    [Fact]
    public async Task Many_concurrent_callers_never_exceed_the_window()
    {
        var governor = Governor(perMinute: 50, concurrent: 10);
        var granted = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();
        var callers = Enumerable.Range(0, 120).Select(async _ =>
        {
            using var lease = await governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken);
            granted.Add(_clock.GetUtcNow());
        }).ToList();

        for (var i = 0; i < 10 && callers.Any(c => !c.IsCompleted); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            _clock.Advance(TimeSpan.FromSeconds(30));
        }
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var times = granted.Order().ToList();
        for (var i = 0; i + 50 < times.Count; i++)
            Assert.True(times[i + 50] - times[i] >= TimeSpan.FromMinutes(1), $"51 requests within one minute, starting at grant {i}");
    }

    [Fact]
    public async Task Headroom_and_waiting_callers_are_reported_on_the_meter_of_the_host()
    {
        var governor = Governor(perMinute: 5);
        (await governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken)).Dispose();
        (await governor.AcquireAsync("realm-1", false, TestContext.Current.CancellationToken)).Dispose();

        var measured = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: a process-wide static meter would not belong to the factory.
            if (instrument.Meter.Scope == Meters && instrument.Meter.Name == RateGovernor.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag is { Key: "realm", Value: "realm-1" })
                    measured[instrument.Name] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(3, measured["q2c.qbo.rate_headroom"]);
        Assert.Equal(0, measured["q2c.qbo.waiting"]);
    }
}
