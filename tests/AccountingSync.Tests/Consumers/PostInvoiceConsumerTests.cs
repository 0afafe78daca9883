using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>
/// PostInvoice on MassTransit's test harness with accounting-sync's own store and inbox/outbox: the invoice lands in the
/// tenant's durable posting queue exactly once. (Sending it to QuickBooks is the posting worker's job, tested against the sandbox.)
/// </summary>
public sealed class PostInvoiceConsumerTests : IAsyncLifetime
{
    private static readonly Guid InvoiceId = Guid.Parse("0b6d1f0e-55aa-4f1c-a0c4-2c0a8e6f7d11");
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddAccountingSyncHandlers(), services => services.AddSingleton<InvoicePostingSignal>().AddSingleton<PostingSequence>(),
            cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static PostInvoice ErpRolloutInvoice(Guid? invoiceId = null, string memo = "ERP rollout, phase 1") => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf("deal-9001"),
        InvoiceId = invoiceId ?? InvoiceId,
        CustomerId = ContosoId,
        AccountingCustomerRef = "58",
        Currency = Currency,
        Lines = [new InvoiceLine { Description = "ERP rollout, phase 1 (fixed fee)", Quantity = 1, UnitPrice = 18_500m }],
        InvoiceDate = new DateOnly(2026, 3, 2),
        DueDate = new DateOnly(2026, 4, 1),
        Memo = memo,
    };

    private async Task<(PendingInvoice? Invoice, long Version)> QueuedAsync(Guid invoiceId)
    {
        var stored = await _harness.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(invoiceId.ToString("D"), TestContext.Current.CancellationToken);
        return (stored?.Value, stored?.Version ?? 0);
    }

    [Fact]
    public async Task An_invoice_to_post_is_queued_for_the_tenant_with_its_lines_and_dates()
    {
        await _harness.DeliverAsync(ErpRolloutInvoice());

        var (queued, _) = await QueuedAsync(InvoiceId);
        Assert.NotNull(queued);
        Assert.Equal((PostingStatus.Queued, Tenant, FlowOf("deal-9001"), "58", "GBP"),
            (queued.Status, queued.TenantId, queued.FlowId, queued.AccountingCustomerRef, queued.Currency));
        Assert.Equal(("ERP rollout, phase 1 (fixed fee)", 18_500m), (Assert.Single(queued.Lines).Description, queued.Lines[0].UnitPrice));
        Assert.Equal((new DateOnly(2026, 3, 2), new DateOnly(2026, 4, 1)), (queued.InvoiceDate, queued.DueDate));
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime, queued.Enqueued);
    }

    [Fact]
    public async Task The_posting_worker_is_woken_once_the_invoice_is_stored_so_its_first_look_finds_it()
    {
        var signal = _harness.Services.GetRequiredService<InvoicePostingSignal>();
        var woken = Task.Run(async () =>
        {
            // What the worker does when woken: look for queued invoices.
            await signal.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            return (await QueuedAsync(InvoiceId)).Invoice;
        }, TestContext.Current.CancellationToken);

        await _harness.DeliverAsync(ErpRolloutInvoice());

        Assert.Equal(PostingStatus.Queued, (await woken)?.Status);
    }

    [Fact]
    public async Task A_redelivered_command_wakes_no_worker()
    {
        var messageId = await _harness.DeliverAsync(ErpRolloutInvoice());
        var signal = _harness.Services.GetRequiredService<InvoicePostingSignal>();
        Assert.True(await signal.WaitAsync(TimeSpan.Zero, TestContext.Current.CancellationToken)); // the first delivery's

        await _harness.PublishAsync(ErpRolloutInvoice(), messageId);
        await _harness.ConsumedAsync<PostInvoice>(messageId, times: 2);

        Assert.False(await signal.WaitAsync(TimeSpan.Zero, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_redelivered_command_queues_the_invoice_once()
    {
        var messageId = await _harness.DeliverAsync(ErpRolloutInvoice());

        await _harness.PublishAsync(ErpRolloutInvoice(), messageId);
        await _harness.ConsumedAsync<PostInvoice>(messageId, times: 2);

        Assert.Equal(1L, (await QueuedAsync(InvoiceId)).Version);
        Assert.Single(await _harness.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName).FindAsync(p => p.TenantId == Tenant, 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_same_invoice_asked_for_again_later_keeps_what_was_queued_first()
    {
        await _harness.DeliverAsync(ErpRolloutInvoice());
        _harness.Time.Advance(TimeSpan.FromMinutes(5));

        await _harness.DeliverAsync(ErpRolloutInvoice(memo: "asked for again"));

        var (queued, version) = await QueuedAsync(InvoiceId);
        Assert.Equal(("ERP rollout, phase 1", 1L, ServiceHarness.DefaultStart.UtcDateTime), (queued!.Memo, version, queued.Enqueued));
    }

    [Fact]
    public async Task Invoices_are_queued_in_the_order_they_arrive_even_within_one_clock_tick()
    {
        var second = Guid.Parse("2c7e5a10-8d44-4b8e-9f0e-6a3b1c2d4e5f");
        await _harness.DeliverAsync(ErpRolloutInvoice());
        await _harness.DeliverAsync(ErpRolloutInvoice(second));

        Assert.True((await QueuedAsync(InvoiceId)).Invoice!.Sequence < (await QueuedAsync(second)).Invoice!.Sequence);
    }

    [Fact]
    public async Task Everything_the_command_says_about_the_invoice_is_queued_and_the_closed_books_policy_defaults_to_holding()
    {
        var command = ErpRolloutInvoice() with
        {
            DocNumber = " HP-2026-0042 ", PrivateNote = "Milestone 2", CustomerMemo = "Thank you", PaymentTerms = "Net 30", ClassRef = "5000000000000007280",
            DepartmentRef = "2", PurchaseOrder = "4500012345",
            Lines = [new InvoiceLine { Description = "Senior consultant", Quantity = 3, UnitPrice = 1_050m, Amount = 2_835m, DiscountPercent = 10m, ClassRef = "5000000000000007280" }],
        };

        await _harness.DeliverAsync(command);
        await _harness.DeliverAsync(ErpRolloutInvoice(Guid.Parse("2c7e5a10-8d44-4b8e-9f0e-6a3b1c2d4e5f")) with { ClosedBooks = ClosedBooksPolicy.MoveToFirstOpenDate });

        var (queued, _) = await QueuedAsync(InvoiceId);
        Assert.Equal(("HP-2026-0042", "Milestone 2", "Thank you", "Net 30", "5000000000000007280", "2", "4500012345", ClosedBooksPolicy.HoldForFinance, 0),
            (queued!.RequestedDocNumber, queued.PrivateNote, queued.CustomerMemo, queued.PaymentTerms, queued.ClassRef, queued.DepartmentRef, queued.PurchaseOrder,
             queued.ClosedBooks, queued.Revision));
        Assert.Equal((10m, "5000000000000007280"), (queued.Lines[0].DiscountPercent, queued.Lines[0].ClassRef));
        Assert.Equal(ClosedBooksPolicy.MoveToFirstOpenDate, (await QueuedAsync(Guid.Parse("2c7e5a10-8d44-4b8e-9f0e-6a3b1c2d4e5f"))).Invoice!.ClosedBooks);
        Assert.Equal(InvoiceId.ToString("N"), queued.RequestId);
    }

    [Fact]
    public async Task A_failed_invoice_asked_for_again_is_queued_as_its_next_revision_with_a_requestid_of_its_own()
    {
        await _harness.DeliverAsync(ErpRolloutInvoice() with { DocNumber = "HP-2026-0042" });
        var (first, version) = await QueuedAsync(InvoiceId);
        first!.Status = PostingStatus.Failed;
        first.FailureKind = "DuplicateDocNumber";
        await _harness.Store.CommitAsync([QuoteToCash.ServiceDefaults.Storage.DocumentWrite.Replace(PendingInvoice.CollectionName, InvoiceId.ToString("D"), first, version)], TestContext.Current.CancellationToken);

        await _harness.DeliverAsync(ErpRolloutInvoice() with { DocNumber = "HP-2026-0043" });

        var (again, _) = await QueuedAsync(InvoiceId);
        Assert.Equal((PostingStatus.Queued, 1, "HP-2026-0043", (string?)null), (again!.Status, again.Revision, again.RequestedDocNumber, again.FailureKind));
        Assert.NotEqual(first.RequestId, again.RequestId);
        Assert.True(again.Sequence > first.Sequence);
    }

    private Task Connected(string environment) => _harness.Store.CommitAsync(
        [QuoteToCash.ServiceDefaults.Storage.DocumentWrite.Upsert(QuoteToCash.AccountingSync.Infrastructure.QuickBooks.QboConnection.CollectionName, Tenant,
            new QuoteToCash.AccountingSync.Infrastructure.QuickBooks.QboConnection { TenantId = Tenant, RealmId = "9130", Environment = environment })],
        TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_sandbox_mode_invoice_never_reaches_a_production_company()
    {
        await Connected("production");

        await _harness.DeliverAsync(ErpRolloutInvoice() with { SandboxOnly = true });
        await _harness.SettleAsync();

        Assert.Null((await QueuedAsync(InvoiceId)).Invoice);
        var refused = Assert.Single(_harness.Published<InvoicePostingFailed>());
        Assert.Equal(("NotSandbox", InvoiceId), (refused.Kind, refused.InvoiceId));
        Assert.Contains("production company", refused.Message);
    }

    [Fact]
    public async Task A_sandbox_mode_invoice_is_queued_for_a_sandbox_company()
    {
        await Connected("sandbox");

        await _harness.DeliverAsync(ErpRolloutInvoice() with { SandboxOnly = true });

        Assert.Equal(PostingStatus.Queued, (await QueuedAsync(InvoiceId)).Invoice!.Status);
        Assert.Empty(_harness.Published<InvoicePostingFailed>());
    }
}
