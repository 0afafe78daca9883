using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.ServiceDefaults.Tests.Messaging;

public sealed record ReminderDue(string Subject);

public sealed class ReminderObserver : IConsumer<ReminderDue>
{
    public static readonly ConcurrentDictionary<string, ConcurrentBag<Guid>> Received = new();

    public Task Consume(ConsumeContext<ReminderDue> context)
    {
        Received.GetOrAdd(context.Message.Subject, _ => []).Add(context.MessageId!.Value);
        return Task.CompletedTask;
    }
}

/// <summary>The store-backed due-jobs scheduler, driven by a fake clock, delivering through real RabbitMQ.</summary>
public sealed class SchedulerTests(RabbitMqBroker broker) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Start);

    private Task<IHost> StartHostAsync(string file = "scheduler.db") =>
        BusHost.StartAsync(broker, "q2c-tests-scheduler", _directory.File(file), x => x.AddConsumer<ReminderObserver>(),
            services => services.AddSingleton<TimeProvider>(_clock));

    private static JobSchedulerService Scheduler(IHost host) => host.Services.GetServices<IHostedService>().OfType<JobSchedulerService>().Single();

    private static async Task ScheduleAsync(IHost host, string jobId, DateTimeOffset dueAt, string subject, TimeSpan? every = null)
    {
        using var scope = host.Services.CreateScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        unitOfWork.Schedule(jobId, dueAt, new ReminderDue(subject), every);
        await unitOfWork.CommitAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<int> ReceivedCount(string subject, int expected)
    {
        await Eventually(() => ReminderObserver.Received.TryGetValue(subject, out var got) && got.Count >= expected,
            TimeSpan.FromSeconds(expected == 0 ? 1 : 15));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        return ReminderObserver.Received.TryGetValue(subject, out var bag) ? bag.Count : 0;
    }

    [Fact]
    public async Task A_job_fires_once_when_due_and_not_before()
    {
        using var host = await StartHostAsync();
        var subject = "once-" + Guid.NewGuid().ToString("N")[..8];
        await ScheduleAsync(host, subject, Start.AddHours(24), subject);

        _clock.Advance(TimeSpan.FromHours(23));
        await Scheduler(host).FireDueJobsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await ReceivedCount(subject, 0));

        _clock.Advance(TimeSpan.FromHours(1));
        await Scheduler(host).FireDueJobsAsync(TestContext.Current.CancellationToken);
        await Scheduler(host).FireDueJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, await ReceivedCount(subject, 1));
        Assert.Null(await host.Store().Collection<ScheduledJob>(ScheduledJob.CollectionName).GetAsync(subject, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_recurring_job_fires_every_occurrence_including_missed_ones()
    {
        using var host = await StartHostAsync();
        var subject = "monthly-" + Guid.NewGuid().ToString("N")[..8];
        await ScheduleAsync(host, subject, Start.AddDays(1), subject, TimeSpan.FromDays(1));

        _clock.Advance(TimeSpan.FromDays(3)); // three occurrences are due: day 1, 2 and 3
        // The host's own scheduler loop wakes on the same clock and may hold the job's lease for a moment: keep
        // passing until the job has fired or the time is up, as the loop itself would.
        var jobs = host.Store().Collection<ScheduledJob>(ScheduledJob.CollectionName);
        await Eventually(async () =>
        {
            if ((await jobs.GetAsync(subject, TestContext.Current.CancellationToken))!.Value.Fired >= 3)
                return true;
            await Scheduler(host).FireDueJobsAsync(TestContext.Current.CancellationToken);
            return false;
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(25));
        // The dispatcher is the backstop for any inline delivery that did not go through.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await host.Services.GetRequiredService<OutboxDelivery>().DeliverDueAsync(TestContext.Current.CancellationToken);

        var count = await ReceivedCount(subject, 3);
        var pending = await host.Store().Collection<OutboxRecord>(OutboxRecord.CollectionName).FindAsync(r => r.Kind == OutboxPayloadKind.Message, cancellationToken: TestContext.Current.CancellationToken);
        var inbox = await host.Store().Collection<InboxRecord>(InboxRecord.CollectionName).FindAsync(i => i.MessageType.Contains("Reminder"), cancellationToken: TestContext.Current.CancellationToken);
        var jobNow = await host.Store().Collection<ScheduledJob>(ScheduledJob.CollectionName).GetAsync(subject, TestContext.Current.CancellationToken);
        // At-least-once delivery may hand the observer a message twice; the occurrences are the distinct message IDs.
        Assert.True(count >= 3 && ReminderObserver.Received[subject].Distinct().Count() == 3, $"received {count}; job fired {jobNow?.Value.Fired} due {jobNow?.Value.DueAt:o} v{jobNow?.Version}; outbox: {string.Join("; ", pending.Select(p => $"{p.Value.MessageId} lease {p.Value.LeaseUntil:o} attempts {p.Value.Attempts} {p.Value.LastError}"))}; inbox: {string.Join(",", inbox.Select(i => i.Value.MessageId))}; now {_clock.GetUtcNow():o}");
        Assert.Equal(3, ReminderObserver.Received[subject].Distinct().Count());
        var job = await host.Store().Collection<ScheduledJob>(ScheduledJob.CollectionName).GetAsync(subject, TestContext.Current.CancellationToken);
        Assert.Equal(Start.AddDays(4).UtcDateTime, job!.Value.DueAt.ToUniversalTime());
        Assert.Equal(3, job.Value.Fired);
    }

    [Fact]
    public async Task A_job_leased_by_another_instance_waits_for_the_lease_to_expire()
    {
        using var host = await StartHostAsync();
        var subject = "leased-" + Guid.NewGuid().ToString("N")[..8];
        await ScheduleAsync(host, subject, Start, subject);
        var jobs = host.Store().Collection<ScheduledJob>(ScheduledJob.CollectionName);
        var job = (await jobs.GetAsync(subject, TestContext.Current.CancellationToken))!;
        job.Value.LeaseOwner = "another-replica";
        job.Value.LeaseUntil = Start.AddSeconds(30).UtcDateTime;
        await host.Store().ReplaceAsync(ScheduledJob.CollectionName, job, job.Value, TestContext.Current.CancellationToken);

        _clock.Advance(TimeSpan.FromSeconds(10));
        await Scheduler(host).FireDueJobsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await ReceivedCount(subject, 0));

        _clock.Advance(TimeSpan.FromSeconds(30)); // the other replica died holding the lease
        await Scheduler(host).FireDueJobsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, await ReceivedCount(subject, 1));
    }

    [Fact]
    public async Task A_cancelled_job_never_fires()
    {
        using var host = await StartHostAsync();
        var subject = "cancelled-" + Guid.NewGuid().ToString("N")[..8];
        await ScheduleAsync(host, subject, Start.AddMinutes(5), subject);
        using (var scope = host.Services.CreateScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            unitOfWork.CancelScheduled(subject);
            await unitOfWork.CommitAsync(TestContext.Current.CancellationToken);
        }

        _clock.Advance(TimeSpan.FromHours(1));
        await Scheduler(host).FireDueJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, await ReceivedCount(subject, 0));
    }

    [Fact]
    public async Task Scheduled_jobs_survive_a_restart_of_the_service()
    {
        var subject = "restart-" + Guid.NewGuid().ToString("N")[..8];
        using (var first = await StartHostAsync("restart.db"))
        {
            await ScheduleAsync(first, subject, Start.AddHours(2), subject);
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        using var second = await StartHostAsync("restart.db");
        _clock.Advance(TimeSpan.FromHours(3));
        await Scheduler(second).FireDueJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, await ReceivedCount(subject, 1));
    }

    [Fact]
    public async Task The_due_jobs_are_found_through_the_due_date_index_not_by_reading_every_job()
    {
        using var host = await StartHostAsync("indexed.db");
        var store = (LiteDbDocumentStore)host.Store();
        var now = Start.UtcDateTime;

        // The scheduler's own question; armed at start, each pass asks the index however many jobs wait for later dates.
        string IndexForDueJobs() => store.IndexFor<ScheduledJob>(ScheduledJob.CollectionName, j => j.DueAt <= now && (j.LeaseUntil == null || j.LeaseUntil <= now));
        await Eventually(() => IndexForDueJobs() == "due", TimeSpan.FromSeconds(10));
        Assert.Equal("due", IndexForDueJobs());
    }

    public void Dispose() => _directory.Dispose();
}
