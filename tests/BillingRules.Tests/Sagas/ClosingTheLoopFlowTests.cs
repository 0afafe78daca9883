using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Domain.Standing;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Sagas;

/// <summary>
/// The saga's side of closing the loop, on the harness: each invoice's status announced to the CRM once per change,
/// voids from QuickBooks, overdue and the customer's 30-days-late standing across deals, e-mailing posted invoices,
/// time entries sent to QuickBooks, and holds announced to (and retried from) the exception queue. Contoso's 18,500 GBP
/// fixed fee is won on 2 March 2026 on Net 30: due 1 April, overdue from 2 April, 30 days late from 2 May.
/// </summary>
public sealed class ClosingTheLoopFlowTests : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private readonly Guid _flowId = FlowOf("deal-9001");
    private FlowHarness _flows = null!;

    private ServiceHarness Harness => _flows.Harness;

    public async ValueTask InitializeAsync() => _flows = await FlowHarness.StartAsync();

    public ValueTask DisposeAsync() => _flows.DisposeAsync();

    private Task<QuoteToCashState> Flow(Guid? flowId = null) => _flows.FlowAsync(flowId ?? _flowId);

    private async Task<Guid> InvoiceId(Guid? flowId = null) => Assert.Single((await Flow(flowId)).Invoices).Draft.InvoiceId;

    /// <summary>Won, customer ready, invoice posted as <paramref name="docNumber"/>; returns the invoice ID.</summary>
    private async Task<Guid> Posted(string dealId = "deal-9001", string docNumber = "1042", DateOnly? dueDate = null)
    {
        var flowId = FlowOf(dealId);
        await Harness.DeliverAsync(ErpRolloutWon(dealId));
        await Harness.DeliverAsync(ContosoReady(flowId, ContosoId));
        var invoiceId = await InvoiceId(flowId);
        await Harness.DeliverAsync(PostedAs(flowId, invoiceId, docNumber, dueDate));
        await _flows.InStateAsync(flowId, FlowStage.Posted);
        return invoiceId;
    }

    private InvoicePosted PostedAs(Guid flowId, Guid invoiceId, string docNumber, DateOnly? dueDate = null) => new()
    {
        TenantId = Tenant, FlowId = flowId, InvoiceId = invoiceId, AccountingInvoiceId = "130-" + docNumber, DocNumber = docNumber, Total = 18_500m,
        Balance = 18_500m, PostedAt = Harness.Time.GetUtcNow(), DueDate = dueDate,
    };

    private PaymentReceived Payment(Guid invoiceId, decimal amount, decimal remaining, Guid? flowId = null, string id = "201", string? creditMemo = null) => new()
    {
        TenantId = Tenant, FlowId = flowId ?? _flowId, InvoiceId = invoiceId, AccountingPaymentId = id, Amount = amount, RemainingBalance = remaining,
        Currency = Currency, ReceivedAt = Harness.Time.GetUtcNow(), AccountingCreditMemoId = creditMemo,
    };

    private InvoiceSent Sent(Guid invoiceId) => new() { TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, SentAt = Harness.Time.GetUtcNow() };

    private InvoiceVoided Voided(Guid invoiceId, string accountingId = "130-1042") => new()
    {
        TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, AccountingInvoiceId = accountingId, VoidedAt = Harness.Time.GetUtcNow(),
    };

    private async Task<List<InvoiceStatusChanged>> Statuses(Guid? flowId = null)
    {
        await Harness.SettleAsync();
        return Harness.Published<InvoiceStatusChanged>().Where(s => s.FlowId == (flowId ?? _flowId)).ToList();
    }

    private async Task<List<AccountStandingChanged>> Standings()
    {
        await Harness.SettleAsync();
        return Harness.Published<AccountStandingChanged>().ToList();
    }

    private async Task SetPolicy(Action<BillingPolicy> change)
    {
        var policy = BillingPolicy.DefaultFor(Tenant);
        change(policy);
        await Harness.Store.CommitAsync([DocumentWrite.Upsert(BillingPolicy.CollectionName, Tenant, policy)], TestContext.Current.CancellationToken);
    }

    // ---- Invoice status to the CRM ----

    [Fact]
    public async Task Sent_partially_paid_and_paid_are_each_announced_once_and_a_redelivered_payment_announces_nothing()
    {
        var invoiceId = await Posted();
        Assert.Empty(await Statuses()); // Posted: crm-ingest writes it from InvoicePosted

        await Harness.DeliverAsync(Sent(invoiceId));
        await Harness.DeliverAsync(Payment(invoiceId, 5_000m, 13_500m, id: "201"));
        var sameAgain = Payment(invoiceId, 5_000m, 13_500m, id: "201");
        var messageId = await Harness.DeliverAsync(sameAgain);
        await Harness.PublishAsync(sameAgain, messageId); // and once more under the same message ID
        await Harness.ConsumedAsync<PaymentReceived>(messageId, times: 2);
        Harness.Time.Advance(TimeSpan.FromDays(20));
        await Harness.DeliverAsync(Payment(invoiceId, 13_500m, 0m, id: "202"));

        var statuses = await Statuses();
        Assert.Equal([("Sent", 18_500m, (DateOnly?)null), ("Partially paid", 13_500m, null), ("Paid", 0m, new DateOnly(2026, 3, 22))],
            statuses.Select(s => (s.Status, s.BalanceDue, s.PaidDate)));
        Assert.All(statuses, s => Assert.Equal(("1042", invoiceId), (s.DocNumber, s.InvoiceId)));
        Assert.True(statuses.Zip(statuses.Skip(1)).All(p => p.First.ChangedAt <= p.Second.ChangedAt));
        await _flows.InStateAsync(_flowId, FlowStage.Closed);
    }

    [Fact]
    public async Task A_payment_before_the_sent_confirmation_leaves_the_invoice_paid_and_the_late_confirmation_announces_nothing()
    {
        var invoiceId = await Posted();
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));

        await Harness.DeliverAsync(Sent(invoiceId));

        Assert.Equal(["Paid"], (await Statuses()).Select(s => s.Status));
        var invoice = Assert.Single((await Flow()).Invoices);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.NotNull(invoice.SentAt);
    }

    [Fact]
    public async Task A_credit_memo_applied_in_quickbooks_settles_the_invoice_as_a_credit_not_as_cash()
    {
        var invoiceId = await Posted();
        await Harness.DeliverAsync(Payment(invoiceId, 3_000m, 15_500m, id: "201"));

        await Harness.DeliverAsync(Payment(invoiceId, 15_500m, 0m, id: "cm-9", creditMemo: "9"));

        var invoice = Assert.Single((await Flow()).Invoices);
        Assert.Equal((InvoiceStatus.Credited, 3_000m, 15_500m, 0m), (invoice.Status, invoice.Paid, invoice.Credited, invoice.Balance));
        Assert.Null(invoice.PaidAt);
        Assert.Equal([("Partially paid", 15_500m, (DateOnly?)null), ("Paid", 0m, null)], (await Statuses()).Select(s => (s.Status, s.BalanceDue, s.PaidDate)));
    }

    [Fact]
    public async Task An_invoice_voided_in_quickbooks_owes_nothing_is_announced_voided_once_and_its_due_date_is_no_longer_watched()
    {
        var invoiceId = await Posted();

        var messageId = await Harness.DeliverAsync(Voided(invoiceId));
        await Harness.DeliverAsync(Voided(invoiceId));
        await Harness.PublishAsync(Voided(invoiceId), messageId);
        await Harness.ConsumedAsync<InvoiceVoided>(messageId, times: 2);

        await _flows.InStateAsync(_flowId, FlowStage.Closed);
        var flow = await Flow();
        var invoice = Assert.Single(flow.Invoices);
        Assert.Equal((InvoiceStatus.Voided, 0m), (invoice.Status, invoice.Balance));
        Assert.Contains(flow.Alerts, a => a.Message.Contains("1042 was voided in QuickBooks", StringComparison.Ordinal));
        var voided = Assert.Single(await Statuses());
        Assert.Equal(("Voided", 0m, "1042"), (voided.Status, voided.BalanceDue, voided.DocNumber));
        Assert.Null(await _flows.JobAsync(SettleFlowActivity.OverdueJobId(invoiceId)));
        Assert.Null(await _flows.JobAsync(SettleFlowActivity.PastDue30JobId(invoiceId)));
    }

    [Fact]
    public async Task A_void_after_payment_makes_the_payment_the_customer_s_credit()
    {
        var invoiceId = await Posted();
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));

        await Harness.DeliverAsync(Voided(invoiceId) with { Deleted = true });

        var flow = await Flow();
        var invoice = Assert.Single(flow.Invoices);
        Assert.Equal((InvoiceStatus.Voided, 0m, 18_500m, true), (invoice.Status, invoice.Balance, invoice.UnappliedCredit, invoice.DeletedInAccounting));
        Assert.Contains(flow.Alerts, a => a.Message.Contains("deleted in QuickBooks", StringComparison.Ordinal) && a.Message.Contains("unapplied credit", StringComparison.Ordinal));
        Assert.Equal(["Paid", "Voided"], (await Statuses()).Select(s => s.Status));
    }

    [Fact]
    public async Task A_void_of_another_quickbooks_invoice_changes_nothing()
    {
        var invoiceId = await Posted();

        await Harness.DeliverAsync(Voided(invoiceId, accountingId: "999"));

        Assert.Equal(InvoiceStatus.Posted, Assert.Single((await Flow()).Invoices).Status);
        Assert.Empty(await Statuses());
    }

    [Fact]
    public async Task A_void_that_overtakes_the_posting_result_voids_the_invoice_and_the_late_posting_changes_nothing()
    {
        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        var invoiceId = await InvoiceId();

        await Harness.DeliverAsync(Voided(invoiceId));
        await Harness.DeliverAsync(PostedAs(_flowId, invoiceId, "1042"));

        var invoice = Assert.Single((await Flow()).Invoices);
        Assert.Equal((InvoiceStatus.Voided, "130-1042"), (invoice.Status, invoice.AccountingInvoiceId));
        Assert.Empty(Harness.Published<SendInvoice>());
    }

    // ---- Overdue and standing ----

    [Fact]
    public async Task Past_its_due_date_an_unpaid_invoice_is_announced_overdue_once_and_a_part_payment_keeps_it_overdue_with_the_new_balance()
    {
        var invoiceId = await Posted();

        var overdue = await _flows.FireAsync<InvoiceDueDatePassed>(SettleFlowActivity.OverdueJobId(invoiceId));
        await Harness.DeliverAsync(overdue); // the scheduler fires again after a crash
        await Harness.DeliverAsync(Payment(invoiceId, 8_500m, 10_000m));

        await _flows.InStateAsync(_flowId, FlowStage.Overdue);
        Assert.Equal(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero), Harness.Time.GetUtcNow());
        Assert.Equal([("Overdue", 18_500m), ("Overdue", 10_000m)], (await Statuses()).Select(s => (s.Status, s.BalanceDue)));
    }

    private PaymentReversed Reversal(Guid invoiceId, decimal amount, decimal owed, string id = "201") => new()
    {
        TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, AccountingPaymentId = id, Amount = amount, RemainingBalance = owed, Currency = Currency,
        Removed = true, ReversedAt = Harness.Time.GetUtcNow(),
    };

    [Fact]
    public async Task A_payment_taken_back_in_quickbooks_makes_the_invoice_owe_again_announced_once()
    {
        var invoiceId = await Posted();
        await Harness.DeliverAsync(Sent(invoiceId));
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));
        await _flows.InStateAsync(_flowId, FlowStage.Closed); // paid, and the fixed fee is fully billed

        await Harness.DeliverAsync(Reversal(invoiceId, 18_500m, 18_500m));
        await Harness.DeliverAsync(Reversal(invoiceId, 18_500m, 18_500m)); // re-delivered

        await _flows.InStateAsync(_flowId, FlowStage.Sent);
        var invoice = Assert.Single((await Flow()).Invoices);
        Assert.Equal((18_500m, 0m, (DateTime?)null), (invoice.Balance, invoice.Paid, invoice.PaidAt));
        Assert.Equal([("Sent", 18_500m), ("Paid", 0m), ("Sent", 18_500m)], (await Statuses()).Select(s => (s.Status, s.BalanceDue)));
    }

    [Fact]
    public async Task A_part_of_a_payment_taken_back_leaves_it_part_paid_and_a_reversal_older_than_a_newer_payment_changes_nothing()
    {
        var invoiceId = await Posted();
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));
        await Harness.DeliverAsync(Reversal(invoiceId, 8_500m, 8_500m));
        await _flows.InStateAsync(_flowId, FlowStage.PartiallyPaid);

        await Harness.DeliverAsync(Payment(invoiceId, 8_500m, 0m, id: "202"));
        await _flows.InStateAsync(_flowId, FlowStage.Closed);
        await Harness.DeliverAsync(Reversal(invoiceId, 0m, 0m, id: "202")); // says nothing is owed: nothing to take back

        Assert.Equal([("Paid", 0m), ("Partially paid", 8_500m), ("Paid", 0m)], (await Statuses()).Select(s => (s.Status, s.BalanceDue)));
    }

    [Fact]
    public async Task A_late_invoice_whose_payment_is_taken_back_is_overdue_and_past_due_again()
    {
        var invoiceId = await Posted();
        await _flows.FireAsync<InvoiceDueDatePassed>(SettleFlowActivity.OverdueJobId(invoiceId));
        await _flows.FireAsync<InvoicePastDue30>(SettleFlowActivity.PastDue30JobId(invoiceId));
        // The customer's standing weighs each invoice's latest change by its time; the payment comes after the past-due
        // mark (on a clock that stood still both would carry the same time, and which one counts would depend on the
        // order the standing consumer happened to take them in).
        await _flows.PublishedAsync<AccountStandingChanged>(1);
        Harness.Time.Advance(TimeSpan.FromHours(1));
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));
        await _flows.PublishedAsync<AccountStandingChanged>(2);

        Harness.Time.Advance(TimeSpan.FromHours(1));
        await Harness.DeliverAsync(Reversal(invoiceId, 18_500m, 18_500m));
        // The due-date watch is armed again for a day already past: the scheduler fires it at once.
        await _flows.FireAsync<InvoiceDueDatePassed>(SettleFlowActivity.OverdueJobId(invoiceId));

        await _flows.InStateAsync(_flowId, FlowStage.Overdue);
        var standings = await _flows.PublishedAsync<AccountStandingChanged>(3);
        Assert.Equal([AccountStandings.PastDue30, AccountStandings.Good, AccountStandings.PastDue30], standings.Select(s => s.Standing));
    }

    [Fact]
    public async Task The_due_date_quickbooks_holds_is_the_one_watched()
    {
        var invoiceId = await Posted(dueDate: new DateOnly(2026, 4, 15));

        Assert.Equal(new DateTime(2026, 4, 16), (await _flows.JobAsync(SettleFlowActivity.OverdueJobId(invoiceId)))!.DueAt);
        Assert.Equal(new DateTime(2026, 5, 16), (await _flows.JobAsync(SettleFlowActivity.PastDue30JobId(invoiceId)))!.DueAt);
    }

    [Fact]
    public async Task An_invoice_more_than_thirty_days_late_makes_the_customer_past_due_and_paying_it_makes_it_good_again()
    {
        var invoiceId = await Posted();
        Assert.Equal(new DateTime(2026, 5, 2), (await _flows.JobAsync(SettleFlowActivity.PastDue30JobId(invoiceId)))!.DueAt);

        await _flows.FireAsync<InvoiceDueDatePassed>(SettleFlowActivity.OverdueJobId(invoiceId));
        Assert.Empty(await Standings()); // overdue is not yet 30 days late
        await _flows.FireAsync<InvoicePastDue30>(SettleFlowActivity.PastDue30JobId(invoiceId));

        var pastDue = Assert.Single(await _flows.PublishedAsync<AccountStandingChanged>());
        Assert.Equal((Tenant, ContosoId, "hubspot:company-4711", AccountStandings.PastDue30), (pastDue.TenantId, pastDue.CustomerId, pastDue.CrmCompanyRef, pastDue.Standing));

        Harness.Time.Advance(TimeSpan.FromDays(3));
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));

        var standings = await _flows.PublishedAsync<AccountStandingChanged>(2);
        Assert.Equal([AccountStandings.PastDue30, AccountStandings.Good], standings.Select(s => s.Standing));
        var stored = await Harness.GetAsync<CustomerStanding>(CustomerStanding.CollectionName, CustomerStanding.KeyFor(Tenant, ContosoId));
        Assert.Equal(AccountStandings.Good, stored!.Standing);
    }

    [Fact]
    public async Task Two_late_invoices_of_one_customer_on_two_deals_keep_it_past_due_until_both_are_settled()
    {
        var first = await Posted("deal-a", "1042");
        var second = await Posted("deal-b", "1043");
        await _flows.FireAsync<InvoicePastDue30>(SettleFlowActivity.PastDue30JobId(first));
        // The clock now stands where the scheduler may fire deal-b's job by itself; firing it again is harmless.
        await Harness.DeliverAsync(new InvoicePastDue30 { TenantId = Tenant, FlowId = FlowOf("deal-b"), InvoiceId = second });
        await _flows.FlowWhenAsync(FlowOf("deal-b"), f => f.Invoices[0].PastDue30Announced);
        Assert.Single(await _flows.PublishedAsync<AccountStandingChanged>());

        Harness.Time.Advance(TimeSpan.FromDays(1));
        await Harness.DeliverAsync(Payment(first, 18_500m, 0m, FlowOf("deal-a")));
        Assert.Single(await Standings()); // deal-b's invoice is still late

        Harness.Time.Advance(TimeSpan.FromDays(1));
        await Harness.DeliverAsync(Voided(second, "130-1043") with { FlowId = FlowOf("deal-b") });

        var standings = await _flows.PublishedAsync<AccountStandingChanged>(2);
        Assert.Equal([AccountStandings.PastDue30, AccountStandings.Good], standings.Select(s => s.Standing));
    }

    [Fact]
    public async Task A_customer_without_a_crm_company_gets_its_standing_without_a_company_to_write_it_to()
    {
        await Harness.DeliverAsync(ErpRolloutWon(customer: Contoso("deal-deal-9001")));
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        var invoiceId = await InvoiceId();
        await Harness.DeliverAsync(PostedAs(_flowId, invoiceId, "1042"));

        await _flows.FireAsync<InvoicePastDue30>(SettleFlowActivity.PastDue30JobId(invoiceId));

        var standing = Assert.Single(await _flows.PublishedAsync<AccountStandingChanged>());
        Assert.Equal((AccountStandings.PastDue30, ""), (standing.Standing, standing.CrmCompanyRef));
    }

    [Fact]
    public async Task An_invoice_paid_before_it_was_thirty_days_late_never_touches_the_standing()
    {
        var invoiceId = await Posted();
        await _flows.FireAsync<InvoiceDueDatePassed>(SettleFlowActivity.OverdueJobId(invoiceId));
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));

        await _flows.FireAsync<InvoicePastDue30>(SettleFlowActivity.PastDue30JobId(invoiceId));

        Assert.Empty(await Standings());
        Assert.Null(Assert.Single((await Flow()).Invoices).PastDue30Since);
    }

    // ---- Sending invoices ----

    [Fact]
    public async Task A_posted_invoice_is_sent_once_to_the_customer_s_billing_e_mail()
    {
        var invoiceId = await Posted();
        await Harness.DeliverAsync(PostedAs(_flowId, invoiceId, "1042")); // re-delivered posting result

        var send = Assert.Single(Harness.Published<SendInvoice>());
        Assert.Equal((invoiceId, "130-1042", "ap@contoso-logistics.test"), (send.InvoiceId, send.AccountingInvoiceId, send.SendTo));
        Assert.NotNull(Assert.Single((await Flow()).Invoices).SendRequestedAt);

        await Harness.DeliverAsync(Sent(invoiceId));
        Assert.Equal("Sent", Assert.Single(await Statuses()).Status);
    }

    [Fact]
    public async Task Nothing_is_sent_when_the_tenant_does_not_e_mail_invoices()
    {
        await SetPolicy(p => p.EmailInvoices = false);

        await Posted();

        Assert.Empty(Harness.Published<SendInvoice>());
    }

    [Fact]
    public async Task Nothing_is_sent_when_the_customer_has_no_billing_e_mail()
    {
        await Harness.DeliverAsync(ErpRolloutWon(customer: ContosoIncomplete()));
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await Harness.DeliverAsync(PostedAs(_flowId, await InvoiceId(), "1042"));

        await _flows.InStateAsync(_flowId, FlowStage.Posted);
        Assert.Empty(Harness.Published<SendInvoice>());
    }

    // ---- Time in the books ----

    private static TimeEntryLogged Time(string entryId, string person, string role, DateOnly date, decimal hours, bool billable = true, decimal? rate = null) => new()
    {
        TenantId = Tenant, FlowId = FlowOf("deal-tm"), SourceSystem = Crm, ExternalDealId = "deal-tm", EntryId = entryId, Person = person, Role = role,
        Date = date, Hours = hours, Billable = billable, Rate = rate, Description = $"{person} on the ERP rollout",
    };

    [Fact]
    public async Task Time_entries_go_to_quickbooks_once_each_when_the_customer_has_a_quickbooks_id_with_the_rate_and_the_role_s_item()
    {
        await Harness.DeliverAsync(new ItemMappingChanged
        {
            TenantId = Tenant, ProductKey = "sku:SENIOR-HOURS", ProductName = "Senior consulting", ItemRef = "21", Version = 1, ChangedAt = Harness.Time.GetUtcNow(),
        });
        var flowId = FlowOf("deal-tm");
        var terms = new BillingTerms
        {
            Model = BillingModel.TimeAndMaterials, Period = BillingPeriod.Monthly,
            RateCard = [new() { Role = "senior", Rate = 150m, Product = "SENIOR-HOURS" }, new() { Role = "consultant", Rate = 95m }],
        };
        await Harness.DeliverAsync(Time("t0", "Ada", "senior", new DateOnly(2026, 3, 1), 2m)); // before the deal itself
        await Harness.DeliverAsync(ErpRolloutWon("deal-tm") with { BillingModel = BillingModel.TimeAndMaterials, Billing = terms, Amount = 0m });
        await Harness.DeliverAsync(Time("t1", "Ada", "senior", new DateOnly(2026, 3, 2), 7.5m));
        Assert.Empty(Harness.Published<PostTimeActivity>()); // the customer has no QuickBooks ID yet

        await Harness.DeliverAsync(ContosoReady(flowId, ContosoId));
        await Harness.DeliverAsync(Time("t2", "Ben", "consultant", new DateOnly(2026, 3, 3), 3m, billable: false));
        await Harness.DeliverAsync(Time("t1", "Ada", "senior", new DateOnly(2026, 3, 2), 7.5m)); // re-sent by the CRM

        var posts = (await _flows.PublishedAsync<PostTimeActivity>(3)).OrderBy(p => p.TimeEntryId).ToList();
        Assert.Equal(["t0", "t1", "t2"], posts.Select(p => p.TimeEntryId));
        var ada = posts[1];
        Assert.Equal((flowId, "Ada", "senior", "58", "21", new DateOnly(2026, 3, 2), 7.5m, true, (decimal?)150m, "GBP"),
            (ada.FlowId, ada.Person, ada.Role, ada.CustomerRef, ada.ItemRef, ada.Date, ada.Hours, ada.Billable, ada.HourlyRate, ada.Currency));
        Assert.Equal("Ada on the ERP rollout", ada.Description);
        var ben = posts[2];
        Assert.Equal(("1", false, (decimal?)null), (ben.ItemRef, ben.Billable, ben.HourlyRate)); // the default item; no rate for unbilled time

        await Harness.DeliverAsync(new TimeActivityPosted
        {
            TenantId = Tenant, FlowId = flowId, TimeEntryId = "t1", AccountingTimeActivityId = "TA-77", PostedAt = Harness.Time.GetUtcNow(),
        });
        var entry = (await Flow(flowId)).Contract!.TimeEntries.Single(e => e.EntryId == "t1");
        Assert.Equal("TA-77", entry.AccountingTimeActivityId);
        Assert.NotNull(entry.TimeActivityPostedAt);
    }

    [Fact]
    public async Task Time_on_a_fixed_fee_deal_goes_to_quickbooks_as_not_billable()
    {
        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));

        await Harness.DeliverAsync(Time("f1", "Ada", "senior", new DateOnly(2026, 3, 4), 6m) with { FlowId = _flowId, ExternalDealId = "deal-9001" });

        var post = Assert.Single(await _flows.PublishedAsync<PostTimeActivity>());
        Assert.Equal(("f1", false, (decimal?)null, 6m), (post.TimeEntryId, post.Billable, post.HourlyRate, post.Hours));
    }

    // ---- Holds and the exception queue ----

    [Fact]
    public async Task A_missing_mapping_is_announced_with_its_product_and_a_retry_after_the_mapping_arrived_posts_exactly_one_invoice()
    {
        await using var flows = await FlowHarness.StartAsync(withDefaultItem: false);
        var harness = flows.Harness;
        var deal = ErpRolloutWon("deal-map") with { Lines = [new DealLine { Sku = "ERP-P1", Description = "ERP rollout, phase 1", Quantity = 1, UnitPrice = 18_500m }] };
        await harness.DeliverAsync(deal);
        await harness.DeliverAsync(ContosoReady(deal.FlowId, ContosoId));
        await flows.InStateAsync(deal.FlowId, FlowStage.HeldForMapping);

        var held = Assert.Single(await flows.PublishedAsync<FlowHoldChanged>());
        Assert.Equal(("MissingMapping", "hubspot", "deal-map"), (held.Hold, held.SourceSystem, held.ExternalDealId));
        var detail = Assert.Single(held.Details);
        Assert.Contains("sku:ERP-P1", detail);
        Assert.Contains("ERP rollout, phase 1", detail);

        await harness.DeliverAsync(new ItemMappingChanged
        {
            TenantId = Tenant, ProductKey = "sku:ERP-P1", ItemRef = "11", TaxCodeRef = "TAX", Version = 1, ChangedAt = harness.Time.GetUtcNow(),
        });
        await harness.SettleAsync();
        var retry = new RetryFlow { TenantId = Tenant, FlowId = deal.FlowId, RequestedBy = "maria@contoso-consulting.test", RequestedAt = harness.Time.GetUtcNow() };
        await harness.DeliverAsync(retry);
        await harness.DeliverAsync(retry with { ExceptionId = Guid.NewGuid() }); // pressed twice
        await harness.SettleAsync();

        await flows.InStateAsync(deal.FlowId, FlowStage.Posting);
        Assert.Equal("11", Assert.Single(Assert.Single(harness.Published<PostInvoice>()).Lines).ItemRef);
        var changes = harness.Published<FlowHoldChanged>();
        Assert.Equal(["MissingMapping", null], changes.Select(c => c.Hold));
        Assert.Empty(changes[1].Details);
    }

    [Fact]
    public async Task Retry_from_the_exception_queue_releases_a_held_flow_by_itself_and_posts_only_the_held_invoice()
    {
        await using var flows = await FlowHarness.StartAsync(withDefaultItem: false);
        var harness = flows.Harness;
        var deal = ErpRolloutWon("deal-map") with { Lines = [new DealLine { Sku = "ERP-P1", Description = "ERP rollout, phase 1", Quantity = 1, UnitPrice = 18_500m }] };
        await harness.DeliverAsync(deal);
        await harness.DeliverAsync(ContosoReady(deal.FlowId, ContosoId));
        await flows.InStateAsync(deal.FlowId, FlowStage.HeldForMapping);
        // The mapping lands in billing's catalog without the automatic release (say, the release was lost with a crash).
        await harness.Store.CommitAsync([DocumentWrite.Upsert(Infrastructure.Catalog.CatalogItem.CollectionName,
            Infrastructure.Catalog.CatalogItem.KeyFor(Tenant, "sku:ERP-P1"),
            new Infrastructure.Catalog.CatalogItem { TenantId = Tenant, ProductKey = "sku:ERP-P1", ItemRef = "11", Version = 1 })], TestContext.Current.CancellationToken);

        await harness.DeliverAsync(new RetryFlow { TenantId = Tenant, FlowId = deal.FlowId, RequestedBy = "maria", RequestedAt = harness.Time.GetUtcNow() });

        await flows.InStateAsync(deal.FlowId, FlowStage.Posting);
        var flow = await flows.FlowAsync(deal.FlowId);
        Assert.Contains(flow.Alerts, a => a.Message.StartsWith("maria retried the flow", StringComparison.Ordinal));
        var invoiceId = Assert.Single(harness.Published<PostInvoice>()).InvoiceId;

        await harness.DeliverAsync(PostedAs(deal.FlowId, invoiceId, "1042"));
        await harness.DeliverAsync(new RetryFlow { TenantId = Tenant, FlowId = deal.FlowId, RequestedBy = "maria", RequestedAt = harness.Time.GetUtcNow() });

        await flows.InStateAsync(deal.FlowId, FlowStage.Posted);
        Assert.Single(harness.Published<PostInvoice>());
    }

    [Fact]
    public async Task A_refused_invoice_announces_the_hold_with_quickbooks_reason_and_its_posting_announces_the_release()
    {
        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        var invoiceId = await InvoiceId();
        await Harness.DeliverAsync(new InvoicePostingFailed
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, Kind = "Validation", Message = "Invalid Reference Id: Item 1 is inactive",
            FailedAt = Harness.Time.GetUtcNow(),
        });
        await _flows.InStateAsync(_flowId, FlowStage.HeldForPostingFailure);

        await Harness.DeliverAsync(new RetryFlow { TenantId = Tenant, FlowId = _flowId, RequestedBy = "maria", RequestedAt = Harness.Time.GetUtcNow() });
        await Harness.DeliverAsync(PostedAs(_flowId, invoiceId, "1042"));

        var changes = await _flows.PublishedAsync<FlowHoldChanged>(2);
        Assert.Equal(["PostingFailure", null], changes.Select(c => c.Hold));
        Assert.Contains("Item 1 is inactive", Assert.Single(changes[0].Details));
        Assert.Equal(2, Harness.Published<PostInvoice>().Count);
    }

    [Fact]
    public async Task A_retry_cannot_lift_a_hold_only_the_crm_lifts()
    {
        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(new DealReopened
        {
            TenantId = Tenant, FlowId = _flowId, SourceSystem = Crm, ExternalDealId = "deal-9001", ReopenedAt = Harness.Time.GetUtcNow(),
        });
        await _flows.InStateAsync(_flowId, FlowStage.HeldReopened);

        await Harness.DeliverAsync(new RetryFlow { TenantId = Tenant, FlowId = _flowId, RequestedBy = "maria", RequestedAt = Harness.Time.GetUtcNow() });

        await _flows.InStateAsync(_flowId, FlowStage.HeldReopened);
        Assert.Equal("DealReopened", Assert.Single(await _flows.PublishedAsync<FlowHoldChanged>()).Hold);
    }

    [Fact]
    public async Task The_new_events_about_a_flow_that_does_not_exist_are_discarded_and_in_a_cancelled_flow_they_change_nothing()
    {
        var ghost = Guid.NewGuid();
        await Harness.DeliverAsync(Voided(ghost) with { FlowId = ghost });
        await Harness.DeliverAsync(new RetryFlow { TenantId = Tenant, FlowId = ghost, RequestedBy = "maria", RequestedAt = Harness.Time.GetUtcNow() });
        await Harness.DeliverAsync(new TimeActivityPosted { TenantId = Tenant, FlowId = ghost, TimeEntryId = "t1", AccountingTimeActivityId = "1", PostedAt = Harness.Time.GetUtcNow() });
        Assert.Null(await _flows.Saga.Exists(ghost, x => x.AwaitingDeal));

        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(ErpRolloutLost());
        await _flows.InStateAsync(_flowId, FlowStage.Cancelled);
        await Harness.DeliverAsync(Voided(Guid.NewGuid()));
        await Harness.DeliverAsync(new RetryFlow { TenantId = Tenant, FlowId = _flowId, RequestedBy = "maria", RequestedAt = Harness.Time.GetUtcNow() });
        await Harness.DeliverAsync(new InvoicePastDue30 { TenantId = Tenant, FlowId = _flowId, InvoiceId = Guid.NewGuid() });

        await _flows.InStateAsync(_flowId, FlowStage.Cancelled);
        Assert.Empty(Harness.Published<FlowHoldChanged>());
    }
}
