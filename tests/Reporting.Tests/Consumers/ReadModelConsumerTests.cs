using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Reporting.Tests.Kpis.Events;

namespace QuoteToCash.Reporting.Tests.Consumers;

/// <summary>The KPI read models on MassTransit's test harness: one test per transition, re-delivery, and events out of order.</summary>
public sealed class ReadModelConsumerTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddConsumer<ReadModelConsumer>(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<DealFact> Deal(string deal) =>
        await _harness.GetAsync<DealFact>(ReadModelCollections.Deals, Flow(deal).ToString("D")) ?? throw new InvalidOperationException("no deal fact");

    private async Task<InvoiceFact> Invoice(string deal) =>
        await _harness.GetAsync<InvoiceFact>(ReadModelCollections.Invoices, InvoiceOf(deal).ToString("D")) ?? throw new InvalidOperationException("no invoice fact");

    [Fact]
    public async Task A_won_deal_is_kept_with_its_amount_date_and_dimensions()
    {
        await _harness.DeliverAsync(Won("A", 10_000m, At(2026, 1, 5), BillingModel.Retainer, "UK", "Advisory",
            new BillingTerms { Model = BillingModel.Retainer, Retainer = new RetainerTerms { Deposit = 5_000m }, RateCard = [new RateCardEntry { Role = "Senior", Rate = 200m }] },
            segment: " Mid-market "));

        var deal = await Deal("A");
        Assert.Equal((10_000m, 10_000m, At(2026, 1, 5), "Advisory", "UK", "Retainer", 5_000m, "Mid-market"), (deal.WonAmount, deal.Amount, deal.WonAt, deal.BusinessUnit,
            deal.Region, deal.BillingModel, deal.RetainerDeposit, deal.Segment));
        Assert.Equal(200m, deal.RoleRates["senior"]);
        Assert.Equal(Tenant, deal.TenantId);
    }

    [Fact]
    public async Task Scope_changes_loss_and_reopening_are_kept_in_date_order_whatever_the_arrival_order()
    {
        await _harness.DeliverAsync(Won("A", 10_000m, At(2026, 1, 5)));
        await _harness.DeliverAsync(new DealChanged { TenantId = Tenant, FlowId = Flow("A"), SourceSystem = "hubspot", ExternalDealId = "A", Amount = 14_000m, ChangedAt = At(2026, 2, 1) });
        await _harness.DeliverAsync(new DealChanged { TenantId = Tenant, FlowId = Flow("A"), SourceSystem = "hubspot", ExternalDealId = "A", Amount = 12_000m, ChangedAt = At(2026, 1, 20) });
        await _harness.DeliverAsync(new DealLost { TenantId = Tenant, FlowId = Flow("A"), ExternalDealId = "A", LostAt = At(2026, 3, 1) });

        var deal = await Deal("A");
        Assert.Equal([(10_000m, 12_000m), (12_000m, 14_000m)], deal.Changes.Select(c => (c.AmountBefore, c.AmountAfter)));
        Assert.Equal((14_000m, At(2026, 3, 1)), (deal.Amount, deal.LostAt));

        await _harness.DeliverAsync(new DealReopened { TenantId = Tenant, FlowId = Flow("A"), SourceSystem = "hubspot", ExternalDealId = "A", ReopenedAt = At(2026, 3, 2) });
        Assert.Null((await Deal("A")).LostAt);
    }

    [Fact]
    public async Task Time_entries_are_kept_once_per_entry_id_with_hours_person_role_and_rate()
    {
        TimeEntryLogged Entry(decimal hours) => new()
        {
            TenantId = Tenant, FlowId = Flow("A"), SourceSystem = "hubspot", ExternalDealId = "A", EntryId = "T-1", Person = "Ana", Role = "senior",
            Date = new DateOnly(2026, 1, 8), Hours = hours, Billable = true, Rate = 180m,
        };
        await _harness.DeliverAsync(Entry(3m));
        await _harness.DeliverAsync(Entry(3.5m));

        var entry = Assert.Single((await Deal("A")).TimeEntries);
        Assert.Equal(("Ana", "senior", 3.5m, true, 180m), (entry.Person, entry.Role, entry.Hours, entry.Billable, entry.Rate));
    }

    [Fact]
    public async Task A_drafted_invoice_needing_approval_is_requested_when_billing_drafted_it_and_its_posting_decides_it_until_a_decision_arrives()
    {
        await _harness.DeliverAsync(Drafted("A", 10_000m, new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5), approval: true, draftedAt: At(2026, 3, 2, 9)));
        var drafted = await Invoice("A");
        Assert.Equal((10_000m, 30, At(2026, 3, 2, 9), At(2026, 3, 2, 9)), (drafted.Total, drafted.TermsDays, drafted.DraftedAt, drafted.ApprovalRequestedAt));
        Assert.Null(drafted.ApprovalDecidedAt);

        await _harness.DeliverAsync(new InvoiceStatusChanged
        {
            TenantId = Tenant, FlowId = Flow("A"), InvoiceId = InvoiceOf("A"), Status = "Posted", BalanceDue = 10_000m, ChangedAt = At(2026, 3, 3),
        });
        var decided = await Invoice("A");
        Assert.Equal((At(2026, 3, 3), "Posted", (string?)null), (decided.ApprovalDecidedAt, decided.Status, decided.ApprovalDecision));

        // Billing's own record of the decision replaces the posting's moment, whichever came first.
        await _harness.DeliverAsync(Decided("A", approved: true, At(2026, 3, 2, 9), At(2026, 3, 2, 15)));
        await _harness.DeliverAsync(Posted("A", 10_000m, new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5), At(2026, 3, 2, 16)));
        var recorded = await Invoice("A");
        Assert.Equal((At(2026, 3, 2, 9), At(2026, 3, 2, 15), "Approved", "maria"),
            (recorded.ApprovalRequestedAt, recorded.ApprovalDecidedAt, recorded.ApprovalDecision, recorded.ApprovalDecidedBy));
    }

    [Fact]
    public async Task A_rejection_is_a_decision_with_its_decider_and_time_even_before_the_draft_arrives()
    {
        await _harness.DeliverAsync(Decided("A", approved: false, At(2026, 3, 2, 9), At(2026, 3, 4, 9), by: "olga"));
        await _harness.DeliverAsync(Drafted("A", 10_000m, new DateOnly(2026, 3, 2), new DateOnly(2026, 4, 1), approval: true, draftedAt: At(2026, 3, 2, 9)));

        var invoice = await Invoice("A");
        Assert.Equal((At(2026, 3, 2, 9), At(2026, 3, 4, 9), "Rejected", "olga"),
            (invoice.ApprovalRequestedAt, invoice.ApprovalDecidedAt, invoice.ApprovalDecision, invoice.ApprovalDecidedBy));
        Assert.Null(invoice.PostedAt);
    }

    [Fact]
    public async Task Posting_and_sending_keep_the_invoice_s_dates()
    {
        await _harness.DeliverAsync(Posted("A", 10_000m, new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5), At(2026, 1, 8, 10)));
        await _harness.DeliverAsync(Sent("A", At(2026, 1, 8, 11)));

        var invoice = await Invoice("A");
        Assert.Equal((new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5), 30, At(2026, 1, 8, 10), At(2026, 1, 8, 11), "INV-A"),
            (invoice.InvoiceDate, invoice.DueDate, invoice.TermsDays, invoice.PostedAt, invoice.SentAt, invoice.DocNumber));
    }

    private static SyncExceptionOpened Opened(Guid id, string kind, DateTimeOffset at, Guid? flow = null) => new()
    {
        TenantId = Tenant, ExceptionId = id, Kind = kind, RootCause = "ManualChangeInQuickBooks", Entity = "Invoice", EntityId = InvoiceOf("A").ToString("D"),
        Operation = "Inbound", FlowId = flow, DealRef = "hubspot:A", OpenedAt = at, SlaDue = at.AddDays(1),
    };

    private static SyncExceptionClosed Closed(SyncExceptionOpened opened, string status, DateTimeOffset at, string by, string? owner = null) => new()
    {
        TenantId = opened.TenantId, ExceptionId = opened.ExceptionId, Kind = opened.Kind, RootCause = opened.RootCause, Entity = opened.Entity,
        EntityId = opened.EntityId, Operation = opened.Operation, FlowId = opened.FlowId, DealRef = opened.DealRef, OpenedAt = opened.OpenedAt,
        SlaDue = opened.SlaDue, Owner = owner, Status = status, ClosedAt = at, ClosedBy = by, Reason = "fixed in QuickBooks",
    };

    [Fact]
    public async Task The_exception_queue_s_records_are_kept_open_until_closed_whatever_the_arrival_order()
    {
        var conflict = Opened(Guid.NewGuid(), "ManualEditConflict", At(2026, 3, 2, 10), Flow("A"));
        var mapping = Opened(Guid.NewGuid(), "MappingMissing", At(2026, 3, 3, 10), Flow("A"));
        await _harness.DeliverAsync(conflict);
        // The closing of the second arrives before its opening.
        await _harness.DeliverAsync(Closed(mapping, "Ignored", At(2026, 3, 5, 12), "olga", owner: "ben"));
        await _harness.DeliverAsync(mapping);

        var open = await _harness.GetAsync<ExceptionFact>(ReadModelCollections.Exceptions, "sync:" + conflict.ExceptionId.ToString("D"));
        Assert.Equal(("ManualEditConflict", "Open", At(2026, 3, 2, 10), At(2026, 3, 3, 10), (DateTimeOffset?)null, (Guid?)Flow("A"), "Invoice", "Inbound"),
            (open!.Kind, open.Status, open.OpenedAt, open.SlaDue, open.ResolvedAt, open.FlowId, open.Entity, open.Operation));
        var closed = await _harness.GetAsync<ExceptionFact>(ReadModelCollections.Exceptions, "sync:" + mapping.ExceptionId.ToString("D"));
        Assert.Equal(("Ignored", At(2026, 3, 5, 12), "olga", "ben", At(2026, 3, 3, 10)), (closed!.Status, closed.ResolvedAt, closed.ClosedBy, closed.Owner, closed.OpenedAt));
    }

    [Fact]
    public async Task A_merge_marks_the_merged_customer_with_its_survivor_time_and_actor()
    {
        var survivor = CustomerOf("Contoso");
        var merged = CustomerOf("Contoso Logistics");
        await _harness.DeliverAsync(new CustomerNeedsReview { TenantId = Tenant, FlowId = Flow("B"), CustomerId = merged, Reasons = ["possible duplicate of Contoso (91 %)"] });
        var merge = new CustomersMerged { TenantId = Tenant, SurvivorId = survivor, MergedId = merged, MergedAt = At(2026, 3, 4, 11), MergedBy = "maria" };
        await _harness.DeliverAsync(merge);
        await _harness.DeliverAsync(merge);

        var fact = await _harness.GetAsync<CustomerFact>(ReadModelCollections.Customers, merged.ToString("D"));
        Assert.Equal(((Guid?)survivor, At(2026, 3, 4, 11), "maria", (Guid?)Flow("B")), (fact!.MergedInto, fact.MergedAt, fact.MergedBy, fact.FirstFlowId));
        Assert.NotNull(fact.DuplicateFlaggedAt);
    }

    [Fact]
    public async Task Payments_reversals_credits_write_offs_and_voids_are_kept_as_dated_amounts()
    {
        await _harness.DeliverAsync(Posted("A", 10_000m, new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5)));
        await _harness.DeliverAsync(Paid("A", "p1", 4_000m, 6_000m, At(2026, 1, 20)));
        await _harness.DeliverAsync(new PaymentReversed
        {
            TenantId = Tenant, FlowId = Flow("A"), InvoiceId = InvoiceOf("A"), AccountingPaymentId = "p1", Amount = 1_000m, RemainingBalance = 7_000m, Currency = "GBP",
            ReversedAt = At(2026, 1, 22),
        });
        await _harness.DeliverAsync(Credited("A", "cm1", 500m, 6_500m, At(2026, 1, 25)));
        await _harness.DeliverAsync(Credited("A", "wo1", 100m, 6_400m, At(2026, 1, 26), writeOff: true));
        // The same credit memo seen again on QuickBooks' payment feed is not a second credit.
        await _harness.DeliverAsync(Paid("A", "p-cm1", 500m, 6_400m, At(2026, 1, 25)) with { AccountingCreditMemoId = "cm1" });

        var invoice = await Invoice("A");
        Assert.Equal([("p1", 4_000m, At(2026, 1, 20))], invoice.Payments.Select(p => (p.Id, p.Amount, p.At)));
        Assert.Equal([(1_000m, At(2026, 1, 22))], invoice.Reversals.Select(r => (r.Amount, r.At)));
        Assert.Equal([("cm1", 500m, false), ("wo1", 100m, true)], invoice.Credits.Select(c => (c.Id, c.Applied, c.WriteOff)));
        Assert.Equal(6_400m, QuoteToCash.Reporting.Domain.Kpis.Money.BalanceAt(invoice, new DateOnly(2026, 1, 31)));

        await _harness.DeliverAsync(new InvoiceVoided { TenantId = Tenant, FlowId = Flow("A"), InvoiceId = InvoiceOf("A"), AccountingInvoiceId = "qbo-A", VoidedAt = At(2026, 2, 1) });
        Assert.Equal(0m, QuoteToCash.Reporting.Domain.Kpis.Money.BalanceAt(await Invoice("A"), new DateOnly(2026, 2, 1)));
    }

    [Fact]
    public async Task Customers_are_first_seen_flagged_as_duplicates_and_given_their_standing()
    {
        var customer = CustomerOf("Contoso");
        await _harness.DeliverAsync(new CustomerNeedsReview
        {
            TenantId = Tenant, FlowId = Flow("A"), CustomerId = customer, Reasons = ["missing billing address street", "possible duplicate of Contoso Ltd (92 %)"],
        });
        await _harness.DeliverAsync(new CustomerReady { TenantId = Tenant, FlowId = Flow("A"), CustomerId = customer, DisplayName = "Contoso" });
        await _harness.DeliverAsync(new AccountStandingChanged
        {
            TenantId = Tenant, CustomerId = customer, CrmCompanyRef = "hubspot:1", Standing = "Past due 30+", ChangedAt = At(2026, 3, 1),
        });

        var fact = await _harness.GetAsync<CustomerFact>(ReadModelCollections.Customers, customer.ToString("D"));
        Assert.Equal(("Contoso", Flow("A"), "Past due 30+", At(2026, 3, 1)), (fact!.Name, fact.FirstFlowId, fact.Standing, fact.StandingChangedAt));
        Assert.NotNull(fact.DuplicateFlaggedAt);
        Assert.Equal((Guid?)customer, (await Deal("A")).CustomerId);
    }

    [Fact]
    public async Task A_redelivered_payment_is_applied_once_and_stored_once_as_a_fact()
    {
        await _harness.DeliverAsync(Posted("A", 10_000m, new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5)));
        var id = await _harness.PublishAsync(Paid("A", "p1", 4_000m, 6_000m, At(2026, 1, 20)));
        await _harness.PublishAsync(Paid("A", "p1", 4_000m, 6_000m, At(2026, 1, 20)), id);
        await _harness.ConsumedAsync<PaymentReceived>(id, times: 2);
        // The same payment under another message ID (QuickBooks' webhook and its change-data-capture sweep) is the same fact.
        await _harness.DeliverAsync(Paid("A", "p1", 4_000m, 6_000m, At(2026, 1, 20)));

        Assert.Single((await Invoice("A")).Payments);
        Assert.Equal(6_000m, QuoteToCash.Reporting.Domain.Kpis.Money.BalanceAt(await Invoice("A"), new DateOnly(2026, 1, 31)));
        Assert.Equal(3, await _harness.Store.Collection<StoredFact>(ReadModelCollections.Facts).CountAsync(f => f.TenantId == Tenant, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_payment_before_its_invoice_is_posted_counts_once_the_invoice_posts()
    {
        await _harness.DeliverAsync(Paid("A", "p1", 10_000m, 0m, At(2026, 2, 4)));
        var early = await Invoice("A");
        Assert.Equal(0m, QuoteToCash.Reporting.Domain.Kpis.Money.BalanceAt(early, new DateOnly(2026, 2, 4)));
        Assert.Null(QuoteToCash.Reporting.Domain.Kpis.Money.PaidOn(early));

        await _harness.DeliverAsync(Posted("A", 10_000m, new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5)));

        var invoice = await Invoice("A");
        Assert.Equal(10_000m, QuoteToCash.Reporting.Domain.Kpis.Money.BalanceAt(invoice, new DateOnly(2026, 2, 3)));
        Assert.Equal(new DateOnly(2026, 2, 4), QuoteToCash.Reporting.Domain.Kpis.Money.PaidOn(invoice));
    }
}
