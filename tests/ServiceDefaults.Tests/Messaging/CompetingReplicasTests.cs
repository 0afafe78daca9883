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

public sealed record ReplicaName(string Name);

public sealed record CreditReplicaAccount(Guid EntryId, string Account, decimal Amount);

public sealed record ReplicaAccountCredited(Guid EntryId, string Account, decimal Balance);

/// <summary>Adds each credit to the account's balance, and says which replica did: a credit applied twice shows in the balance.</summary>
public sealed class ReplicaAccountConsumer(IUnitOfWork unitOfWork, ReplicaName replica) : IConsumer<CreditReplicaAccount>
{
    public static readonly ConcurrentDictionary<Guid, ConcurrentBag<string>> ConsumedBy = new();

    public async Task Consume(ConsumeContext<CreditReplicaAccount> context)
    {
        var credit = context.Message;
        var existing = await unitOfWork.Store.Collection<LedgerAccount>("replica-accounts").GetAsync(credit.Account, context.CancellationToken);
        var account = existing?.Value ?? new LedgerAccount { Account = credit.Account };
        account.Balance += credit.Amount;
        account.Entries.Add(credit.EntryId);
        unitOfWork.InsertOrReplace("replica-accounts", credit.Account, existing, account);
        unitOfWork.Publish(new ReplicaAccountCredited(credit.EntryId, credit.Account, account.Balance));
        unitOfWork.OnCommitted(() => ConsumedBy.GetOrAdd(credit.EntryId, _ => []).Add(replica.Name));
    }
}

public sealed class ReplicaAccountObserver : IConsumer<ReplicaAccountCredited>
{
    public static readonly ConcurrentDictionary<Guid, int> Heard = new();

    public Task Consume(ConsumeContext<ReplicaAccountCredited> context)
    {
        Heard.AddOrUpdate(context.Message.EntryId, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Two replicas of one service: the same endpoints on one RabbitMQ (competing consumers) and one store, the embedded
/// engine in its shared mode. Work spreads over both, and neither the inbox/outbox nor the scheduler's leases let an
/// effect happen twice.
/// </summary>
public sealed class CompetingReplicasTests(RabbitMqBroker broker) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    private Task<IHost> ReplicaAsync(string name, string prefix) =>
        BusHost.StartAsync(broker, prefix, _directory.File("replicas.db"), x =>
            {
                x.AddConsumer<ReplicaAccountConsumer>();
                x.AddConsumer<ReplicaAccountObserver>();
                x.AddConsumer<ReminderObserver>();
            },
            services => services.AddSingleton(new ReplicaName(name)).AddSingleton<TimeProvider>(_clock),
            new Dictionary<string, string?> { ["Storage:LiteDbShared"] = "true" });

    [Fact]
    public async Task Credits_spread_over_two_replicas_are_each_applied_and_announced_once_even_when_delivered_twice()
    {
        var prefix = "q2c-tests-replicas-" + Guid.NewGuid().ToString("N")[..6];
        using var a = await ReplicaAsync("a", prefix);
        using var b = await ReplicaAsync("b", prefix);
        var account = "acct-" + Guid.NewGuid().ToString("N")[..8];
        var credits = Enumerable.Range(0, 60).Select(_ => new CreditReplicaAccount(Guid.NewGuid(), account, 1m)).ToList();
        var bus = a.Services.GetRequiredService<IBus>();

        foreach (var credit in credits)
        {
            var messageId = NewId.NextGuid();
            await bus.Publish(credit, c => c.MessageId = messageId, TestContext.Current.CancellationToken);
            if (credit.EntryId.GetHashCode() % 3 == 0)
                await bus.Publish(credit, c => c.MessageId = messageId, TestContext.Current.CancellationToken); // delivered again, to either replica
        }

        Assert.True(await Eventually(() => credits.All(c => ReplicaAccountObserver.Heard.ContainsKey(c.EntryId)), TimeSpan.FromSeconds(60)),
            "not every credit was announced");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var stored = (await a.Store().Collection<LedgerAccount>("replica-accounts").GetAsync(account, TestContext.Current.CancellationToken))!.Value;
        Assert.Equal(60m, stored.Balance);
        Assert.Equal(60, stored.Entries.Distinct().Count());
        Assert.All(credits, c => Assert.Equal(1, ReplicaAccountObserver.Heard[c.EntryId]));
        Assert.All(credits, c => Assert.Single(ReplicaAccountConsumer.ConsumedBy[c.EntryId]));
        var byReplica = credits.GroupBy(c => ReplicaAccountConsumer.ConsumedBy[c.EntryId].Single()).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byReplica.ContainsKey("a") && byReplica.ContainsKey("b"), $"one replica did all the work: {string.Join(", ", byReplica)}");
    }

    [Fact]
    public async Task Jobs_due_while_two_replicas_poll_fire_once_each()
    {
        var prefix = "q2c-tests-replicas-" + Guid.NewGuid().ToString("N")[..6];
        using var a = await ReplicaAsync("a", prefix);
        using var b = await ReplicaAsync("b", prefix);
        var subjects = Enumerable.Range(0, 20).Select(i => $"replica-job-{Guid.NewGuid():N}"[..24] + i).ToList();
        using (var scope = a.Services.CreateScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            foreach (var subject in subjects)
                unitOfWork.Schedule(subject, _clock.GetUtcNow().AddMinutes(5), new ReminderDue(subject));
            await unitOfWork.CommitAsync(TestContext.Current.CancellationToken);
        }

        _clock.Advance(TimeSpan.FromMinutes(5));
        var schedulers = new[] { a, b }.Select(h => h.Services.GetServices<IHostedService>().OfType<JobSchedulerService>().Single()).ToList();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => schedulers[i % 2].FireDueJobsAsync(TestContext.Current.CancellationToken)));

        Assert.True(await Eventually(() => subjects.All(s => ReminderObserver.Received.ContainsKey(s)), TimeSpan.FromSeconds(30)), "not every job fired");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.All(subjects, s => Assert.Single(ReminderObserver.Received[s]));
    }
}
