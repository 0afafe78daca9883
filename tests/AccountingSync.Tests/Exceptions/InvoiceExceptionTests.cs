using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>
/// Failed invoices in the exception queue, end to end on the test harness: the posting worker with accounting-sync's real
/// QuickBooks client against the sandbox process raises the exception, finance fixes the cause in QuickBooks and presses
/// Retry (one invoice, or 200 at once), and the later success resolves the exceptions by itself.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class InvoiceExceptionTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private const string SeniorConsultingItem = "4";
    private QuickBooksCompanyHarness _company = null!;
    private QboCustomer _contoso = null!;
    private ExceptionQueue _queue = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, posting: true);
        await _company.ConnectAsync(Tenant);
        _contoso = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
        _queue = new ExceptionQueue(_company.Harness);
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    /// <summary>A milestone of a Contoso deal, on terms QuickBooks does not have until finance creates them.</summary>
    private PostInvoice OnNet45(string deal = "deal-9001", string? docNumber = "HP-2026-0042") => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf(deal),
        InvoiceId = Guid.NewGuid(),
        CustomerId = Guid.Parse("4f2a9c1e-0d5b-4c55-9a3e-8b1f2d7c4e90"),
        AccountingCustomerRef = _contoso.Id,
        Currency = Currency,
        InvoiceDate = new DateOnly(2026, 3, 2),
        DocNumber = docNumber,
        PaymentTerms = "Net 45",
        PrivateNote = $"deal:{Crm}:{deal}",
        Lines = [new InvoiceLine { Description = "ERP rollout, milestone 2", ItemRef = SeniorConsultingItem, Quantity = 4m, UnitPrice = 1_050m, Amount = 4_200m }],
    };

    [Fact]
    public async Task A_refused_invoice_is_an_exception_in_finance_s_words_and_retry_after_the_fix_posts_exactly_one_invoice()
    {
        var command = OnNet45();
        await _company.Harness.DeliverAsync(command);
        await _company.PublishedAsync<InvoicePostingFailed>(m => m.InvoiceId == command.InvoiceId); // billing still hears of it

        var exception = await _queue.SingleAsync(SyncExceptionKind.Validation);
        Assert.Equal(("Invoice", command.InvoiceId.ToString("D"), "PostInvoice", command.FlowId, "hubspot:deal-9001", command.InvoiceId.ToString("N")),
            (exception.Entity, exception.EntityId, exception.Operation, exception.FlowId, exception.DealRef, exception.RequestId));
        Assert.Equal("Invoice HP-2026-0042 of 4,200.00 GBP for deal hubspot:deal-9001 was not posted to QuickBooks: " +
                     "The payment terms 'Net 45' do not exist in QuickBooks; create them there or send terms QuickBooks has.", exception.Message);
        Assert.Equal("Create these payment terms in QuickBooks, or give the deal terms QuickBooks has, then press Retry.", exception.SuggestedFix);

        await _company.CreateInQuickBooksAsync(Tenant, new QboTerm { Name = "Net 45", DueDays = 45 });
        var retried = Assert.IsType<Ok<ExceptionsApi.RetryView>>(await _queue.RetryAsync(exception.ExceptionId));

        var posted = await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == command.InvoiceId);
        Assert.Single(await _company.EntitiesAsync("invoice"));
        Assert.Equal("HP-2026-0042", posted.DocNumber);
        Assert.StartsWith("queued again as revision 1", retried.Value!.Retried);
        Assert.True(await Polling.Eventually(async () => (await _queue.GetAsync(exception.ExceptionId)).Status == SyncExceptionStatus.Resolved, TimeSpan.FromSeconds(10)));
        var resolved = await _queue.GetAsync(exception.ExceptionId);
        Assert.True(resolved.ResolvedAutomatically);
        Assert.StartsWith("resolved automatically by a later success", resolved.History[^1].Why);
        Assert.Contains(resolved.History, h => h.Why.StartsWith("retried: queued again as revision 1", StringComparison.Ordinal) && h.By == "maya");
    }

    [Fact]
    public async Task An_email_asked_for_while_its_invoice_is_refused_waits_for_the_retry_and_goes_once_the_invoice_is_posted()
    {
        var command = OnNet45();
        await _company.Harness.DeliverAsync(command);
        var exception = await _queue.SingleAsync(SyncExceptionKind.Validation);

        await _company.Harness.DeliverAsync(new SendInvoice
        {
            TenantId = Tenant, FlowId = command.FlowId, InvoiceId = command.InvoiceId, SendTo = "ap@contoso-logistics.test", RequestedAt = _company.Harness.Time.GetUtcNow(),
        });

        var held = Assert.Single(await _company.Harness.Store.Collection<QuoteToCash.AccountingSync.Infrastructure.Outbound.OutboundEntry>(
            QuoteToCash.AccountingSync.Infrastructure.Outbound.OutboundEntry.CollectionName).FindAsync(h => h.TenantId == Tenant, cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal("The e-mail of the invoice waits for invoice HP-2026-0042, which QuickBooks refused; it goes by itself once that invoice's exception is retried and the invoice is posted.",
            held.Explanation);
        await _company.Harness.SettleAsync();
        Assert.Equal(1, (await _queue.ListAsync()).Total); // the invoice's exception only: the e-mail is not a second problem
        Assert.Empty(_company.Harness.Published<InvoiceSent>());

        await _company.CreateInQuickBooksAsync(Tenant, new QboTerm { Name = "Net 45", DueDays = 45 });
        Assert.IsType<Ok<ExceptionsApi.RetryView>>(await _queue.RetryAsync(exception.ExceptionId));

        var posted = await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == command.InvoiceId);
        var sent = await _company.PublishedAsync<InvoiceSent>(m => m.InvoiceId == command.InvoiceId);
        Assert.Equal("EmailSent", (await _company.EntityAsync("invoice", posted.AccountingInvoiceId)).GetProperty("EmailStatus").GetString());
        Assert.Equal(command.FlowId, sent.FlowId);
    }

    [Fact]
    public async Task Two_hundred_failed_invoices_are_retried_at_once_and_each_is_posted_exactly_once()
    {
        var commands = Enumerable.Range(1, 200).Select(i => OnNet45($"deal-{9000 + i}", docNumber: null)).ToList();
        foreach (var command in commands)
            await _company.Harness.PublishAsync(command);
        Assert.True(await Polling.Eventually(async () => (await _queue.ListAsync(kind: "Validation", pageSize: 500)).Total == 200, TimeSpan.FromSeconds(60)),
            "200 exceptions were not raised");
        await _company.CreateInQuickBooksAsync(Tenant, new QboTerm { Name = "Net 45", DueDays = 45 });

        var bulk = await _queue.BulkRetryAsync(new ExceptionsApi.BulkRetryRequest { Kind = "validation", Status = "open" });

        Assert.Equal((200, 200), (bulk.Matched, bulk.Retried));
        Assert.Empty(bulk.Skipped);
        Assert.True(await Polling.Eventually(() => commands.All(c => _company.Harness.Published<InvoicePosted>().Any(p => p.InvoiceId == c.InvoiceId)),
            TimeSpan.FromSeconds(60)), "not every retried invoice was posted");
        var invoices = await _company.EntitiesAsync("invoice");
        Assert.Equal(200, invoices.Count);
        Assert.Equal(200, invoices.Select(i => i.GetProperty("PrivateNote").GetString()).Distinct().Count());
        Assert.True(await Polling.Eventually(async () => (await _queue.ListAsync(status: "resolved", pageSize: 500)).Total == 200, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_manual_edit_conflict_cannot_be_retried_and_the_answer_says_why()
    {
        await _company.Harness.DeliverAsync(new OpenSyncException
        {
            TenantId = Tenant, Kind = SyncExceptionKind.ManualEditConflict, Entity = "Invoice", EntityId = Guid.NewGuid().ToString("D"), Operation = "Inbound",
            AccountingId = "130", Message = "Invoice HP-2026-0042 was changed in QuickBooks: its total is 3,900.00 GBP there and 4,200.00 GBP in the platform.",
            SuggestedFix = "Decide which total is right and correct the other side, then resolve the exception.", OccurredAt = _company.Harness.Time.GetUtcNow(),
        });
        var conflict = await _queue.SingleAsync(SyncExceptionKind.ManualEditConflict);

        var answer = await ExceptionQueue.WriteAsync(await _queue.RetryAsync(conflict.ExceptionId));

        Assert.Equal((409, true), (answer.Status, answer.IsProblemJson));
        Assert.Contains("never overwrites", answer.Body);
        Assert.Equal((0, false), ((await _queue.GetAsync(conflict.ExceptionId)).Retries, conflict.Retryable));
    }

    [Fact]
    public async Task A_number_billing_renumbers_by_itself_is_not_an_exception()
    {
        await _company.CreateInQuickBooksAsync(Tenant, new QboTerm { Name = "Net 45", DueDays = 45 });
        await _company.CreateInQuickBooksAsync(Tenant, new QboInvoice
        {
            CustomerRef = QboRef.To(_contoso.Id!), DocNumber = "HP-2026-0042",
            Line = [new QboLine { Amount = 150m, DetailType = "SalesItemLineDetail", SalesItemLineDetail = new QboSalesItemLineDetail { ItemRef = QboRef.To("3") } }],
        });
        var command = OnNet45();

        await _company.Harness.DeliverAsync(command);
        await _company.PublishedAsync<InvoicePostingFailed>(m => m.InvoiceId == command.InvoiceId && m.Kind == "DuplicateDocNumber");
        await _company.Harness.SettleAsync();

        Assert.Equal(0, (await _queue.ListAsync()).Total);
        var stored = await _company.Harness.GetAsync<PendingInvoice>(PendingInvoice.CollectionName, command.InvoiceId.ToString("D"));
        Assert.Equal(PostingStatus.Failed, stored!.Status);
    }
}
