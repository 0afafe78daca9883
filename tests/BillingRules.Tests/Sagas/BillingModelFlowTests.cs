using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Sagas;

/// <summary>
/// Each billing model through the saga on the harness: what the CRM says (milestones, time, changes) and what the
/// scheduler wakes it for become invoices posted once, with the right amounts; mappings, modes and currency hold or route them.
/// </summary>
public sealed class BillingModelFlowTests : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private FlowHarness _flows = null!;

    private ServiceHarness Harness => _flows.Harness;

    public async ValueTask InitializeAsync() => _flows = await FlowHarness.StartAsync();

    public ValueTask DisposeAsync() => _flows.DisposeAsync();

    private static DealWon Deal(string id, BillingTerms terms, decimal amount, params DealLine[] lines) => ErpRolloutWon(id) with
    {
        BillingModel = terms.Model, Billing = terms, Amount = amount, Lines = lines, DealName = $"Contoso {terms.Model}",
    };

    private async Task<Guid> Won(DealWon deal, bool customerReady = true)
    {
        await Harness.DeliverAsync(deal);
        if (customerReady)
            await Harness.DeliverAsync(ContosoReady(deal.FlowId, ContosoId));
        return deal.FlowId;
    }

    private MilestoneReached Milestone(Guid flowId, string dealId, string id, string name) => new()
    {
        TenantId = Tenant, FlowId = flowId, SourceSystem = Crm, ExternalDealId = dealId, MilestoneId = id, Name = name, ReachedAt = Harness.Time.GetUtcNow(),
    };

    private static TimeEntryLogged Time(Guid flowId, string dealId, string entryId, string person, string role, DateOnly date, decimal hours, bool billable = true) => new()
    {
        TenantId = Tenant, FlowId = flowId, SourceSystem = Crm, ExternalDealId = dealId, EntryId = entryId, Person = person, Role = role, Date = date,
        Hours = hours, Billable = billable,
    };

    private List<PostInvoice> Posts(Guid flowId) => Harness.Published<PostInvoice>().Where(p => p.FlowId == flowId).ToList();

    private static BillingTerms MilestonePlan => new()
    {
        Model = BillingModel.Milestones,
        Milestones = [new() { Id = "m1", Name = "Kick-off", Percent = 30 }, new() { Id = "m2", Name = "Design", Percent = 30 }, new() { Id = "m3", Name = "Go-live", Percent = 40 }],
    };

    [Fact]
    public async Task Each_milestone_is_invoiced_automatically_when_it_is_reached_and_only_once()
    {
        var flowId = await Won(Deal("deal-ms", MilestonePlan, 24_000m));
        await _flows.InStateAsync(flowId, FlowStage.ContractActive);
        Assert.Empty(Posts(flowId));

        var id = await Harness.PublishAsync(Milestone(flowId, "deal-ms", "m1", "Kick-off"));
        await Harness.PublishAsync(Milestone(flowId, "deal-ms", "m1", "Kick-off"), id);
        await Harness.ConsumedAsync<MilestoneReached>(id, times: 2);

        await _flows.InStateAsync(flowId, FlowStage.Posting);
        var post = Assert.Single(Posts(flowId));
        Assert.Equal(7_200m, post.Lines.Sum(l => l.Amount));
        Assert.Contains("deal:hubspot:deal-ms", post.PrivateNote);

        await Harness.DeliverAsync(Milestone(flowId, "deal-ms", "m2", "Design"));
        await Harness.DeliverAsync(Milestone(flowId, "deal-ms", "m3", "Go-live"));
        Assert.Equal([7_200m, 7_200m, 9_600m], Posts(flowId).Select(p => p.Lines.Sum(l => l.Amount)));
        Assert.Equal(24_000m, (await _flows.FlowAsync(flowId)).Contract!.Billed);
    }

    [Fact]
    public async Task A_milestone_that_arrives_before_its_deal_is_kept_and_billed_once_the_customer_is_ready()
    {
        var flowId = FlowOf("deal-early");
        await Harness.DeliverAsync(Milestone(flowId, "deal-early", "m1", "Kick-off"));
        await _flows.InStateAsync(flowId, FlowStage.AwaitingDeal);

        await Won(Deal("deal-early", MilestonePlan, 10_000m), customerReady: false);
        await _flows.InStateAsync(flowId, FlowStage.AwaitingCustomer);
        Assert.Empty(Posts(flowId));

        await Harness.DeliverAsync(ContosoReady(flowId, ContosoId));

        await _flows.InStateAsync(flowId, FlowStage.Posting);
        Assert.Equal(3_000m, Assert.Single(Posts(flowId)).Lines.Sum(l => l.Amount));
    }

    [Fact]
    public async Task Time_and_materials_bills_the_closed_week_at_the_rate_card_when_the_scheduler_wakes_the_flow()
    {
        var terms = new BillingTerms
        {
            Model = BillingModel.TimeAndMaterials, Period = BillingPeriod.Weekly,
            RateCard = [new() { Role = "senior", Rate = 150m }, new() { Role = "consultant", Rate = 95m }, new() { Role = "senior", Person = "Ada", Rate = 165m }],
        };
        var flowId = await Won(Deal("deal-tm", terms, 0m));
        await Harness.DeliverAsync(Time(flowId, "deal-tm", "t1", "Ada", "senior", new DateOnly(2026, 3, 2), 7.5m));
        await Harness.DeliverAsync(Time(flowId, "deal-tm", "t2", "Ben", "consultant", new DateOnly(2026, 3, 3), 8m));
        await Harness.DeliverAsync(Time(flowId, "deal-tm", "t3", "Ben", "consultant", new DateOnly(2026, 3, 4), 2m, billable: false));
        await _flows.InStateAsync(flowId, FlowStage.InvoicesScheduled);
        Assert.Empty(Posts(flowId));

        var advance = await _flows.FireAsync<AdvanceContract>(SettleFlowActivity.AdvanceJobId(flowId));

        Assert.Equal(new DateOnly(2026, 3, 9), advance.On);
        var post = Assert.Single(Posts(flowId));
        Assert.Equal([(7.5m, 165m, 1_237.50m), (8m, 95m, 760m)], post.Lines.Select(l => (l.Quantity, l.UnitPrice, l.Amount)));
        Assert.All(post.Lines, l => Assert.Equal(new DateOnly(2026, 3, 2), l.ServiceDate));
    }

    [Fact]
    public async Task A_retainer_bills_its_deposit_then_draws_down_with_the_balance_always_known()
    {
        var terms = new BillingTerms
        {
            Model = BillingModel.Retainer, Period = BillingPeriod.Monthly,
            Retainer = new RetainerTerms { Deposit = 5_000m, Threshold = 1_000m },
            RateCard = [new() { Role = "senior", Rate = 200m }],
        };
        var flowId = await Won(Deal("deal-ret", terms, 5_000m));
        Assert.Equal(5_000m, Assert.Single(Posts(flowId)).Lines.Sum(l => l.Amount));

        await Harness.DeliverAsync(Time(flowId, "deal-ret", "r1", "Ada", "senior", new DateOnly(2026, 3, 10), 21m));
        await _flows.FireAsync<AdvanceContract>(SettleFlowActivity.AdvanceJobId(flowId));

        var retainer = (await _flows.FlowAsync(flowId)).Contract!.Retainer!;
        // 5,000 − 21 h × 200 = 800, below the 1,000 threshold, so the deposit is invoiced again and the balance is 5,800.
        Assert.Equal((5_800m, 10_000m, 4_200m), (retainer.Balance, retainer.Deposited, retainer.DrawnDown));
        Assert.Equal(retainer.Deposited, retainer.DrawnDown + retainer.Balance);
        Assert.Equal([800m, 5_800m], retainer.Entries.Where(e => e.Kind != RetainerEntryKind.Deposit).Select(e => e.BalanceAfter));
        Assert.Equal(5_000m, Posts(flowId).Last().Lines.Sum(l => l.Amount));
        Assert.Equal(2, Posts(flowId).Count);
    }

    [Fact]
    public async Task A_subscription_is_billed_in_advance_and_more_seats_mid_period_are_prorated()
    {
        var terms = new BillingTerms
        {
            Model = BillingModel.Subscription,
            Subscription = new SubscriptionTerms { Interval = SubscriptionInterval.Monthly, Quantity = 10, UnitPrice = 40m, StartDate = new DateOnly(2026, 3, 2) },
        };
        var flowId = await Won(Deal("deal-sub", terms, 400m));
        Assert.Equal(400m, Assert.Single(Posts(flowId)).Lines.Sum(l => l.Amount));

        Harness.Time.SetUtcNow(new DateTimeOffset(2026, 3, 20, 9, 0, 0, TimeSpan.Zero));
        await Harness.DeliverAsync(new DealChanged
        {
            TenantId = Tenant, FlowId = flowId, SourceSystem = Crm, ExternalDealId = "deal-sub", Amount = 600m, IsExpansion = true,
            Billing = terms with { Subscription = terms.Subscription! with { Quantity = 15 } }, ChangedAt = Harness.Time.GetUtcNow(),
        });

        // 5 seats × 40.00 for 13 of the 31 days of 2 Mar – 1 Apr: 200 × 13/31 = 83.87
        Assert.Equal(83.87m, Posts(flowId).Last().Lines.Sum(l => l.Amount));

        var renewal = await _flows.FireAsync<AdvanceContract>(SettleFlowActivity.AdvanceJobId(flowId));
        Assert.Equal(new DateOnly(2026, 4, 2), renewal.On);
        Assert.Equal(600m, Posts(flowId).Last().Lines.Sum(l => l.Amount));
    }

    [Fact]
    public async Task An_unmapped_product_holds_the_flow_until_master_data_maps_it()
    {
        await using var flows = await FlowHarness.StartAsync(withDefaultItem: false);
        var deal = ErpRolloutWon("deal-map") with { Lines = [new DealLine { Sku = "ERP-P1", Description = "ERP rollout, phase 1", Quantity = 1, UnitPrice = 18_500m }] };
        await flows.Harness.DeliverAsync(deal);
        await flows.Harness.DeliverAsync(ContosoReady(deal.FlowId, ContosoId));

        await flows.InStateAsync(deal.FlowId, FlowStage.HeldForMapping);
        Assert.Contains("sku:ERP-P1", Assert.Single((await flows.FlowAsync(deal.FlowId)).HoldDetails));

        await flows.Harness.DeliverAsync(new ItemMappingChanged
        {
            TenantId = Tenant, ProductKey = "sku:ERP-P1", ItemRef = "11", TaxCodeRef = "TAX", Version = 1, ChangedAt = flows.Harness.Time.GetUtcNow(),
        });
        await flows.Harness.SettleAsync();

        await flows.InStateAsync(deal.FlowId, FlowStage.Posting);
        Assert.Equal("11", Assert.Single(Assert.Single(flows.Harness.Published<PostInvoice>()).Lines).ItemRef);
    }

    [Fact]
    public async Task In_parallel_run_invoices_are_drafted_and_kept_never_posted()
    {
        var policy = BillingPolicy.DefaultFor(Tenant);
        policy.Rollout.Mode = BillingMode.ParallelRun;
        await Harness.Store.CommitAsync([DocumentWrite.Upsert(BillingPolicy.CollectionName, Tenant, policy)], TestContext.Current.CancellationToken);

        var flowId = await Won(ErpRolloutWon("deal-par"));

        await _flows.InStateAsync(flowId, FlowStage.Drafted);
        var invoice = Assert.Single((await _flows.FlowAsync(flowId)).Invoices);
        Assert.Equal((BillingMode.ParallelRun, InvoiceStatus.Drafted), (invoice.Mode, invoice.Status));
        Assert.Empty(Posts(flowId));
        Assert.Single(Harness.Published<Contracts.BillingRules.InvoiceDrafted>());
    }

    [Fact]
    public async Task A_deal_outside_the_staged_rollout_is_drafted_only_and_says_why()
    {
        var policy = BillingPolicy.DefaultFor(Tenant);
        policy.Rollout.BusinessUnits = ["Advisory"];
        await Harness.Store.CommitAsync([DocumentWrite.Upsert(BillingPolicy.CollectionName, Tenant, policy)], TestContext.Current.CancellationToken);

        var flowId = await Won(ErpRolloutWon("deal-bu") with { BusinessUnit = "Delivery" });

        await _flows.InStateAsync(flowId, FlowStage.Drafted);
        Assert.Contains(Assert.Single((await _flows.FlowAsync(flowId)).Invoices).Draft.Notes, n => n.StartsWith("drafted only", StringComparison.Ordinal));
        Assert.Empty(Posts(flowId));
    }

    [Fact]
    public async Task A_customer_billed_in_another_currency_holds_the_flow()
    {
        var deal = ErpRolloutWon("deal-fx");
        await Harness.DeliverAsync(deal);
        await Harness.DeliverAsync(ContosoReady(deal.FlowId, ContosoId) with { Currency = "USD" });

        await _flows.InStateAsync(deal.FlowId, FlowStage.HeldForCurrency);
        Assert.Contains("USD", Assert.Single((await _flows.FlowAsync(deal.FlowId)).HoldDetails));
        Assert.Empty(Posts(deal.FlowId));
    }

    [Fact]
    public async Task A_fixed_fee_split_fifty_fifty_bills_half_on_signing_and_half_on_completion()
    {
        var terms = new BillingTerms
        {
            Model = BillingModel.FixedFee,
            Instalments = [new() { Id = "signing", Percent = 50, Trigger = InstalmentTrigger.OnSigning }, new() { Id = "done", Percent = 50, Trigger = InstalmentTrigger.OnCompletion }],
        };
        var flowId = await Won(Deal("deal-ff", terms, 18_500m, new DealLine { Description = "ERP rollout", Quantity = 1, UnitPrice = 18_500m }));
        Assert.Equal(9_250m, Assert.Single(Posts(flowId)).Lines.Sum(l => l.Amount));

        await Harness.DeliverAsync(Milestone(flowId, "deal-ff", MilestoneReached.Completion, "Project complete"));

        Assert.Equal([9_250m, 9_250m], Posts(flowId).Select(p => p.Lines.Sum(l => l.Amount)));
        Assert.True(BillingContract.IsFullyBilled((await _flows.FlowAsync(flowId)).Contract!));
    }

    [Fact]
    public async Task In_sandbox_mode_invoices_are_posted_only_to_a_sandbox_company_and_a_refusal_holds_the_flow()
    {
        var policy = BillingPolicy.DefaultFor(Tenant);
        policy.Rollout.Mode = BillingMode.Sandbox;
        await Harness.Store.CommitAsync([DocumentWrite.Upsert(BillingPolicy.CollectionName, Tenant, policy)], TestContext.Current.CancellationToken);

        var flowId = await Won(ErpRolloutWon("deal-sbx"));

        var post = Assert.Single(Posts(flowId));
        Assert.True(post.SandboxOnly);
        Assert.Equal(BillingMode.Sandbox, Assert.Single((await _flows.FlowAsync(flowId)).Invoices).Mode);

        await Harness.DeliverAsync(new InvoicePostingFailed
        {
            TenantId = Tenant, FlowId = flowId, InvoiceId = post.InvoiceId, Kind = "NotSandbox",
            Message = "The tenant bills in sandbox mode, but its QuickBooks connection is a production company", FailedAt = Harness.Time.GetUtcNow(),
        });
        await _flows.InStateAsync(flowId, FlowStage.HeldForPostingFailure);
    }
}
