using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.ServiceDefaults.Hosting;

/// <summary>
/// The service's clock: the system's, or — for demos and the acceptance suite on a local run only — the system's moved
/// by <c>Clock:Offset</c> (e.g. <c>40.00:00:00</c>), so that due dates, overdue invoices and 30-days-late standing can be
/// shown across real processes without waiting. Every service reads time through <see cref="TimeProvider"/>, so the
/// offset moves what it decides and what it schedules alike. Refused at start-up outside Development and Local.
/// </summary>
public static class ServiceClock
{
    public const string OffsetKey = "Clock:Offset";

    public static IHostApplicationBuilder AddServiceClock(this IHostApplicationBuilder builder)
    {
        var offset = builder.Configuration.GetValue<TimeSpan?>(OffsetKey) ?? TimeSpan.Zero;
        if (offset == TimeSpan.Zero)
            return builder;
        if (!PlatformEnvironments.AllowsDevIssuer(builder.Environment))
            throw new InvalidOperationException(
                $"{OffsetKey} moves the service's clock for demos and acceptance tests; it is refused in the {builder.Environment.EnvironmentName} environment.");
        builder.Services.AddSingleton<TimeProvider>(new OffsetTimeProvider(TimeProvider.System, offset));
        return builder;
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
