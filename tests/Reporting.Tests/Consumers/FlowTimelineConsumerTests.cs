using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.Reporting.Tests.Consumers;

/// <summary>The flow timeline read model on MassTransit's test harness, with reporting's own store and inbox/outbox.</summary>
public sealed class FlowTimelineConsumerTests : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private static readonly Guid InvoiceId = Guid.Parse("0b6d1f0e-55aa-4f1c-a0c4-2c0a8e6f7d11");
    private readonly Guid _flowId = FlowOf("deal-9001");
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddConsumer<FlowTimelineConsumer>(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<FlowTimeline> Timeline() =>
        await _harness.GetAsync<FlowTimeline>(FlowTimeline.CollectionName, _flowId.ToString("D")) ?? throw new InvalidOperationException("no timeline");

    private InvoicePosted Posted() => new()
    {
        TenantId = Tenant, FlowId = _flowId, InvoiceId = InvoiceId, AccountingInvoiceId = "130", DocNumber = "INV-1042",
        Total = 18_500m, Balance = 18_500m, PostedAt = ServiceHarness.DefaultStart.AddMinutes(1),
    };

    private PaymentReceived Paid(decimal amount, decimal remaining) => new()
    {
        TenantId = Tenant, FlowId = _flowId, InvoiceId = InvoiceId, AccountingPaymentId = "88", Amount = amount,
        RemainingBalance = remaining, Currency = Currency, ReceivedAt = ServiceHarness.DefaultStart.AddDays(21),
    };

    [Fact]
    public async Task A_won_deal_starts_the_timeline_with_typed_facts()
    {
        await _harness.DeliverAsync(ErpRolloutWon());

        var timeline = await Timeline();
        Assert.Equal(("Contoso ERP rollout, phase 1", new DateTime(2026, 3, 2, 8, 30, 0, DateTimeKind.Utc)), (timeline.DealName, timeline.WonAt));
        var entry = Assert.Single(timeline.Entries);
        Assert.Equal(("DealWon", 18_500m, "GBP"), (entry.Event, entry.Amount, entry.Currency));
        Assert.Equal(("DealWon", entry.At), (timeline.LastEvent, timeline.LastEventAt));
    }

    [Fact]
    public async Task The_flow_s_events_are_kept_in_order_with_their_amounts_balances_and_reasons()
    {
        await _harness.DeliverAsync(ErpRolloutWon());
        await _harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));
        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await _harness.DeliverAsync(Posted());
        await _harness.DeliverAsync(Paid(10_000m, 8_500m));

        var timeline = await Timeline();
        Assert.Equal(["DealWon", "CustomerNeedsReview", "CustomerReady", "InvoicePosted", "PaymentReceived"], timeline.Entries.Select(e => e.Event));
        Assert.Equal(["missing billing address street", "missing billing contact email"], timeline.Entries[1].Reasons);
        Assert.Equal((ContosoId, "Contoso Logistics Ltd"), (timeline.Entries[2].CustomerId, timeline.Entries[2].CustomerName));
        Assert.Equal(("INV-1042", 18_500m, 18_500m), (timeline.Entries[3].DocNumber, timeline.Entries[3].Amount, timeline.Entries[3].Balance));
        Assert.Equal((10_000m, 8_500m, "GBP"), (timeline.Entries[4].Amount, timeline.Entries[4].Balance, timeline.Entries[4].Currency));
        Assert.Equal("PaymentReceived", timeline.LastEvent);
    }

    [Fact]
    public async Task Every_entry_keeps_when_it_was_announced_and_an_undated_event_is_dated_by_it()
    {
        await _harness.DeliverAsync(ErpRolloutWon());
        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));

        var timeline = await Timeline();
        // Sent on the machine's clock, kept on the platform's (here the harness's fake clock, as a moved clock would be).
        Assert.All(timeline.Entries, e => Assert.InRange(e.AnnouncedAt!.Value, ServiceHarness.DefaultStart.UtcDateTime.AddSeconds(-30),
            ServiceHarness.DefaultStart.UtcDateTime.AddSeconds(30)));
        var ready = Assert.Single(timeline.Entries, e => e.Event == "CustomerReady");
        Assert.Equal(ready.AnnouncedAt, ready.At); // CustomerReady carries no time of its own
        var won = Assert.Single(timeline.Entries, e => e.Event == "DealWon");
        Assert.NotEqual(won.AnnouncedAt, won.At); // a won deal is dated by the CRM's close, not by its announcement
    }

    [Fact]
    public async Task A_redelivered_event_is_recorded_once()
    {
        await _harness.DeliverAsync(ErpRolloutWon());
        var messageId = await _harness.PublishAsync(Paid(18_500m, 0m));
        await _harness.PublishAsync(Paid(18_500m, 0m), messageId);
        await _harness.ConsumedAsync<PaymentReceived>(messageId, times: 2);

        Assert.Single((await Timeline()).Entries, e => e.Event == "PaymentReceived");
    }

    [Fact]
    public async Task An_event_that_arrives_before_the_won_deal_starts_the_timeline_and_the_deal_fills_it_in()
    {
        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        Assert.Null((await Timeline()).DealName);

        await _harness.DeliverAsync(ErpRolloutWon());

        var timeline = await Timeline();
        Assert.Equal("Contoso ERP rollout, phase 1", timeline.DealName);
        Assert.Equal(["CustomerReady", "DealWon"], timeline.Entries.Select(e => e.Event));
    }

    [Fact]
    public async Task Billing_drafts_stuck_flows_credits_and_refunds_are_kept_as_typed_facts()
    {
        await _harness.DeliverAsync(new Contracts.BillingRules.InvoiceDrafted
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = InvoiceId, CustomerId = ContosoId, Currency = Currency, Lines = [], Total = 18_500m,
            InvoiceDate = new DateOnly(2026, 3, 2), DueDate = new DateOnly(2026, 4, 1), RequiresApproval = true,
        });
        await _harness.DeliverAsync(new Contracts.BillingRules.FlowStuck
        {
            TenantId = Tenant, FlowId = _flowId, ExternalDealId = "deal-9001", State = "AwaitingApproval", Since = ServiceHarness.DefaultStart,
            ExpectedWithin = TimeSpan.FromHours(48), DetectedAt = ServiceHarness.DefaultStart.AddHours(48),
        });
        await _harness.DeliverAsync(new CreditMemoPosted
        {
            TenantId = Tenant, FlowId = _flowId, CreditMemoId = Guid.NewGuid(), InvoiceId = InvoiceId, AccountingCreditMemoId = "140", AccountingInvoiceId = "130",
            DocNumber = "CM-1", Amount = 1_500m, AppliedAmount = 1_500m, InvoiceBalance = 17_000m, PostedAt = ServiceHarness.DefaultStart.AddDays(3),
        });
        await _harness.DeliverAsync(new RefundIssued
        {
            TenantId = Tenant, FlowId = _flowId, RefundId = Guid.NewGuid(), AccountingRefundReceiptId = "150", DocNumber = "R-1", Amount = 200m,
            DepositToAccountRef = "35", IssuedAt = ServiceHarness.DefaultStart.AddDays(4),
        });

        var entries = (await Timeline()).Entries;
        Assert.Equal(["InvoiceDraftedForApproval", "FlowStuck", "CreditMemoPosted", "RefundIssued"], entries.Select(e => e.Event));
        Assert.Equal((InvoiceId, 18_500m, new DateOnly(2026, 4, 1)), (entries[0].InvoiceId, entries[0].Amount, entries[0].DueDate));
        Assert.Contains("AwaitingApproval", Assert.Single(entries[1].Reasons));
        Assert.Equal(("AwaitingApproval", ServiceHarness.DefaultStart.UtcDateTime, TimeSpan.FromHours(48)), (entries[1].Status, entries[1].Since, entries[1].ExpectedWithin));
        Assert.Equal((1_500m, 17_000m, "CM-1"), (entries[2].Amount, entries[2].Balance, entries[2].DocNumber));
        Assert.Equal(200m, entries[3].Amount);
    }

    [Fact]
    public async Task Status_changes_voids_credits_and_time_in_quickbooks_are_kept_as_typed_facts_and_a_credit_is_not_cash()
    {
        await _harness.DeliverAsync(Posted());
        await _harness.DeliverAsync(new InvoiceStatusChanged
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = InvoiceId, DocNumber = "INV-1042", Status = "Overdue", BalanceDue = 18_500m,
            ChangedAt = ServiceHarness.DefaultStart.AddDays(31),
        });
        await _harness.DeliverAsync(Paid(1_500m, 17_000m) with { AccountingCreditMemoId = "140" });
        await _harness.DeliverAsync(new InvoiceVoided
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = InvoiceId, AccountingInvoiceId = "130", VoidedAt = ServiceHarness.DefaultStart.AddDays(40),
        });
        await _harness.DeliverAsync(new TimeActivityPosted
        {
            TenantId = Tenant, FlowId = _flowId, TimeEntryId = "t1", AccountingTimeActivityId = "77", PostedAt = ServiceHarness.DefaultStart.AddDays(41),
        });

        var entries = (await Timeline()).Entries;
        Assert.Equal(["InvoicePosted", "InvoiceStatusChanged", "CreditMemoApplied", "InvoiceVoided", "TimeActivityPosted"], entries.Select(e => e.Event));
        Assert.Equal(("Overdue", 18_500m, "INV-1042", (Guid?)InvoiceId), (entries[1].Status, entries[1].Balance, entries[1].DocNumber, entries[1].InvoiceId));
        Assert.Equal((1_500m, 17_000m), (entries[2].Amount, entries[2].Balance));
        Assert.Equal((0m, (Guid?)InvoiceId), (entries[3].Balance, entries[3].InvoiceId));
        Assert.Contains("TimeActivity 77", Assert.Single(entries[4].Reasons));
        Assert.Equal(("t1", "77"), (entries[4].TimeEntryId, entries[4].AccountingRef));
    }

    [Fact]
    public async Task A_payment_taken_back_in_quickbooks_is_kept_with_the_amount_and_the_balance_owed_again()
    {
        await _harness.DeliverAsync(Posted());
        await _harness.DeliverAsync(Paid(18_500m, 0m));
        await _harness.DeliverAsync(new PaymentReversed
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = InvoiceId, AccountingPaymentId = "201", Amount = 18_500m, RemainingBalance = 18_500m,
            Currency = "GBP", Removed = true, ReversedAt = ServiceHarness.DefaultStart.AddDays(45),
        });

        var entries = (await Timeline()).Entries;
        Assert.Equal(["InvoicePosted", "PaymentReceived", "PaymentReversed"], entries.Select(e => e.Event));
        Assert.Equal((18_500m, 18_500m, "GBP"), (entries[2].Amount, entries[2].Balance, entries[2].Currency));
    }
}
