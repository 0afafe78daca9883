using MassTransit;

namespace QuoteToCash.Reporting.Consumers;

/// <summary>When a message's producer announced it, on the platform's clock.</summary>
internal static class AnnouncedTime
{
    /// <summary>
    /// The message's send time (stamped by the transport from the machine's clock) moved onto the platform's clock: the same
    /// instant unless the platform runs on a moved clock (<c>Clock:Offset</c>, the demo), whose offset is applied. Null when
    /// the transport stamped none.
    /// </summary>
    public static DateTimeOffset? Of(ConsumeContext context, TimeProvider time) => context.SentTime is { } sent
        ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) + (time.GetUtcNow() - TimeProvider.System.GetUtcNow())
        : null;
}
