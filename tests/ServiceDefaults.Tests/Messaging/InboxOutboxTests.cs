using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.ServiceDefaults.Tests.Messaging;

public sealed record PostLedgerEntry(Guid EntryId, string Account, decimal Amount, bool FailAfterPublish = false);

public sealed record LedgerEntryPosted(Guid EntryId, string Account, decimal Balance);

public sealed class LedgerAccount
{
    public string Account { get; set; } = string.Empty;
    public decimal Balance { get; set; }
    public List<Guid> Entries { get; set; } = [];
}

/// <summary>Adds each entry to the account's balance: applying a message twice would show in the balance.</summary>
public sealed class LedgerConsumer(IUnitOfWork unitOfWork) : IConsumer<PostLedgerEntry>
{
    public async Task Consume(ConsumeContext<PostLedgerEntry> context)
    {
        var entry = context.Message;
        var existing = await unitOfWork.Store.Collection<LedgerAccount>("accounts").GetAsync(entry.Account, context.CancellationToken);
        var account = existing?.Value ?? new LedgerAccount { Account = entry.Account };
        account.Balance += entry.Amount;
        account.Entries.Add(entry.EntryId);
        if (existing is null)
            unitOfWork.Insert("accounts", entry.Account, account);
        else
            unitOfWork.Replace("accounts", existing, account);

        await context.Publish(new LedgerEntryPosted(entry.EntryId, entry.Account, account.Balance));

        if (entry.FailAfterPublish)
            throw new InvalidOperationException("Simulated failure after the consumer published");
    }
}

/// <summary>A note the ledger may not care about: the consumer passes over one without an account, and records the others.</summary>
public sealed record LedgerNote(Guid NoteId, string? Account);

public sealed class LedgerNoteConsumer(IUnitOfWork unitOfWork) : IConsumer<LedgerNote>
{
    public static readonly ConcurrentDictionary<Guid, bool> Handled = new();

    public Task Consume(ConsumeContext<LedgerNote> context)
    {
        unitOfWork.NotForThisConsumer();
        if (context.Message.Account is { } account)
            unitOfWork.Upsert("notes", context.Message.NoteId.ToString("N"), new LedgerAccount { Account = account });
        Handled[context.Message.NoteId] = true;
        return Task.CompletedTask;
    }
}

public sealed class LedgerObserver : IConsumer<LedgerEntryPosted>, IConsumer<Fault<PostLedgerEntry>>
{
    public static readonly ConcurrentDictionary<Guid, ConcurrentBag<Guid>> Posted = new();
    public static readonly ConcurrentDictionary<Guid, int> Faulted = new();

    public Task Consume(ConsumeContext<LedgerEntryPosted> context)
    {
        Posted.GetOrAdd(context.Message.EntryId, _ => []).Add(context.MessageId!.Value);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<PostLedgerEntry>> context)
    {
        Faulted.AddOrUpdate(context.Message.Message.EntryId, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>The store-backed inbox and transactional outbox, on LiteDB and real RabbitMQ.</summary>
public sealed class InboxOutboxTests(RabbitMqBroker broker) : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private Microsoft.Extensions.Hosting.IHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await BusHost.StartAsync(broker, "q2c-tests-ledger", _directory.File("ledger.db"), x =>
        {
            x.AddConsumer<LedgerConsumer>();
            x.AddConsumer<LedgerObserver>();
            x.AddConsumer<LedgerNoteConsumer>();
        });

    [Fact]
    public async Task A_redelivered_message_is_recognised_and_not_applied_twice()
    {
        var account = "acct-" + Guid.NewGuid().ToString("N")[..8];
        var entry = new PostLedgerEntry(Guid.NewGuid(), account, 125.50m);
        var messageId = NewId.NextGuid();
        var bus = _host.Services.GetRequiredService<IBus>();
        var skippedBefore = await SkippedAsync("q2c-tests-ledger-ledger");

        await bus.Publish(entry, c => c.MessageId = messageId, TestContext.Current.CancellationToken);
        Assert.True(await Eventually(() => LedgerObserver.Posted.ContainsKey(entry.EntryId)));
        await bus.Publish(entry, c => c.MessageId = messageId, TestContext.Current.CancellationToken);
        await bus.Publish(entry, c => c.MessageId = messageId, TestContext.Current.CancellationToken);

        await Task.Delay(2000, TestContext.Current.CancellationToken); // let both redeliveries be consumed

        var inbox = _host.Store().Collection<InboxRecord>(InboxRecord.CollectionName);
        Assert.Equal(1, await inbox.CountAsync(i => i.MessageId == messageId, TestContext.Current.CancellationToken));

        var stored = await _host.Store().Collection<LedgerAccount>("accounts").GetAsync(account, TestContext.Current.CancellationToken);
        Assert.Equal(125.50m, stored!.Value.Balance);
        Assert.Single(stored.Value.Entries);
        Assert.Single(LedgerObserver.Posted[entry.EntryId]);
        // A recognised redelivery is acknowledged as consumed, not parked in the endpoint's _skipped queue.
        Assert.Equal(skippedBefore, await SkippedAsync("q2c-tests-ledger-ledger"));
    }

    [Fact]
    public async Task A_message_a_consumer_passes_over_leaves_no_inbox_record_and_one_it_acts_on_anyway_keeps_it()
    {
        var passedOver = new LedgerNote(Guid.NewGuid(), null);
        var actedOn = new LedgerNote(Guid.NewGuid(), "acct-" + Guid.NewGuid().ToString("N")[..8]);
        var bus = _host.Services.GetRequiredService<IBus>();
        var passedOverId = NewId.NextGuid();
        var actedOnId = NewId.NextGuid();
        var skippedBefore = await SkippedAsync("q2c-tests-ledger-ledger-note");

        await bus.Publish(passedOver, c => c.MessageId = passedOverId, TestContext.Current.CancellationToken);
        await bus.Publish(actedOn, c => c.MessageId = actedOnId, TestContext.Current.CancellationToken);
        var inbox = _host.Store().Collection<InboxRecord>(InboxRecord.CollectionName);
        Assert.True(await Eventually(async () => LedgerNoteConsumer.Handled.ContainsKey(passedOver.NoteId)
            && await inbox.CountAsync(i => i.MessageId == actedOnId) == 1));

        Assert.Equal(0, await inbox.CountAsync(i => i.MessageId == passedOverId, TestContext.Current.CancellationToken));
        Assert.NotNull(await _host.Store().Collection<LedgerAccount>("notes").GetAsync(actedOn.NoteId.ToString("N"), TestContext.Current.CancellationToken));
        // Acknowledged as consumed, not parked in the endpoint's _skipped queue.
        Assert.Equal(skippedBefore, await SkippedAsync("q2c-tests-ledger-ledger-note"));
    }

    /// <summary>How many messages wait in the endpoint's _skipped queue (0 when it does not exist).</summary>
    private async Task<uint> SkippedAsync(string endpoint)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(broker.Uri!) };
        await using var connection = await factory.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(endpoint + "_skipped", TestContext.Current.CancellationToken)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task A_consumer_that_fails_after_publishing_commits_nothing_and_sends_nothing()
    {
        var account = "acct-" + Guid.NewGuid().ToString("N")[..8];
        var entry = new PostLedgerEntry(Guid.NewGuid(), account, 99m, FailAfterPublish: true);

        await _host.Services.GetRequiredService<IBus>().Publish(entry, TestContext.Current.CancellationToken);

        Assert.True(await Eventually(() => LedgerObserver.Faulted.ContainsKey(entry.EntryId)), "the message never faulted");
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Null(await _host.Store().Collection<LedgerAccount>("accounts").GetAsync(account, TestContext.Current.CancellationToken));
        Assert.False(LedgerObserver.Posted.ContainsKey(entry.EntryId));
        Assert.Equal(0, await _host.Store().Collection<OutboxRecord>(OutboxRecord.CollectionName).CountAsync(cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task State_and_published_message_commit_together_and_the_outbox_empties_after_delivery()
    {
        var account = "acct-" + Guid.NewGuid().ToString("N")[..8];
        var entries = Enumerable.Range(0, 10).Select(i => new PostLedgerEntry(Guid.NewGuid(), account, 10m + i)).ToList();

        foreach (var entry in entries)
            await _host.Services.GetRequiredService<IBus>().Publish(entry, TestContext.Current.CancellationToken);

        Assert.True(await Eventually(() => entries.All(e => LedgerObserver.Posted.ContainsKey(e.EntryId))));
        var stored = await _host.Store().Collection<LedgerAccount>("accounts").GetAsync(account, TestContext.Current.CancellationToken);
        Assert.Equal(entries.Sum(e => e.Amount), stored!.Value.Balance);
        Assert.True(await Eventually(async () => await _host.Store().Collection<OutboxRecord>(OutboxRecord.CollectionName).CountAsync() == 0));
    }

    [Fact]
    public async Task The_dispatcher_delivers_what_a_crashed_writer_left_in_the_outbox()
    {
        // What a process killed between commit and publish leaves behind: a committed record whose inline lease ran out.
        var entryId = Guid.NewGuid();
        var delivery = _host.Services.GetRequiredService<OutboxDelivery>();
        var store = _host.Store();
        var unitOfWork = new UnitOfWork(store, delivery, TimeProvider.System);
        unitOfWork.Publish(new LedgerEntryPosted(entryId, "orphan", 1m));
        var record = unitOfWork.PendingOutbox.Single();
        record.LeaseUntil = DateTime.UtcNow.AddSeconds(-1);
        record.LeaseOwner = "a-process-that-died";
        await store.InsertAsync(OutboxRecord.CollectionName, record.Key, record, TestContext.Current.CancellationToken);

        Assert.True(await Eventually(() => LedgerObserver.Posted.ContainsKey(entryId)), "the dispatcher did not deliver the orphaned record");
        Assert.Equal(record.MessageId, Assert.Single(LedgerObserver.Posted[entryId]));
        Assert.True(await Eventually(async () => await store.Collection<OutboxRecord>(OutboxRecord.CollectionName).GetAsync(record.Key) is null));
    }

    [Fact]
    public async Task One_undeliverable_record_leaves_the_others_of_its_commit_delivered_and_itself_kept_for_the_dispatcher()
    {
        var delivery = _host.Services.GetRequiredService<OutboxDelivery>();
        var store = _host.Store();
        var unitOfWork = new UnitOfWork(store, delivery, TimeProvider.System);
        var before = Guid.NewGuid();
        var after = Guid.NewGuid();
        unitOfWork.Publish(new LedgerEntryPosted(before, "batch", 1m));
        unitOfWork.Publish(new LedgerEntryPosted(Guid.NewGuid(), "batch", 2m));
        unitOfWork.Publish(new LedgerEntryPosted(after, "batch", 3m));
        var records = unitOfWork.PendingOutbox.ToList();
        records[1].MessageType = "QuoteToCash.Nowhere.UnknownMessage, QuoteToCash.Nowhere"; // cannot be sent by this process
        foreach (var record in records)
            record.LeaseUntil = DateTime.UtcNow.AddHours(1); // not the dispatcher's: only the inline delivery sends them here
        foreach (var record in records)
            await store.InsertAsync(OutboxRecord.CollectionName, record.Key, record, TestContext.Current.CancellationToken);

        await delivery.DeliverInlineAsync(records, TestContext.Current.CancellationToken);

        Assert.True(await Eventually(() => LedgerObserver.Posted.ContainsKey(before) && LedgerObserver.Posted.ContainsKey(after)),
            "a record after the undeliverable one was held back");
        await delivery.RemovalsIdle.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // the delivered ones leave in the background
        var left = await store.Collection<OutboxRecord>(OutboxRecord.CollectionName).FindAsync(r => r.LeaseUntil > DateTime.UtcNow.AddMinutes(30), 10, TestContext.Current.CancellationToken);
        Assert.Equal(records[1].Key, Assert.Single(left).Id);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        _directory.Dispose();
    }
}
