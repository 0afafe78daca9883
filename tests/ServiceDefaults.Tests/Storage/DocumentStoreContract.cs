using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Tests.Storage;

public enum SampleStatus
{
    Draft,
    Approved,
    Posted,
}

/// <summary>A document using every kind of field the services store.</summary>
public sealed class SampleInvoice
{
    public Guid InvoiceId { get; set; }
    public string Tenant { get; set; } = string.Empty;
    public string Number { get; set; } = string.Empty;
    public string? Memo { get; set; }
    public decimal Total { get; set; }
    public SampleStatus Status { get; set; }
    public DateOnly DueDate { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTime Created { get; set; }
    public PostalAddress? BillTo { get; set; }
    public List<SampleLine> Lines { get; set; } = [];
    public Dictionary<string, string> Tags { get; set; } = [];
    public int Counter { get; set; }
}

public sealed class SampleLine
{
    public string Description { get; set; } = string.Empty;
    public decimal Amount { get; set; }
}

/// <summary>
/// The behaviour every engine behind <see cref="IDocumentStore"/> must have. LiteDB and MongoDB each run
/// this whole suite.
/// </summary>
public abstract class DocumentStoreContract
{
    protected const string Invoices = "invoices";

    /// <summary>A fresh, empty store (skips the test when the engine is unavailable).</summary>
    protected abstract IDocumentStore Store { get; }

    protected static SampleInvoice Sample(string number, decimal total = 1234.5678m, SampleStatus status = SampleStatus.Draft) => new()
    {
        InvoiceId = Guid.NewGuid(),
        Tenant = "acme",
        Number = number,
        Memo = "",
        Total = total,
        Status = status,
        DueDate = new DateOnly(2026, 12, 31),
        IssuedAt = new DateTimeOffset(2026, 11, 25, 9, 30, 15, 123, TimeSpan.Zero),
        Created = new DateTime(2026, 11, 25, 9, 30, 15, 456, DateTimeKind.Utc),
        BillTo = new PostalAddress { Line1 = "  1 Main St  ", City = "Austin", Country = "US" },
        Lines = [new SampleLine { Description = "Design", Amount = 0.1m }, new SampleLine { Description = "Build", Amount = 99999999.99m }],
        Tags = new Dictionary<string, string> { ["deal"] = "D-1", ["region"] = "emea" },
    };

    [Fact]
    public async Task Insert_then_get_round_trips_every_field_exactly()
    {
        var original = Sample("INV-1");
        await Store.InsertAsync(Invoices, "a", original, TestContext.Current.CancellationToken);

        var stored = await Store.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken);

        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        var copy = stored.Value;
        Assert.Equal(original.InvoiceId, copy.InvoiceId);
        Assert.Equal(1234.5678m, copy.Total);
        Assert.Equal(SampleStatus.Draft, copy.Status);
        Assert.Equal(original.DueDate, copy.DueDate);
        Assert.Equal(original.IssuedAt, copy.IssuedAt);
        Assert.Equal(original.Created, copy.Created.ToUniversalTime());
        Assert.Equal("", copy.Memo);
        Assert.Equal("  1 Main St  ", copy.BillTo?.Line1);
        Assert.Null(copy.BillTo?.Region);
        Assert.Equal([0.1m, 99999999.99m], copy.Lines.Select(l => l.Amount));
        Assert.Equal("emea", copy.Tags["region"]);
    }

    [Fact]
    public async Task Get_of_a_missing_id_is_null()
    {
        Assert.Null(await Store.Collection<SampleInvoice>(Invoices).GetAsync("nope", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Insert_of_an_existing_id_is_rejected_and_keeps_the_original()
    {
        await Store.InsertAsync(Invoices, "a", Sample("INV-1"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<DuplicateDocumentException>(() => Store.InsertAsync(Invoices, "a", Sample("INV-2"), TestContext.Current.CancellationToken));

        var stored = await Store.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken);
        Assert.Equal("INV-1", stored!.Value.Number);
    }

    [Fact]
    public async Task Replace_at_the_current_version_writes_and_increments_the_version()
    {
        var first = await Store.InsertAsync(Invoices, "a", Sample("INV-1"), TestContext.Current.CancellationToken);
        var changed = first.Value;
        changed.Status = SampleStatus.Approved;

        var second = await Store.ReplaceAsync(Invoices, first, changed, TestContext.Current.CancellationToken);

        var stored = await Store.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken);
        Assert.Equal(2, second.Version);
        Assert.Equal(2, stored!.Version);
        Assert.Equal(SampleStatus.Approved, stored.Value.Status);
    }

    [Fact]
    public async Task Replace_at_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        var first = await Store.InsertAsync(Invoices, "a", Sample("INV-1"), TestContext.Current.CancellationToken);
        await Store.ReplaceAsync(Invoices, first, Sample("INV-1", status: SampleStatus.Approved), TestContext.Current.CancellationToken);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.ReplaceAsync(Invoices, first, Sample("INV-1", status: SampleStatus.Posted), TestContext.Current.CancellationToken));

        Assert.Equal(1, conflict.ExpectedVersion);
        Assert.Equal(2, conflict.ActualVersion);
        var stored = await Store.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken);
        Assert.Equal(SampleStatus.Approved, stored!.Value.Status);
    }

    [Fact]
    public async Task Replace_of_a_missing_document_is_a_conflict()
    {
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.CommitAsync([DocumentWrite.Replace(Invoices, "ghost", Sample("X"), 1)], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Upsert_creates_then_overwrites_with_increasing_versions()
    {
        await Store.CommitAsync([DocumentWrite.Upsert(Invoices, "a", Sample("INV-1"))], TestContext.Current.CancellationToken);
        await Store.CommitAsync([DocumentWrite.Upsert(Invoices, "a", Sample("INV-2"))], TestContext.Current.CancellationToken);

        var stored = await Store.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken);
        Assert.Equal(2, stored!.Version);
        Assert.Equal("INV-2", stored.Value.Number);
    }

    [Fact]
    public async Task Delete_checks_the_version_when_given_one()
    {
        var first = await Store.InsertAsync(Invoices, "a", Sample("INV-1"), TestContext.Current.CancellationToken);
        await Store.ReplaceAsync(Invoices, first, Sample("INV-1"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteAsync(Invoices, "a", 1, TestContext.Current.CancellationToken));
        Assert.NotNull(await Store.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken));

        await Store.DeleteAsync(Invoices, "a", 2, TestContext.Current.CancellationToken);
        Assert.Null(await Store.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken));

        await Store.DeleteAsync(Invoices, "a", cancellationToken: TestContext.Current.CancellationToken); // unconditional delete of nothing is a no-op
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteAsync(Invoices, "a", 2, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Find_takes_linq_predicates_over_nested_members_and_orders_by_key()
    {
        await Store.CommitAsync(
        [
            DocumentWrite.Insert(Invoices, "c", Sample("INV-3", 300m, SampleStatus.Posted)),
            DocumentWrite.Insert(Invoices, "a", Sample("INV-1", 100m, SampleStatus.Draft)),
            DocumentWrite.Insert(Invoices, "b", Sample("INV-2", 200m, SampleStatus.Posted)),
            DocumentWrite.Insert(Invoices, "d", Sample("INV-4", 400m, SampleStatus.Approved)),
        ], TestContext.Current.CancellationToken);
        var invoices = Store.Collection<SampleInvoice>(Invoices);

        var posted = await invoices.FindAsync(i => i.Status == SampleStatus.Posted, cancellationToken: TestContext.Current.CancellationToken);
        var large = await invoices.FindAsync(i => i.Total > 150m && i.Tenant == "acme", cancellationToken: TestContext.Current.CancellationToken);
        var inAustin = await invoices.FindAsync(i => i.BillTo!.City == "Austin", 2, TestContext.Current.CancellationToken);
        var cutoff = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);
        var created = await invoices.FindAsync(i => i.Created < cutoff, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["b", "c"], posted.Select(d => d.Id));
        Assert.Equal(["b", "c", "d"], large.Select(d => d.Id));
        Assert.Equal(["a", "b"], inAustin.Select(d => d.Id));
        Assert.Equal(4, created.Count);
        Assert.Equal(2, await invoices.CountAsync(i => i.Status == SampleStatus.Posted, TestContext.Current.CancellationToken));
        Assert.Equal(4, await invoices.CountAsync(cancellationToken: TestContext.Current.CancellationToken));
    }

    private static SampleInvoice Counted(SampleInvoice invoice, int counter)
    {
        invoice.Counter = counter;
        return invoice;
    }

    [Fact]
    public async Task Find_page_orders_by_a_member_either_way_limits_and_pages_on_with_a_cursor()
    {
        var invoices = Store.Collection<SampleInvoice>(Invoices);
        await invoices.EnsureIndexAsync("invoice_counter", i => i.Counter, cancellationToken: TestContext.Current.CancellationToken);
        var writes = Enumerable.Range(1, 25)
            .Select(n => DocumentWrite.Insert(Invoices, $"k{(n * 7) % 25:D2}", Counted(Sample($"INV-{n}", n, n % 2 == 0 ? SampleStatus.Posted : SampleStatus.Draft), n)))
            .ToList();
        await Store.CommitAsync(writes, TestContext.Current.CancellationToken);

        var newest = await invoices.FindPageAsync(i => i.Tenant == "acme", i => i.Counter, descending: true, 10, TestContext.Current.CancellationToken);
        var cursor = newest[^1].Value.Counter;
        var next = await invoices.FindPageAsync(i => i.Tenant == "acme" && i.Counter < cursor, i => i.Counter, descending: true, 10,
            TestContext.Current.CancellationToken);
        var oldestPosted = await invoices.FindPageAsync(i => i.Status == SampleStatus.Posted, i => i.Counter, descending: false, 3, TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(16, 10).Reverse(), newest.Select(d => d.Value.Counter));
        Assert.Equal(Enumerable.Range(6, 10).Reverse(), next.Select(d => d.Value.Counter));
        Assert.Equal([2, 4, 6], oldestPosted.Select(d => d.Value.Counter));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => invoices.FindPageAsync(i => true, i => i.Counter, false, 0, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unique_index_rejects_a_second_document_with_the_same_value()
    {
        var invoices = Store.Collection<SampleInvoice>(Invoices);
        await invoices.EnsureIndexAsync("invoice_number", i => i.Number, unique: true, TestContext.Current.CancellationToken);
        await invoices.EnsureIndexAsync("invoice_number", i => i.Number, unique: true, TestContext.Current.CancellationToken); // idempotent
        await Store.InsertAsync(Invoices, "a", Sample("INV-1"), TestContext.Current.CancellationToken);
        var b = await Store.InsertAsync(Invoices, "b", Sample("INV-2"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<DuplicateDocumentException>(() => Store.InsertAsync(Invoices, "c", Sample("INV-1"), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<DuplicateDocumentException>(() => Store.ReplaceAsync(Invoices, b, Sample("INV-1"), TestContext.Current.CancellationToken));

        Assert.Equal(2, await invoices.CountAsync(cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Secondary_index_serves_queries_on_its_member()
    {
        var invoices = Store.Collection<SampleInvoice>(Invoices);
        await invoices.EnsureIndexAsync("invoice_status", i => i.Status, cancellationToken: TestContext.Current.CancellationToken);
        await Store.InsertAsync(Invoices, "a", Sample("INV-1", status: SampleStatus.Posted), TestContext.Current.CancellationToken);
        await Store.InsertAsync(Invoices, "b", Sample("INV-2", status: SampleStatus.Posted), TestContext.Current.CancellationToken);

        var found = await invoices.FindAsync(i => i.Status == SampleStatus.Posted, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, found.Count);
    }

    [Fact]
    public async Task A_commit_with_a_stale_write_applies_none_of_its_writes()
    {
        var b = await Store.InsertAsync(Invoices, "b", Sample("INV-2"), TestContext.Current.CancellationToken);
        await Store.ReplaceAsync(Invoices, b, Sample("INV-2", status: SampleStatus.Approved), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CommitAsync(
        [
            DocumentWrite.Insert(Invoices, "a", Sample("INV-1")),
            DocumentWrite.Upsert(Invoices, "z", Sample("INV-26")),
            DocumentWrite.Replace(Invoices, "b", Sample("INV-2", status: SampleStatus.Posted), b.Version),
        ], TestContext.Current.CancellationToken));

        var invoices = Store.Collection<SampleInvoice>(Invoices);
        Assert.Null(await invoices.GetAsync("a", TestContext.Current.CancellationToken));
        Assert.Null(await invoices.GetAsync("z", TestContext.Current.CancellationToken));
        Assert.Equal(SampleStatus.Approved, (await invoices.GetAsync("b", TestContext.Current.CancellationToken))!.Value.Status);
    }

    [Fact]
    public async Task A_commit_with_a_duplicate_insert_applies_none_of_its_writes()
    {
        await Store.InsertAsync(Invoices, "b", Sample("INV-2"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<DuplicateDocumentException>(() => Store.CommitAsync(
        [
            DocumentWrite.Insert("ledger", "entry-1", Sample("L-1")),
            DocumentWrite.Insert(Invoices, "b", Sample("INV-2bis")),
        ], TestContext.Current.CancellationToken));

        Assert.Null(await Store.Collection<SampleInvoice>("ledger").GetAsync("entry-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Concurrent_read_modify_write_loses_no_update()
    {
        await Store.InsertAsync(Invoices, "counter", Sample("C"), TestContext.Current.CancellationToken);
        var conflicts = 0;

        async Task IncrementAsync()
        {
            while (true)
            {
                var current = (await Store.Collection<SampleInvoice>(Invoices).GetAsync("counter", TestContext.Current.CancellationToken))!;
                await Task.Yield();
                current.Value.Counter++;
                try
                {
                    await Store.ReplaceAsync(Invoices, current, current.Value, TestContext.Current.CancellationToken);
                    return;
                }
                catch (ConcurrencyConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(IncrementAsync, TestContext.Current.CancellationToken)));

        var final = await Store.Collection<SampleInvoice>(Invoices).GetAsync("counter", TestContext.Current.CancellationToken);
        Assert.Equal(40, final!.Value.Counter);
        Assert.Equal(41, final.Version);
        TestContext.Current.TestOutputHelper?.WriteLine($"{conflicts} conflicts were detected and retried");
    }

    [Fact]
    public async Task Collection_names_with_dashes_and_dots_work()
    {
        await Store.InsertAsync("saga-quote-to-cash.state", "x", Sample("S"), TestContext.Current.CancellationToken);

        Assert.NotNull(await Store.Collection<SampleInvoice>("saga-quote-to-cash.state").GetAsync("x", TestContext.Current.CancellationToken));
        Assert.Null(await Store.Collection<SampleInvoice>("saga_quote_to_cash_state2").GetAsync("x", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_commit_counts_each_written_document_by_collection_and_a_rejected_commit_counts_none()
    {
        var store = Store;
        // Other tests commit at the same time: only this test's own collections are counted.
        var first = "metered-" + Guid.NewGuid().ToString("N")[..8];
        var second = "metered-" + Guid.NewGuid().ToString("N")[..8];
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName && instrument.Name == "q2c.store.writes")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? collection = null, engine = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "collection") collection = tag.Value as string;
                if (tag.Key == "engine") engine = tag.Value as string;
            }
            if (engine == store.Engine && collection is not null && (collection == first || collection == second))
                counted.AddOrUpdate(collection, value, (_, total) => total + value);
        });
        listener.Start();

        await store.CommitAsync(
        [
            DocumentWrite.Insert(first, "a", Sample("M-1")),
            DocumentWrite.Insert(first, "b", Sample("M-2")),
            DocumentWrite.Upsert(second, "c", Sample("M-3")),
        ], TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.CommitAsync(
        [
            DocumentWrite.Upsert(second, "d", Sample("M-4")),
            DocumentWrite.Replace(first, "a", Sample("M-1"), expectedVersion: 7),
        ], TestContext.Current.CancellationToken));

        Assert.Equal(2, counted.GetValueOrDefault(first));
        Assert.Equal(1, counted.GetValueOrDefault(second));
    }
}
