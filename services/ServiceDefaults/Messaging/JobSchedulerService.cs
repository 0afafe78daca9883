using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>
/// A message to publish at a due time, kept in the owning service's store (the local RabbitMQ has no
/// delayed-message plugin). Written through <see cref="IUnitOfWork.Schedule{T}"/>, so scheduling
/// commits together with the state change that asked for it.
/// </summary>
public sealed class ScheduledJob
{
    public const string CollectionName = "scheduled-jobs";

    public string JobId { get; set; } = string.Empty;
    public DateTime DueAt { get; set; }
    /// <summary>Null for a one-off job. Recurring jobs fire once per occurrence, missed ones included.</summary>
    public TimeSpan? RepeatEvery { get; set; }
    public string MessageType { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public DateTime Created { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public int Fired { get; set; }
    public DateTime? LastFiredAt { get; set; }
    /// <summary>The trace that scheduled the job: a one-off job's message continues it, a recurring job's links to it.</summary>
    public StoredTraceContext? Trace { get; set; }
}

/// <summary>Fires due jobs: claims a lease, then atomically turns the job into an outbox message and removes or re-arms it.</summary>
public sealed class JobSchedulerService(
    IDocumentStore store,
    OutboxDelivery delivery,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<JobSchedulerService> logger) : BackgroundService
{
    private static readonly Meter Meter = new("QuoteToCash.Messaging");
    private static readonly Counter<long> FiredCounter = Meter.CreateCounter<long>("q2c.scheduler.fired", description: "Scheduled jobs fired");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Jobs stay until they fire (a saga arms one per approval, overdue date, …): each pass asks the due-date index
        // for the due ones instead of reading every job.
        try
        {
            await store.Collection<ScheduledJob>(ScheduledJob.CollectionName).EnsureIndexAsync("due", j => j.DueAt, cancellationToken: stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FireDueJobsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Scheduler pass failed");
            }
            await Task.Delay(options.Value.Scheduler.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One pass over the due jobs. Returns how many fired.</summary>
    public async Task<int> FireDueJobsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var jobs = store.Collection<ScheduledJob>(ScheduledJob.CollectionName);
        var due = await jobs.FindAsync(j => j.DueAt <= now && (j.LeaseUntil == null || j.LeaseUntil <= now),
            options.Value.Scheduler.BatchSize, cancellationToken);
        var fired = 0;
        foreach (var document in due)
        {
            var job = document.Value;
            job.LeaseOwner = delivery.InstanceId;
            job.LeaseUntil = now + options.Value.Scheduler.Lease;
            try
            {
                await store.CommitAsync([DocumentWrite.Replace(ScheduledJob.CollectionName, document.Id, job, document.Version)], cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // claimed, re-armed or cancelled by someone else
            }

            var occurrence = job.DueAt;
            // A one-off job is a step of whatever scheduled it (a deal's next charge, an SLA): its message continues that
            // trace. Every occurrence of a recurring job is work of its own (a sweep every few minutes), so it starts a
            // trace and links to the one that armed it, rather than growing one trace forever.
            using var activity = job.RepeatEvery is { } repeat && repeat > TimeSpan.Zero
                ? PlatformTelemetry.StartLinked("scheduled job fire", [job.Trace], ActivityKind.Producer)
                : job.Trace.ContinueTrace("scheduled job fire", ActivityKind.Producer);
            activity?.SetTag("q2c.job_id", job.JobId);
            activity?.SetTag("q2c.job_occurrence", occurrence.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
            var record = delivery.NewRecord(r =>
            {
                r.Kind = OutboxPayloadKind.Message;
                r.MessageId = DeterministicId.Create("scheduled-job", job.JobId, occurrence.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
                r.MessageType = job.MessageType;
                r.ContentType = "application/json";
                r.Body = job.Body;
            });

            var claimedVersion = document.Version + 1;
            DocumentWrite jobWrite;
            if (job.RepeatEvery is { } every && every > TimeSpan.Zero)
            {
                job.DueAt = occurrence + every;
                job.LeaseOwner = null;
                job.LeaseUntil = null;
                job.Fired++;
                job.LastFiredAt = now;
                jobWrite = DocumentWrite.Replace(ScheduledJob.CollectionName, document.Id, job, claimedVersion);
            }
            else
            {
                jobWrite = DocumentWrite.Delete(ScheduledJob.CollectionName, document.Id, claimedVersion);
            }

            try
            {
                await store.CommitAsync([jobWrite, DocumentWrite.Insert(OutboxRecord.CollectionName, record.Key, record)], cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // cancelled or re-armed while we held the lease
            }
            FiredCounter.Add(1);
            fired++;
            logger.LogInformation("Scheduled job {JobId} fired for {Occurrence:o}", document.Id, occurrence);
            await delivery.DeliverInlineAsync([record], cancellationToken);
        }
        return fired;
    }
}
