using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Models.Deals;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

public sealed class FixedFeeTests
{
    private static BillingTerms Terms(params FeeInstalment[] parts) => new() { Model = BillingModel.FixedFee, Instalments = parts };

    [Fact]
    public void Without_parts_the_whole_fee_is_billed_once_when_the_customer_is_ready()
    {
        var ledger = Start(Terms(), 18_500m);

        Assert.Empty(BillingContract.Advance(ledger, D(3, 3)).Due);
        var activated = BillingContract.Activate(ledger, D(3, 4));
        var again = BillingContract.Activate(ledger, D(3, 5));

        var invoice = Assert.Single(activated.Due);
        Assert.Equal(("fee:whole", ChargeKind.FixedFee, D(3, 4), 18_500m), (invoice.Key, invoice.Kind, invoice.BillOn, invoice.Total));
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(("Contoso ERP rollout: Fixed fee", 1m, 18_500m), (line.Description, line.Quantity, line.UnitPrice));
        Assert.Empty(again.Due);
        Assert.Equal(18_500m, ledger.Billed);
        Assert.True(BillingContract.IsFullyBilled(ledger));
        Assert.Null(BillingContract.NextDue(ledger));
    }

    [Fact]
    public void Half_on_signing_and_half_on_completion_scales_the_deal_lines()
    {
        DealLine[] lines =
        [
            new() { Description = "Discovery workshops", Sku = "consult-day", Quantity = 10, UnitPrice = 150m },
            new() { Description = "ERP configuration", ProductId = "9001", Quantity = 1, UnitPrice = 3_000m, DiscountPercent = 10m },
        ];
        var ledger = Start(Terms(Part("signing", 50m, label: "50% on signing"), Part("completion", 50m, trigger: InstalmentTrigger.OnCompletion, label: "50% on completion")),
            4_200m, lines);

        var signing = Assert.Single(BillingContract.Activate(ledger, D(3, 2)).Due);
        Assert.False(BillingContract.IsFullyBilled(ledger));
        var completion = Assert.Single(BillingContract.Complete(ledger, D(5, 29)).Due);

        // Lines 1,500 and 2,700 (3,000 less 10%); half of each is 750 and 1,350.
        Assert.Collection(signing.Lines,
            l => Assert.Equal(("Discovery workshops (50% on signing)", "sku:CONSULT-DAY", 10m, 75m, 750m), (l.Description, l.Product, l.Quantity, l.UnitPrice, l.Amount)),
            l => Assert.Equal(("ERP configuration (50% on signing)", "id:9001", 1m, 1_350m, 1_350m), (l.Description, l.Product, l.Quantity, l.UnitPrice, l.Amount)));
        Assert.Equal(("fee:completion", D(5, 29), 2_100m), (completion.Key, completion.BillOn, completion.Total));
        Assert.True(BillingContract.IsFullyBilled(ledger));
        Assert.Equal(4_200m, ledger.Billed);
    }

    [Fact]
    public void Percentage_parts_add_up_to_the_fee_to_the_penny()
    {
        // 999.99 by 25/25/50: 249.9975, 249.9975, 499.995 → 250.00, 250.00, 499.99
        var ledger = Start(Terms(Part("a", 25m), Part("b", 25m), Part("c", 50m)), 999.99m);

        var due = BillingContract.Activate(ledger, D(3, 2)).Due;

        Assert.Equal([250.00m, 250.00m, 499.99m], due.Select(d => d.Total));
        Assert.Equal(999.99m, ledger.Billed);
        Assert.Equal(["Contoso ERP rollout: 25% of the fee", "Contoso ERP rollout: 25% of the fee", "Contoso ERP rollout: 50% of the fee"],
            due.Select(d => d.Lines.Single().Description));
    }

    [Fact]
    public void An_odd_penny_goes_to_one_instalment_and_the_lines_still_add_up()
    {
        DealLine[] lines =
        [
            new() { Description = "Design", Quantity = 3, UnitPrice = 111.11m },
            new() { Description = "Build", Quantity = 1, UnitPrice = 666.68m },
        ];
        var ledger = Start(Terms(Part("signing", 50m), Part("completion", 50m, trigger: InstalmentTrigger.OnCompletion)), 1_000.01m, lines);

        var first = BillingContract.Activate(ledger, D(3, 2)).Due.Single();
        var second = BillingContract.Complete(ledger, D(4, 30)).Due.Single();

        Assert.Equal((500.01m, 500.00m), (first.Total, second.Total));
        Assert.All([first, second], i => Assert.Equal(i.Total, i.Lines.Sum(l => l.Amount)));
        Assert.All(first.Lines.Concat(second.Lines), l => Assert.Equal(l.Amount, Money.LineAmount(l.Quantity, l.UnitPrice, 0m, "GBP")));
    }

    [Fact]
    public void Completion_can_come_as_a_milestone_by_the_parts_id_or_as_completion()
    {
        var ledger = Start(Terms(Part("deposit", 40m), Part("go-live", 30m, trigger: InstalmentTrigger.OnCompletion), Part("handover", 30m, trigger: InstalmentTrigger.OnCompletion)),
            10_000m);
        BillingContract.Activate(ledger, D(3, 2));

        var goLive = BillingContract.ReachMilestone(ledger, "go-live", "Go-live", null, null, D(4, 10));
        var again = BillingContract.ReachMilestone(ledger, "go-live", "Go-live", null, null, D(4, 11));
        var completion = BillingContract.ReachMilestone(ledger, "completion", "Project complete", null, null, D(5, 1));
        var unknown = BillingContract.ReachMilestone(ledger, "phase-9", "Phase 9", null, 500m, D(5, 2));

        Assert.Equal([("fee:go-live", D(4, 10), 3_000m)], goLive.Summary());
        Assert.Empty(again.Due);
        Assert.Equal([("fee:handover", D(5, 1), 3_000m)], completion.Summary());
        Assert.Empty(unknown.Due);
        Assert.Contains("phase-9", Assert.Single(unknown.Alerts));
        Assert.True(BillingContract.IsFullyBilled(ledger));
    }

    [Fact]
    public void A_dated_part_is_billed_by_Advance_on_its_date_and_is_the_next_wake_up()
    {
        var ledger = Start(Terms(Part("upfront", amount: 5_000m), Part("april", amount: 2_500m, trigger: InstalmentTrigger.OnDate, date: D(4, 15))), 7_500m);

        Assert.Null(BillingContract.NextDue(ledger));
        Assert.Single(BillingContract.Activate(ledger, D(3, 2)).Due);
        Assert.Equal(D(4, 15), BillingContract.NextDue(ledger));
        Assert.Empty(BillingContract.Advance(ledger, D(4, 14)).Due);
        Assert.Equal([("fee:april", D(4, 15), 2_500m)], BillingContract.Advance(ledger, D(4, 15)).Summary());
        Assert.Empty(BillingContract.Advance(ledger, D(4, 16)).Due);
        Assert.Null(BillingContract.NextDue(ledger));
    }

    [Fact]
    public void Nothing_is_billed_before_activation_and_what_became_due_meanwhile_is_billed_then()
    {
        var ledger = Start(Terms(Part("signing", 50m), Part("completion", 50m, trigger: InstalmentTrigger.OnCompletion)), 8_000m);

        Assert.Empty(BillingContract.Complete(ledger, D(3, 20)).Due);
        var activated = BillingContract.Activate(ledger, D(3, 25));

        Assert.Equal([("fee:signing", D(3, 25), 4_000m), ("fee:completion", D(3, 25), 4_000m)], activated.Summary());
    }

    [Fact]
    public void A_higher_fee_after_the_first_part_puts_the_difference_on_the_parts_not_billed_yet()
    {
        var terms = Terms(Part("signing", 50m), Part("completion", 50m, trigger: InstalmentTrigger.OnCompletion));
        var ledger = Start(terms, 10_000m);
        BillingContract.Activate(ledger, D(3, 2));

        var changed = BillingContract.Change(ledger, terms, 12_000m, D(4, 1));
        var completion = BillingContract.Complete(ledger, D(5, 1)).Due.Single();

        Assert.Empty(changed.Due);
        Assert.Contains("12,000.00 GBP", Assert.Single(changed.Alerts));
        Assert.Equal(7_000m, completion.Total);
        Assert.Equal(12_000m, ledger.Billed);
    }

    [Fact]
    public void The_purchase_order_is_carried_onto_every_invoice()
    {
        var ledger = Start(Terms() with { PurchaseOrder = "PO-4471" }, 1_000m);

        Assert.Equal("PO-4471", BillingContract.Activate(ledger, D(3, 2)).Due.Single().PurchaseOrder);
    }
}
