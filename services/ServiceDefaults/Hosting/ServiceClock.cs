using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Primitives;
using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.ServiceDefaults.Hosting;

/// <summary>
/// The service's clock: the system's, or — for demos and the acceptance suite on a local run only — the system's moved
/// by <c>Clock:Offset</c> (e.g. <c>40.00:00:00</c>), so that due dates, overdue invoices and 30-days-late standing can be
/// shown across real processes without waiting. Every service reads time through <see cref="TimeProvider"/>, so the
/// offset moves what it decides and what it schedules alike.
/// <para>
/// With <c>Clock:OffsetFile</c> the offset is read from that JSON file (<c>{"Clock":{"Offset":"-182.00:00:00"}}</c>) and
/// follows it while the service runs: <c>./run.sh --demo</c> rewrites the file as it plays six months of history, and
/// every process started with the same file moves with it. Both are refused at start-up outside Development and Local.
/// </para>
/// </summary>
public static class ServiceClock
{
    public const string OffsetKey = "Clock:Offset";

    /// <summary>A JSON file whose <c>Clock:Offset</c> the service follows while it runs (reloaded when the file changes).</summary>
    public const string OffsetFileKey = "Clock:OffsetFile";

    public static IHostApplicationBuilder AddServiceClock(this IHostApplicationBuilder builder)
    {
        var file = builder.Configuration[OffsetFileKey];
        var offset = builder.Configuration.GetValue<TimeSpan?>(OffsetKey) ?? TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(file) && offset == TimeSpan.Zero)
            return builder;
        if (!PlatformEnvironments.AllowsDevIssuer(builder.Environment))
            throw new InvalidOperationException(
                $"{(string.IsNullOrWhiteSpace(file) ? OffsetKey : OffsetFileKey)} moves the service's clock for demos and acceptance tests; it is refused in the {builder.Environment.EnvironmentName} environment.");
        if (string.IsNullOrWhiteSpace(file))
        {
            builder.Services.AddSingleton<TimeProvider>(new OffsetTimeProvider(TimeProvider.System, offset));
            return builder;
        }
        // Added last, so the file's offset wins over one given in the environment; a file that does not exist yet is an offset of zero.
        builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: true, reloadOnChange: true);
        var configuration = builder.Configuration;
        builder.Services.AddSingleton<TimeProvider>(_ => new MovableOffsetTimeProvider(TimeProvider.System, configuration));
        return builder;
    }

    /// <summary><c>Clock:Offset</c> of the configuration, or <paramref name="fallback"/> when it is missing or not a time span.</summary>
    public static TimeSpan OffsetIn(IConfiguration configuration, TimeSpan fallback)
    {
        var text = configuration[OffsetKey];
        if (string.IsNullOrWhiteSpace(text))
            return TimeSpan.Zero;
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var offset) ? offset : fallback;
    }
}

/// <summary>A clock that runs with another, a fixed offset ahead of (or behind) it; timers and timestamps are the other's.</summary>
public sealed class OffsetTimeProvider(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}

/// <summary>
/// A clock that runs with another, offset by the configuration's <c>Clock:Offset</c> as it is now: when the configuration
/// reloads (a rewritten offset file), the offset changes with it. An unreadable value keeps the offset it had; a missing
/// one is zero. Timers and timestamps are the other clock's, so a move fires nothing by itself: what polls the clock
/// (the store-backed scheduler) sees the new time on its next pass.
/// </summary>
public sealed class MovableOffsetTimeProvider : TimeProvider, IDisposable
{
    private readonly TimeProvider _inner;
    private readonly IDisposable _subscription;
    private long _offsetTicks;

    public MovableOffsetTimeProvider(TimeProvider inner, IConfiguration configuration)
    {
        _inner = inner;
        _offsetTicks = ServiceClock.OffsetIn(configuration, TimeSpan.Zero).Ticks;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken,
            () => Interlocked.Exchange(ref _offsetTicks, ServiceClock.OffsetIn(configuration, Offset).Ticks));
    }

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);

    public void Dispose() => _subscription.Dispose();
}
