using System.Text.Json;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>
/// PostInvoice end to end on the test harness: the consumer queues it, the posting worker sends it with accounting-sync's
/// real QuickBooks client to the sandbox process, and the test reads what the sandbox company holds and what
/// accounting-sync answered. The firm bills Contoso for the second milestone of its ERP rollout.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class InvoicePostingTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private const string SeniorConsultingItem = "4";
    private const string TrainingItem = "7";
    private const string Net15 = "3";
    private static readonly Guid ContosoId = Guid.Parse("4f2a9c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private QuickBooksCompanyHarness _company = null!;
    private QboCustomer _contoso = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, posting: true);
        await _company.ConnectAsync(Tenant);
        _contoso = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    private PostInvoice Milestone(Guid? invoiceId = null, DateOnly? invoiceDate = null, DateOnly? dueDate = null) => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf("deal-9001"),
        InvoiceId = invoiceId ?? Guid.NewGuid(),
        CustomerId = ContosoId,
        AccountingCustomerRef = _contoso.Id,
        Currency = Currency,
        InvoiceDate = invoiceDate ?? new DateOnly(2026, 3, 2),
        DueDate = dueDate ?? default,
        Lines = [new InvoiceLine { Description = "ERP rollout, milestone 2", ItemRef = SeniorConsultingItem, Quantity = 4m, UnitPrice = 1_050m, Amount = 4_200m }],
    };

    private Task<InvoicePosted> PostedAsync(Guid invoiceId) => _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == invoiceId);

    private Task<InvoicePostingFailed> FailedAsync(Guid invoiceId) => _company.PublishedAsync<InvoicePostingFailed>(m => m.InvoiceId == invoiceId);

    private static string Text(JsonElement entity, params string[] path)
    {
        foreach (var step in path)
            entity = entity.GetProperty(step);
        return entity.ValueKind == JsonValueKind.String ? entity.GetString()! : entity.GetRawText();
    }

    [Fact]
    public async Task Every_field_of_the_command_lands_on_the_QuickBooks_invoice()
    {
        var consulting = await _company.CreateInQuickBooksAsync(Tenant, new QboClass { Name = "Consulting" });
        var training = await _company.CreateInQuickBooksAsync(Tenant, new QboClass { Name = "Training" });
        var leeds = await _company.CreateInQuickBooksAsync(Tenant, new QboDepartment { Name = "Leeds" });
        var command = Milestone() with
        {
            DocNumber = "HP-2026-0042",
            PrivateNote = "ERP rollout, phase 1: milestone 2 of 3",
            CustomerMemo = "Thank you for your business.",
            PaymentTerms = "net 15",
            ClassRef = consulting.Id,
            DepartmentRef = leeds.Id,
            PurchaseOrder = "4500012345",
            Lines =
            [
                new InvoiceLine
                {
                    Description = "Senior consultant, days", ItemRef = SeniorConsultingItem, Quantity = 3m, UnitPrice = 1_050m, Amount = 2_835m,
                    DiscountPercent = 10m, TaxCode = "NON", ServiceDate = new DateOnly(2026, 2, 27), ClassRef = consulting.Id,
                },
                new InvoiceLine { Description = "Key-user workshop", ItemRef = TrainingItem, Quantity = 1m, UnitPrice = 1_200m, Amount = 1_200m, ClassRef = training.Id },
            ],
        };

        await _company.Harness.DeliverAsync(command);

        var posted = await PostedAsync(command.InvoiceId);
        var invoice = await _company.EntityAsync("invoice", posted.AccountingInvoiceId);
        Assert.Equal(("HP-2026-0042", "2026-03-02", "2026-03-17", Net15, "Net 15"),
            (Text(invoice, "DocNumber"), Text(invoice, "TxnDate"), Text(invoice, "DueDate"), Text(invoice, "SalesTermRef", "value"), Text(invoice, "SalesTermRef", "name")));
        Assert.Equal((consulting.Id, leeds.Id, _contoso.Id, "GBP"),
            (Text(invoice, "ClassRef", "value"), Text(invoice, "DepartmentRef", "value"), Text(invoice, "CustomerRef", "value"), Text(invoice, "CurrencyRef", "value")));
        Assert.Equal(("ERP rollout, phase 1: milestone 2 of 3", "PO: 4500012345\nThank you for your business."),
            (Text(invoice, "PrivateNote"), Text(invoice, "CustomerMemo", "value")));
        var lines = invoice.GetProperty("Line").EnumerateArray().ToList();
        var discounted = lines[0].GetProperty("SalesItemLineDetail");
        Assert.Equal(("Senior consultant, days (10% discount)", 2_835m), (Text(lines[0], "Description"), lines[0].GetProperty("Amount").GetDecimal()));
        Assert.Equal((3m, 945m, "NON", "2026-02-27", consulting.Id, SeniorConsultingItem),
            (discounted.GetProperty("Qty").GetDecimal(), discounted.GetProperty("UnitPrice").GetDecimal(), Text(discounted, "TaxCodeRef", "value"),
             Text(discounted, "ServiceDate"), Text(discounted, "ClassRef", "value"), Text(discounted, "ItemRef", "value")));
        var workshop = lines[1].GetProperty("SalesItemLineDetail");
        Assert.Equal((1m, 1_200m, training.Id), (workshop.GetProperty("Qty").GetDecimal(), workshop.GetProperty("UnitPrice").GetDecimal(), Text(workshop, "ClassRef", "value")));
        Assert.Equal(4_035m, invoice.GetProperty("TotalAmt").GetDecimal());
        Assert.Equal(("HP-2026-0042", 4_035m, 4_035m, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 17), (DateOnly?)null, (string?)null),
            (posted.DocNumber, posted.Total, posted.Balance, posted.InvoiceDate, posted.DueDate, posted.RequestedInvoiceDate, posted.Note));
    }

    [Fact]
    public async Task A_redelivered_command_and_the_same_invoice_asked_for_again_leave_one_QuickBooks_invoice()
    {
        var command = Milestone();
        var messageId = await _company.Harness.DeliverAsync(command);
        await _company.Harness.PublishAsync(command, messageId);
        await _company.Harness.ConsumedAsync<PostInvoice>(messageId, times: 2);
        var posted = await PostedAsync(command.InvoiceId);

        await _company.Harness.DeliverAsync(command); // billing asking again, as a new message, after the invoice was posted
        await _company.Harness.SettleAsync();

        Assert.Single(await _company.EntitiesAsync("invoice"));
        Assert.Single(_company.Harness.Published<InvoicePosted>());
        Assert.Equal("1001", posted.DocNumber);
    }

    [Fact]
    public async Task An_invoice_dated_in_a_closed_period_moves_to_the_first_open_day_when_the_command_allows_it()
    {
        await _company.CloseBooksAsync(new DateOnly(2026, 2, 28));
        var command = Milestone(invoiceDate: new DateOnly(2026, 2, 20), dueDate: new DateOnly(2026, 3, 22)) with { ClosedBooks = ClosedBooksPolicy.MoveToFirstOpenDate };

        await _company.Harness.DeliverAsync(command);

        var posted = await PostedAsync(command.InvoiceId);
        var invoice = await _company.EntityAsync("invoice", posted.AccountingInvoiceId);
        Assert.Equal(("2026-03-01", "2026-03-31"), (Text(invoice, "TxnDate"), Text(invoice, "DueDate")));
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 2, 20)), (posted.InvoiceDate, posted.DueDate, posted.RequestedInvoiceDate));
        Assert.Contains("books are closed through 2026-02-28", posted.Note);
        Assert.Contains("first open day", posted.Note);
    }

    [Fact]
    public async Task An_invoice_dated_in_a_closed_period_is_held_for_finance_by_default_and_nothing_reaches_QuickBooks()
    {
        await _company.CloseBooksAsync(new DateOnly(2026, 2, 28));
        var command = Milestone(invoiceDate: new DateOnly(2026, 2, 28));

        await _company.Harness.DeliverAsync(command);

        var failed = await FailedAsync(command.InvoiceId);
        Assert.Equal(("ClosedPeriod", new DateOnly(2026, 2, 28)), (failed.Kind, failed.ClosingDate));
        Assert.Contains("held for finance", failed.Message);
        Assert.Empty(await _company.EntitiesAsync("invoice"));
        Assert.Empty(_company.Harness.Published<InvoicePosted>());
    }

    [Fact]
    public async Task Books_closed_after_the_closing_date_was_read_are_found_out_from_QuickBooks_refusal_and_the_policy_still_applies()
    {
        var first = Milestone();
        await _company.Harness.DeliverAsync(first);
        await PostedAsync(first.InvoiceId); // the open books were read and kept
        await _company.CloseBooksAsync(new DateOnly(2026, 3, 15));
        var moved = Milestone(invoiceDate: new DateOnly(2026, 3, 10)) with { ClosedBooks = ClosedBooksPolicy.MoveToFirstOpenDate };
        await _company.Harness.DeliverAsync(moved);
        var posted = await PostedAsync(moved.InvoiceId);
        await _company.CloseBooksAsync(new DateOnly(2026, 3, 20)); // closed further after accounting-sync read 15 March
        var held = Milestone(invoiceDate: new DateOnly(2026, 3, 18));
        await _company.Harness.DeliverAsync(held);
        var failed = await FailedAsync(held.InvoiceId);

        Assert.Equal((new DateOnly(2026, 3, 16), new DateOnly(2026, 3, 10)), (posted.InvoiceDate, posted.RequestedInvoiceDate));
        Assert.Equal(("ClosedPeriod", "6210", new DateOnly(2026, 3, 20)), (failed.Kind, failed.Code, failed.ClosingDate));
        Assert.Contains("closed through 2026-03-20", failed.Message);
        Assert.Equal(2, (await _company.EntitiesAsync("invoice")).Count);
    }

    [Fact]
    public async Task A_number_already_used_in_QuickBooks_fails_with_the_number_and_the_invoice_goes_through_with_the_next_one()
    {
        await _company.CreateInQuickBooksAsync(Tenant, new QboInvoice
        {
            CustomerRef = QboRef.To(_contoso.Id!), DocNumber = "HP-2026-0042",
            Line = [new QboLine { Amount = 150m, DetailType = "SalesItemLineDetail", SalesItemLineDetail = new QboSalesItemLineDetail { ItemRef = QboRef.To("3") } }],
        });
        var command = Milestone() with { DocNumber = "HP-2026-0042" };

        await _company.Harness.DeliverAsync(command);
        var failed = await FailedAsync(command.InvoiceId);
        await _company.Harness.DeliverAsync(command with { DocNumber = "HP-2026-0043" });
        var posted = await PostedAsync(command.InvoiceId);

        Assert.Equal(("DuplicateDocNumber", "6140", "HP-2026-0042"), (failed.Kind, failed.Code, failed.DocNumber));
        Assert.Contains("'HP-2026-0042'", failed.Message);
        Assert.Equal("HP-2026-0043", posted.DocNumber);
        Assert.Equal(["HP-2026-0042", "HP-2026-0043"], (await _company.EntitiesAsync("invoice")).Select(i => Text(i, "DocNumber")));
        var stored = await _company.Harness.GetAsync<PendingInvoice>(PendingInvoice.CollectionName, command.InvoiceId.ToString("D"));
        Assert.Equal((PostingStatus.Posted, 1), (stored!.Status, stored.Revision));
    }

    [Fact]
    public async Task Terms_QuickBooks_does_not_have_fail_the_invoice_for_finance()
    {
        var command = Milestone() with { PaymentTerms = "Net 45" };

        await _company.Harness.DeliverAsync(command);

        var failed = await FailedAsync(command.InvoiceId);
        Assert.Equal(("Validation", "unknown-terms"), (failed.Kind, failed.Code));
        Assert.Contains("'Net 45'", failed.Message);
        Assert.Empty(await _company.EntitiesAsync("invoice"));
    }

    [Fact]
    public async Task A_single_whose_answer_was_lost_when_the_service_stopped_is_sent_again_alone_and_made_once()
    {
        // Before the stop: the first invoice was recorded as sent alone and QuickBooks made it, but the answer was never
        // recorded. A second invoice queued meanwhile.
        var lost = Milestone() with { PrivateNote = "deal:hubspot:deal-9201" };
        await _company.Harness.DeliverAsync(lost);
        var lostInvoice = (await PostedAsync(lost.InvoiceId)).AccountingInvoiceId;
        var stored = await _company.Harness.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(lost.InvoiceId.ToString("D"),
            TestContext.Current.CancellationToken);
        var unanswered = stored!.Value;
        unanswered.Status = PostingStatus.InFlight;
        unanswered.AccountingInvoiceId = null;
        unanswered.Posted = null;
        var queued = Milestone() with { PrivateNote = "deal:hubspot:deal-9202" };

        await _company.Harness.Store.CommitAsync([DocumentWrite.Replace(PendingInvoice.CollectionName, stored.Id, unanswered, stored.Version)],
            TestContext.Current.CancellationToken);
        await _company.Harness.DeliverAsync(queued);

        await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == queued.InvoiceId);
        Assert.True(await Polling.Eventually(async () => (await _company.Harness.GetAsync<PendingInvoice>(PendingInvoice.CollectionName,
            lost.InvoiceId.ToString("D")))!.Status == PostingStatus.Posted, TimeSpan.FromSeconds(10)), "the unanswered single was not sent again");
        // QuickBooks replayed the single's first answer for its requestid: the same invoice, not a second one.
        Assert.Equal(lostInvoice, (await _company.Harness.GetAsync<PendingInvoice>(PendingInvoice.CollectionName, lost.InvoiceId.ToString("D")))!.AccountingInvoiceId);
        Assert.Equal(["deal:hubspot:deal-9201", "deal:hubspot:deal-9202"], (await _company.EntitiesAsync("invoice")).Select(i => Text(i, "PrivateNote")).Order());
    }
}
