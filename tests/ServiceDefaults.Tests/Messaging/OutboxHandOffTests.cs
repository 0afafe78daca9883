using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;

namespace QuoteToCash.ServiceDefaults.Tests.Messaging;

/// <summary>
/// The in-memory hand-off between a commit and background delivery is bounded: with the broker stalled (nobody reading),
/// batches beyond its capacity stay only in the store, where the dispatcher finds them once their inline lease ends.
/// </summary>
public sealed class OutboxHandOffTests
{
    [Fact]
    public async Task A_full_hand_off_leaves_further_batches_in_the_store_instead_of_growing()
    {
        using var directory = new TempDirectory();
        using var store = new LiteDbDocumentStore(directory.File("outbox.db"));
        var options = Options.Create(new MessagingOptions { Outbox = new OutboxOptions { HandOffCapacity = 2 } });
        var delivery = new OutboxDelivery(store, null!, options, TimeProvider.System, NullLogger<OutboxDelivery>.Instance);

        var batches = Enumerable.Range(0, 5).Select(i => (IReadOnlyList<OutboxRecord>)[delivery.NewRecord(r => r.MessageType = "Message" + i)]).ToList();
        foreach (var batch in batches)
            await store.CommitAsync([DocumentWrite.Insert(OutboxRecord.CollectionName, batch[0].Key, batch[0])], TestContext.Current.CancellationToken);
        foreach (var batch in batches)
            delivery.DeliverSoon(batch);

        Assert.Equal(2, delivery.HandOff.Count);
        var stored = await store.Collection<OutboxRecord>(OutboxRecord.CollectionName).FindAsync(_ => true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(5, stored.Count); // the three left out are still there for the dispatcher
        Assert.All(stored, r => Assert.True(r.Value.LeaseUntil > DateTime.UtcNow.AddSeconds(-1)));
    }
}
