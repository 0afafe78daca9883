using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace QuoteToCash.Sandbox.Shared;

/// <summary>
/// A sandbox's clock for the local demo: with <c>Clock:OffsetFile</c> the sandbox's time is the system's moved by the
/// file's <c>Clock:Offset</c> (<c>{"Clock":{"Offset":"-182.00:00:00"}}</c>), followed while it runs. It is the file the
/// platform's services follow (ServiceClock), so that <c>./run.sh --demo</c> moves the CRMs, QuickBooks and the platform
/// together: a deal's won time, QuickBooks' send time and the platform's invoice dates fall on the same day. Without the
/// key the sandbox keeps the system clock (or the one its host registered).
/// </summary>
public static class SandboxClock
{
    public const string OffsetKey = "Clock:Offset";

    public const string OffsetFileKey = "Clock:OffsetFile";

    /// <summary>Registers the moved clock when <c>Clock:OffsetFile</c> is set; call before the sandbox's own registrations.</summary>
    public static WebApplicationBuilder AddSandboxClock(this WebApplicationBuilder builder)
    {
        var file = builder.Configuration[OffsetFileKey];
        if (string.IsNullOrWhiteSpace(file))
            return builder;
        builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: true, reloadOnChange: true);
        IConfiguration configuration = builder.Configuration;
        builder.Services.AddSingleton<TimeProvider>(_ => new MovedClock(TimeProvider.System, configuration));
        return builder;
    }

    private sealed class MovedClock : TimeProvider, IDisposable
    {
        private readonly TimeProvider _inner;
        private readonly IDisposable _subscription;
        private long _offsetTicks;

        public MovedClock(TimeProvider inner, IConfiguration configuration)
        {
            _inner = inner;
            _offsetTicks = Read(configuration, 0);
            _subscription = ChangeToken.OnChange(configuration.GetReloadToken,
                () => Interlocked.Exchange(ref _offsetTicks, Read(configuration, Interlocked.Read(ref _offsetTicks))));
        }

        private static long Read(IConfiguration configuration, long fallback)
        {
            var text = configuration[OffsetKey];
            if (string.IsNullOrWhiteSpace(text))
                return 0;
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var offset) ? offset.Ticks : fallback;
        }

        public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

        public override long TimestampFrequency => _inner.TimestampFrequency;

        public override long GetTimestamp() => _inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            _inner.CreateTimer(callback, state, dueTime, period);

        public void Dispose() => _subscription.Dispose();
    }
}
