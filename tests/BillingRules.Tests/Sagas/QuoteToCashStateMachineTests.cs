using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Sagas;

/// <summary>
/// Every transition of the quote-to-cash saga on MassTransit's test harness, with the service's own saga repository,
/// inbox/outbox and scheduler on a LiteDB store and a fake clock. The deal is Contoso's 18,500 GBP fixed-fee ERP rollout,
/// billed whole on signing; re-delivered and out-of-order events are among the cases.
/// </summary>
public sealed class QuoteToCashStateMachineTests : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private readonly Guid _flowId = FlowOf("deal-9001");
    private FlowHarness _flows = null!;

    private ServiceHarness Harness => _flows.Harness;

    public async ValueTask InitializeAsync() => _flows = await FlowHarness.StartAsync();

    public ValueTask DisposeAsync() => _flows.DisposeAsync();

    private Task<QuoteToCashState> Flow() => _flows.FlowAsync(_flowId);

    private Task InState(FlowStage stage) => _flows.InStateAsync(_flowId, stage);

    private async Task<Guid> InvoiceId() => Assert.Single((await Flow()).Invoices).Draft.InvoiceId;

    private async Task WonAndAwaitingCustomer()
    {
        await Harness.DeliverAsync(ErpRolloutWon());
        await InState(FlowStage.AwaitingCustomer);
    }

    private async Task OnHold()
    {
        await WonAndAwaitingCustomer();
        await Harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));
        await InState(FlowStage.CustomerOnHold);
    }

    private async Task Posting()
    {
        await WonAndAwaitingCustomer();
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await InState(FlowStage.Posting);
    }

    private async Task Posted()
    {
        await Posting();
        await Harness.DeliverAsync(PostedAs("1042", await InvoiceId()));
        await InState(FlowStage.Posted);
    }

    private async Task Cancelled()
    {
        await WonAndAwaitingCustomer();
        await Harness.DeliverAsync(ErpRolloutLost());
        await InState(FlowStage.Cancelled);
    }

    private InvoicePosted PostedAs(string docNumber, Guid invoiceId, decimal balance = 18_500m) => new()
    {
        TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, AccountingInvoiceId = "130", DocNumber = docNumber, Total = 18_500m,
        Balance = balance, PostedAt = Harness.Time.GetUtcNow(),
    };

    private PaymentReceived Payment(Guid invoiceId, decimal amount, decimal remaining, string id = "201") => new()
    {
        TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, AccountingPaymentId = id, Amount = amount, RemainingBalance = remaining,
        Currency = Currency, ReceivedAt = Harness.Time.GetUtcNow(),
    };

    private InvoicePostingFailed Failed(Guid invoiceId, string kind, string message) => new()
    {
        TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, Kind = kind, Message = message, FailedAt = Harness.Time.GetUtcNow(),
    };

    private async Task SetPolicy(Action<BillingPolicy> change)
    {
        var policy = BillingPolicy.DefaultFor(Tenant);
        change(policy);
        await Harness.Store.CommitAsync([QuoteToCash.ServiceDefaults.Storage.DocumentWrite.Upsert(BillingPolicy.CollectionName, Tenant, policy)],
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_won_deal_starts_a_flow_that_asks_master_data_for_its_customer()
    {
        await WonAndAwaitingCustomer();

        var flow = await Flow();
        Assert.Equal((Tenant, Crm, "deal-9001", "Contoso ERP rollout, phase 1"), (flow.TenantId, flow.SourceSystem, flow.ExternalDealId, flow.DealName));
        Assert.Equal((18_500m, "GBP", nameof(BillingModel.FixedFee)), (flow.Amount, flow.Currency, flow.BillingModel));
        Assert.Equal(new DateTime(2026, 3, 2, 8, 30, 0, DateTimeKind.Utc), flow.WonAt);
        Assert.Equal(18_500m, flow.Contract!.ContractValue);
        var resolve = Assert.Single(Harness.Published<ResolveCustomer>());
        Assert.Equal((_flowId, Tenant, Crm, "company-4711"), (resolve.FlowId, resolve.TenantId, resolve.SourceSystem, resolve.Customer.ExternalId));
        Assert.NotNull(await _flows.JobAsync(SettleFlowActivity.StuckJobId(_flowId)));
    }

    [Fact]
    public async Task A_ready_customer_activates_the_contract_and_the_fee_due_on_signing_is_drafted_and_posted()
    {
        await WonAndAwaitingCustomer();
        Harness.Time.Advance(TimeSpan.FromSeconds(3));

        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));

        await InState(FlowStage.Posting);
        var flow = await Flow();
        Assert.Equal((ContosoId, "Contoso Logistics Ltd", "58"), (flow.CustomerId, flow.CustomerDisplayName, flow.AccountingCustomerRef));
        var invoice = Assert.Single(flow.Invoices);
        Assert.Equal((InvoiceStatus.Posting, BillingMode.Live, 18_500m), (invoice.Status, invoice.Mode, invoice.Draft.Total));
        Assert.Contains("deal:hubspot:deal-9001", invoice.Draft.PrivateNote);
        Assert.Equal(new DateOnly(2026, 4, 1), invoice.Draft.DueDate); // Net 30 from 2 March

        var post = Assert.Single(Harness.Published<PostInvoice>());
        Assert.Equal((invoice.Draft.InvoiceId, "58", ContosoId, "GBP"), (post.InvoiceId, post.AccountingCustomerRef, post.CustomerId, post.Currency));
        var line = Assert.Single(post.Lines);
        Assert.Equal(("1", 18_500m, "TAX"), (line.ItemRef, line.Amount, line.TaxCode));
        Assert.Equal(invoice.Draft.InvoiceId, Assert.Single(Harness.Published<InvoiceDrafted>()).InvoiceId);
    }

    [Fact]
    public async Task A_customer_that_needs_review_holds_the_flow_with_the_reasons()
    {
        await WonAndAwaitingCustomer();

        await Harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));

        await InState(FlowStage.CustomerOnHold);
        var flow = await Flow();
        Assert.Equal(["missing billing address street", "missing billing contact email"], flow.CustomerReviewReasons);
        Assert.Null(flow.CustomerReadyAt);
        Assert.Empty(Harness.Published<PostInvoice>());
    }

    [Fact]
    public async Task A_held_flow_is_released_when_the_customer_is_ready_and_its_reasons_are_cleared()
    {
        await OnHold();

        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));

        await InState(FlowStage.Posting);
        Assert.Empty((await Flow()).CustomerReviewReasons);
    }

    [Fact]
    public async Task A_held_flow_stays_held_with_the_latest_reasons_when_reviewed_again()
    {
        await OnHold();

        await Harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId) with { Reasons = ["missing billing contact email"] });

        await InState(FlowStage.CustomerOnHold);
        Assert.Equal(["missing billing contact email"], (await Flow()).CustomerReviewReasons);
    }

    [Fact]
    public async Task A_redelivered_won_deal_is_applied_once()
    {
        var messageId = await Harness.PublishAsync(ErpRolloutWon());
        await Harness.PublishAsync(ErpRolloutWon(), messageId);
        await Harness.ConsumedAsync<Contracts.CrmIngest.DealWon>(messageId, times: 2);

        Assert.Equal(0, (await Flow()).RepeatedWins);
        Assert.Single(Harness.Published<ResolveCustomer>());
    }

    [Fact]
    public async Task A_redelivered_customer_answer_posts_the_invoice_once()
    {
        await WonAndAwaitingCustomer();

        var messageId = await Harness.PublishAsync(ContosoReady(_flowId, ContosoId));
        await Harness.PublishAsync(ContosoReady(_flowId, ContosoId), messageId);
        await Harness.ConsumedAsync<CustomerReady>(messageId, times: 2);

        Assert.Single((await Flow()).Invoices);
        Assert.Single(Harness.Published<PostInvoice>());
    }

    [Theory]
    [InlineData(FlowStage.AwaitingCustomer)]
    [InlineData(FlowStage.CustomerOnHold)]
    [InlineData(FlowStage.Posting)]
    [InlineData(FlowStage.Posted)]
    [InlineData(FlowStage.Cancelled)]
    public async Task The_same_deal_announced_again_is_counted_on_the_same_flow_and_bills_nothing_more(FlowStage stage)
    {
        await Reach(stage);
        var invoices = (await Flow()).Invoices.Count;

        await Harness.DeliverAsync(ErpRolloutWon());

        await InState(stage);
        var flow = await Flow();
        Assert.Equal(stage == FlowStage.Cancelled ? 0 : 1, flow.RepeatedWins);
        Assert.Equal(invoices, flow.Invoices.Count);
        Assert.Single(Harness.Published<ResolveCustomer>());
        Assert.True(Harness.Published<PostInvoice>().Count <= 1);
    }

    [Theory]
    [InlineData(FlowStage.AwaitingCustomer)]
    [InlineData(FlowStage.CustomerOnHold)]
    public async Task A_deal_lost_before_billing_cancels_the_flow(FlowStage stage)
    {
        await Reach(stage);
        Harness.Time.Advance(TimeSpan.FromHours(1));

        await Harness.DeliverAsync(ErpRolloutLost());

        await InState(FlowStage.Cancelled);
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime.AddHours(1), (await Flow()).CancelledAt);
    }

    [Theory]
    [InlineData(FlowStage.Posting)]
    [InlineData(FlowStage.Posted)]
    public async Task A_deal_lost_after_an_invoice_went_to_quickbooks_is_held_for_finance(FlowStage stage)
    {
        await Reach(stage);

        await Harness.DeliverAsync(ErpRolloutLost());

        await InState(FlowStage.HeldAfterLoss);
        var flow = await Flow();
        Assert.Equal(HoldReason.DealLostAfterInvoicing, flow.Hold);
        Assert.Null(flow.CancelledAt);
    }

    [Fact]
    public async Task Nothing_leads_out_of_cancelled()
    {
        await Cancelled();
        var cancelled = await Flow();

        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await Harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));
        await Harness.DeliverAsync(ErpRolloutLost());
        await Harness.DeliverAsync(new Contracts.CrmIngest.MilestoneReached
        {
            TenantId = Tenant, FlowId = _flowId, SourceSystem = Crm, ExternalDealId = "deal-9001", MilestoneId = "m1", Name = "Kick-off",
            ReachedAt = Harness.Time.GetUtcNow(),
        });

        await InState(FlowStage.Cancelled);
        var flow = await Flow();
        Assert.Equal((cancelled.CancelledAt, cancelled.Updated, cancelled.CustomerId), (flow.CancelledAt, flow.Updated, flow.CustomerId));
        Assert.Empty(Harness.Published<PostInvoice>());
    }

    [Fact]
    public async Task A_late_customer_answer_once_billing_runs_is_ignored()
    {
        await Posting();
        var before = await Flow();

        await Harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId) with { DisplayName = "Contoso (renamed)" });

        await InState(FlowStage.Posting);
        var flow = await Flow();
        Assert.Equal((before.CustomerDisplayName, before.CustomerReadyAt), (flow.CustomerDisplayName, flow.CustomerReadyAt));
        Assert.Single(Harness.Published<PostInvoice>());
    }

    [Fact]
    public async Task A_customer_answer_or_a_loss_before_the_deal_was_won_starts_no_flow()
    {
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await Harness.DeliverAsync(ErpRolloutLost());

        Assert.Null(await _flows.Saga.Exists(_flowId, x => x.AwaitingDeal));
        await WonAndAwaitingCustomer();
    }

    [Fact]
    public async Task A_posted_invoice_moves_the_flow_to_posted_and_its_due_date_is_watched()
    {
        await Posting();
        var invoiceId = await InvoiceId();

        await Harness.DeliverAsync(PostedAs("1042", invoiceId));

        await InState(FlowStage.Posted);
        var invoice = Assert.Single((await Flow()).Invoices);
        Assert.Equal(("130", "1042", 18_500m, InvoiceStatus.Posted), (invoice.AccountingInvoiceId, invoice.DocNumber, invoice.Balance, invoice.Status));
        var overdue = await _flows.JobAsync(SettleFlowActivity.OverdueJobId(invoiceId));
        Assert.Equal(new DateTime(2026, 4, 2, 0, 0, 0), overdue!.DueAt);
    }

    [Fact]
    public async Task A_redelivered_posting_result_changes_nothing()
    {
        await Posted();
        await Harness.DeliverAsync(Payment(await InvoiceId(), 5_000m, 13_500m));

        await Harness.DeliverAsync(PostedAs("1042", await InvoiceId()));

        await InState(FlowStage.PartiallyPaid);
        Assert.Equal(13_500m, Assert.Single((await Flow()).Invoices).Balance);
    }

    [Fact]
    public async Task A_refused_invoice_holds_the_flow_with_quickbooks_reason_and_a_retry_posts_the_same_invoice_again()
    {
        await Posting();
        var invoiceId = await InvoiceId();

        await Harness.DeliverAsync(Failed(invoiceId, "Validation", "Invalid Reference Id: Item 1 is inactive"));

        await InState(FlowStage.HeldForPostingFailure);
        var held = await Flow();
        Assert.Equal(HoldReason.PostingFailed, held.Hold);
        Assert.Contains("Item 1 is inactive", Assert.Single(held.HoldDetails));

        await Harness.DeliverAsync(new RetryHeldFlow { TenantId = Tenant, FlowId = _flowId, Reason = "item reactivated", By = "maria" });

        await InState(FlowStage.Posting);
        var posts = Harness.Published<PostInvoice>();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal(invoiceId, p.InvoiceId));
    }

    [Fact]
    public async Task An_invoice_dated_in_a_closed_period_is_held_for_finance()
    {
        await Posting();

        await Harness.DeliverAsync(Failed(await InvoiceId(), "ClosedPeriod", "The books are closed through 2026-02-28"));

        await InState(FlowStage.HeldForClosedBooks);
        Assert.Equal(HoldReason.ClosedBooks, (await Flow()).Hold);
    }

    [Fact]
    public async Task A_duplicate_tenant_number_takes_the_next_number_and_posts_again_without_troubling_finance()
    {
        await SetPolicy(p => { p.Numbering.Mode = NumberingMode.TenantSequence; p.Numbering.Prefix = "CT-"; p.Numbering.Digits = 4; p.Numbering.NextNumber = 7; });
        await Posting();
        var invoiceId = await InvoiceId();
        Assert.Equal("CT-0007", Assert.Single(Harness.Published<PostInvoice>()).DocNumber);

        await Harness.DeliverAsync(Failed(invoiceId, "DuplicateDocNumber", "Duplicate Document Number Error: CT-0007"));

        await InState(FlowStage.Posting);
        var posts = Harness.Published<PostInvoice>();
        Assert.Equal(["CT-0007", "CT-0008"], posts.Select(p => p.DocNumber).Order());
        Assert.Equal(HoldReason.None, (await Flow()).Hold);
    }

    [Fact]
    public async Task A_sent_invoice_moves_the_flow_to_sent()
    {
        await Posted();

        await Harness.DeliverAsync(new InvoiceSent { TenantId = Tenant, FlowId = _flowId, InvoiceId = await InvoiceId(), SentAt = Harness.Time.GetUtcNow() });

        await InState(FlowStage.Sent);
    }

    [Fact]
    public async Task Payments_take_the_flow_through_partially_paid_to_closed_and_an_older_payment_arriving_late_counts_for_nothing()
    {
        await Posted();
        var invoiceId = await InvoiceId();

        await Harness.DeliverAsync(Payment(invoiceId, 5_000m, 13_500m, "201"));
        await InState(FlowStage.PartiallyPaid);

        await Harness.DeliverAsync(Payment(invoiceId, 13_500m, 0m, "202"));
        await InState(FlowStage.Closed);

        await Harness.DeliverAsync(Payment(invoiceId, 5_000m, 13_500m, "201"));
        await InState(FlowStage.Closed);
        var invoice = Assert.Single((await Flow()).Invoices);
        Assert.Equal((0m, 18_500m, InvoiceStatus.Paid), (invoice.Balance, invoice.Paid, invoice.Status));
        Assert.NotNull((await Flow()).ClosedAt);
    }

    [Fact]
    public async Task An_overpayment_is_kept_as_unapplied_credit()
    {
        await Posted();

        await Harness.DeliverAsync(Payment(await InvoiceId(), 19_000m, 0m));

        await InState(FlowStage.Closed);
        Assert.Equal(500m, Assert.Single((await Flow()).Invoices).UnappliedCredit);
    }

    [Fact]
    public async Task An_unpaid_invoice_past_its_due_date_is_overdue_until_paid()
    {
        await Posted();
        var invoiceId = await InvoiceId();

        await _flows.FireAsync<InvoiceDueDatePassed>(SettleFlowActivity.OverdueJobId(invoiceId));
        await InState(FlowStage.Overdue);

        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));
        await InState(FlowStage.Closed);
    }

    [Fact]
    public async Task A_paid_invoice_is_never_made_overdue()
    {
        await Posted();
        var invoiceId = await InvoiceId();
        await Harness.DeliverAsync(Payment(invoiceId, 18_500m, 0m));

        await _flows.FireAsync<InvoiceDueDatePassed>(SettleFlowActivity.OverdueJobId(invoiceId));

        await InState(FlowStage.Closed);
    }

    [Fact]
    public async Task An_invoice_voided_in_quickbooks_is_voided_on_the_flow()
    {
        await Posted();

        await Harness.DeliverAsync(new InvoiceVoided
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = await InvoiceId(), AccountingInvoiceId = "130", VoidedAt = Harness.Time.GetUtcNow(),
        });

        await InState(FlowStage.Closed);
        Assert.Equal(InvoiceStatus.Voided, Assert.Single((await Flow()).Invoices).Status);
    }

    [Fact]
    public async Task A_flow_that_does_not_move_in_time_is_reported_stuck_once()
    {
        await WonAndAwaitingCustomer();

        var check = await _flows.FireAsync<CheckFlowProgress>(SettleFlowActivity.StuckJobId(_flowId));
        await Harness.DeliverAsync(check);

        var stuck = Assert.Single(Harness.Published<FlowStuck>());
        Assert.Equal(("AwaitingCustomer", "deal-9001", TimeSpan.FromHours(1)), (stuck.State, stuck.ExternalDealId, stuck.ExpectedWithin));
        Assert.NotNull((await Flow()).StuckSince);
    }

    [Fact]
    public async Task A_flow_that_moved_on_is_not_stuck()
    {
        await WonAndAwaitingCustomer();
        var job = await _flows.JobAsync(SettleFlowActivity.StuckJobId(_flowId));
        var staleCheck = System.Text.Json.JsonSerializer.Deserialize<CheckFlowProgress>(job!.Body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));

        await Harness.DeliverAsync(staleCheck);

        Assert.Empty(Harness.Published<FlowStuck>());
        Assert.Null((await Flow()).StuckSince);
    }

    [Fact]
    public async Task A_reopened_deal_holds_billing_until_it_is_won_again()
    {
        await WonAndAwaitingCustomer();
        await Harness.DeliverAsync(new Contracts.CrmIngest.DealReopened
        {
            TenantId = Tenant, FlowId = _flowId, SourceSystem = Crm, ExternalDealId = "deal-9001", ReopenedAt = Harness.Time.GetUtcNow(),
        });
        await InState(FlowStage.HeldReopened);

        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        Assert.Empty(Harness.Published<PostInvoice>());

        await Harness.DeliverAsync(ErpRolloutWon(wonAt: Harness.Time.GetUtcNow().AddMinutes(5)));

        await InState(FlowStage.Posting);
        Assert.Single(Harness.Published<PostInvoice>());
    }

    private Task Reach(FlowStage stage) => stage switch
    {
        FlowStage.AwaitingCustomer => WonAndAwaitingCustomer(),
        FlowStage.CustomerOnHold => OnHold(),
        FlowStage.Posting => Posting(),
        FlowStage.Posted => Posted(),
        FlowStage.Cancelled => Cancelled(),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };
}
