using System.Diagnostics.Metrics;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// What waits in the service's store to leave it: outbox records not yet confirmed by the broker (and the age of the
/// oldest), and scheduled jobs already due but not fired. All three stay near zero in a healthy service; a growing
/// backlog means the broker is unreachable or the dispatcher cannot keep up.
/// </summary>
public sealed class OutboxBacklogGauge : ISampledGauge
{
    public const string MeterName = "QuoteToCash.Messaging";

    private readonly IDocumentStore _store;
    private readonly TimeProvider _time;
    private long _backlog;
    private double _oldestAgeSeconds;
    private long _dueJobs;

    public OutboxBacklogGauge(IDocumentStore store, TimeProvider time, IMeterFactory meters)
    {
        _store = store;
        _time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("q2c.outbox.backlog", () => Interlocked.Read(ref _backlog), unit: "{message}",
            description: "Outbox messages committed and not yet confirmed by the broker");
        meter.CreateObservableGauge("q2c.outbox.oldest_age", () => Volatile.Read(ref _oldestAgeSeconds), unit: "s",
            description: "Age of the oldest outbox message not yet confirmed by the broker (0 when none)");
        meter.CreateObservableGauge("q2c.scheduler.due", () => Interlocked.Read(ref _dueJobs), unit: "{job}",
            description: "Scheduled jobs whose time has come and that have not fired yet");
    }

    public long Backlog => Interlocked.Read(ref _backlog);

    public double OldestAgeSeconds => Volatile.Read(ref _oldestAgeSeconds);

    public long DueJobs => Interlocked.Read(ref _dueJobs);

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var outbox = _store.Collection<OutboxRecord>(OutboxRecord.CollectionName);
        var backlog = await outbox.CountAsync(cancellationToken: cancellationToken);
        var now = _time.GetUtcNow().UtcDateTime;
        var oldest = backlog == 0 ? null : (await outbox.FindAsync(_ => true, 1, cancellationToken)).FirstOrDefault(); // key order is write order
        var due = await _store.Collection<ScheduledJob>(ScheduledJob.CollectionName).CountAsync(j => j.DueAt <= now, cancellationToken);

        Interlocked.Exchange(ref _backlog, backlog);
        Volatile.Write(ref _oldestAgeSeconds, oldest is null ? 0 : Math.Max(0, (now - oldest.Value.SentTime).TotalSeconds));
        Interlocked.Exchange(ref _dueJobs, due);
    }
}
