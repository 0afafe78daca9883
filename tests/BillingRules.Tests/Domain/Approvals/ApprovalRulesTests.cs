using QuoteToCash.BillingRules.Domain;
using static QuoteToCash.BillingRules.Tests.Domain.Drafting.ContosoBilling;

namespace QuoteToCash.BillingRules.Tests.Domain.Approvals;

public class ApprovalRulesTests
{
    private static readonly ApprovalPolicy Policy = ApprovalPolicy.Standard();

    private static InvoiceDraft Drafted(DueInvoice due, Action<DraftContext>? change = null)
    {
        var context = Context();
        change?.Invoke(context);
        return Assert.Single(InvoiceDrafter.Draft(due, context).Invoices);
    }

    private static DueInvoice WithDiscount(decimal percent) =>
        MarchTimeAndMaterials(new ChargeLine
        {
            Description = "Workshop", Product = "sku:CONSULT", Quantity = 2, UnitPrice = 1_000m, DiscountPercent = percent,
            Amount = Math.Round(2_000m * (100 - percent) / 100, 2, MidpointRounding.AwayFromZero),
        });

    [Fact]
    public void The_default_policy_allows_10_percent_discount_net_30_any_amount_and_asks_for_manual_lines_within_24_hours()
    {
        Assert.Equal(10m, Policy.MaxDiscountPercent);
        Assert.Equal(30, Policy.MaxNetDays);
        Assert.Null(Policy.MaxAmount);
        Assert.True(Policy.ManualLinesNeedApproval);
        Assert.Equal(TimeSpan.FromHours(24), Policy.Sla);
    }

    [Fact]
    public void A_standard_invoice_needs_no_approval()
    {
        Assert.Empty(ApprovalRules.Evaluate(Drafted(MarchTimeAndMaterials()), Policy, "Net 30"));
        Assert.Empty(ApprovalRules.Evaluate(Drafted(WithDiscount(10)), Policy, "Net 30"));
    }

    [Fact]
    public void A_discount_above_the_limit_needs_approval_and_says_by_how_much()
    {
        var reason = Assert.Single(ApprovalRules.Evaluate(Drafted(WithDiscount(15)), Policy, "Net 30"));

        Assert.Equal(ApprovalReason.Discount, reason.Code);
        Assert.Equal(("10%", "15%"), (reason.Standard, reason.Actual));
        Assert.Equal("discount 15% exceeds the 10% limit by 5 points", reason.Difference);
        Assert.Equal("\"Workshop\" is discounted by 15%; discounts above 10% need approval.", reason.Message);
    }

    [Fact]
    public void Several_discounted_lines_are_reported_once_by_the_largest()
    {
        var due = WithDiscount(12.5m);
        due.Lines[0].DiscountPercent = 20;
        due.Lines[0].Amount = Math.Round(due.Lines[0].Quantity * due.Lines[0].UnitPrice * 0.8m, 2, MidpointRounding.AwayFromZero);

        var reason = Assert.Single(ApprovalRules.Evaluate(Drafted(due), Policy, "Net 30"));

        Assert.Equal("discount 20% exceeds the 10% limit by 10 points", reason.Difference);
        Assert.Equal("2 lines are discounted by more than 10%, the most by 20% (\"Consulting, senior (1–31 Mar 2026)\").", reason.Message);
    }

    [Fact]
    public void A_discount_inside_an_instalments_price_still_needs_approval()
    {
        var reason = Assert.Single(ApprovalRules.Evaluate(Drafted(DepositInstalment(discountPercent: 15)), Policy, "Net 30"));

        Assert.Equal("discount 15% exceeds the 10% limit by 5 points", reason.Difference);
    }

    [Fact]
    public void Terms_beyond_the_limit_need_approval_measured_against_the_standard()
    {
        var draft = Drafted(GoLiveMilestone(), c => c.PaymentTerms = "Net 60");

        var reason = Assert.Single(ApprovalRules.Evaluate(draft, Policy, "Net 30"));

        Assert.Equal(ApprovalReason.Terms, reason.Code);
        Assert.Equal(("Net 30", "Net 60"), (reason.Standard, reason.Actual));
        Assert.Equal("Net 60 is 30 days beyond the standard Net 30", reason.Difference);
        Assert.Equal("The invoice is due 60 days after its date; terms beyond 30 days need approval.", reason.Message);
    }

    [Fact]
    public void End_of_month_terms_are_measured_by_the_days_they_actually_give()
    {
        var draft = Drafted(GoLiveMilestone(), c => c.PaymentTerms = "Net 30 EOM");

        var reason = Assert.Single(ApprovalRules.Evaluate(draft, Policy, "Net 30"));

        Assert.Equal("Net 30 EOM is 15 days beyond the standard Net 30 (due 30 Apr 2026, 45 days after the invoice date)", reason.Difference);
    }

    [Fact]
    public void Terms_over_a_looser_limit_are_measured_against_the_limit_when_the_standard_is_longer()
    {
        var draft = Drafted(GoLiveMilestone(), c => c.PaymentTerms = "Net 60");
        var policy = new ApprovalPolicy { MaxNetDays = 45 };

        Assert.Equal("Net 60 is 30 days beyond the standard Net 30", Assert.Single(ApprovalRules.Evaluate(draft, policy, "Net 30")).Difference);
        Assert.Empty(ApprovalRules.Evaluate(Drafted(GoLiveMilestone(), c => c.PaymentTerms = "Net 45"), policy, "Net 30"));
        Assert.Equal("Net 60 is 15 days beyond the 45-day limit", Assert.Single(ApprovalRules.Evaluate(draft, policy, "Net 90")).Difference);
    }

    [Fact]
    public void Terms_the_policy_cannot_measure_need_approval()
    {
        var draft = Drafted(GoLiveMilestone(), c => c.PaymentTerms = "Upon completion");

        var reason = Assert.Single(ApprovalRules.Evaluate(draft, Policy, "Net 30"));

        Assert.Equal(ApprovalReason.Terms, reason.Code);
        Assert.Equal("\"Upon completion\" differs from the standard Net 30", reason.Difference);
    }

    [Fact]
    public void Shorter_terms_need_no_approval()
    {
        Assert.Empty(ApprovalRules.Evaluate(Drafted(GoLiveMilestone(), c => c.PaymentTerms = "Due on receipt"), Policy, "Net 30"));
        Assert.Empty(ApprovalRules.Evaluate(Drafted(GoLiveMilestone(), c => c.PaymentTerms = null), Policy, "Net 30"));
    }

    [Fact]
    public void An_amount_above_the_limit_needs_approval()
    {
        var policy = new ApprovalPolicy { MaxAmount = 5_000m };

        var reason = Assert.Single(ApprovalRules.Evaluate(Drafted(GoLiveMilestone()), policy, "Net 30"));

        Assert.Equal(ApprovalReason.Amount, reason.Code);
        Assert.Equal(("5,000.00 GBP", "7,400.00 GBP"), (reason.Standard, reason.Actual));
        Assert.Equal("amount 7,400.00 GBP exceeds the 5,000.00 GBP limit by 2,400.00 GBP", reason.Difference);
        Assert.Empty(ApprovalRules.Evaluate(Drafted(GoLiveMilestone()), new ApprovalPolicy { MaxAmount = 7_400m }, "Net 30"));
    }

    [Fact]
    public void Manual_lines_need_approval_unless_the_policy_says_otherwise()
    {
        var draft = Drafted(MarchTimeAndMaterials(
            new ChargeLine { Description = "Extra workshop", Product = "sku:CONSULT", Quantity = 1, UnitPrice = 900m, Amount = 900m, Manual = true }));

        var reason = Assert.Single(ApprovalRules.Evaluate(draft, Policy, "Net 30"));

        Assert.Equal(ApprovalReason.ManualLine, reason.Code);
        Assert.Equal("A line was added by hand: \"Extra workshop\".", reason.Message);
        Assert.Equal("1 manual line totalling 900.00 GBP", reason.Difference);
        Assert.Empty(ApprovalRules.Evaluate(draft, new ApprovalPolicy { ManualLinesNeedApproval = false }, "Net 30"));
    }

    [Fact]
    public void Every_reason_is_given_in_order_and_limits_left_empty_are_not_checked()
    {
        var due = WithDiscount(25);
        due.Lines.Add(new ChargeLine { Description = "Extra workshop", Product = "sku:CONSULT", Quantity = 1, UnitPrice = 900m, Amount = 900m, Manual = true });
        var draft = Drafted(due, c => c.PaymentTerms = "Net 60");

        var all = ApprovalRules.Evaluate(draft, new ApprovalPolicy { MaxDiscountPercent = 10, MaxNetDays = 30, MaxAmount = 1_000m }, "Net 30");
        var none = ApprovalRules.Evaluate(draft, new ApprovalPolicy { MaxDiscountPercent = null, MaxNetDays = null, MaxAmount = null, ManualLinesNeedApproval = false }, "Net 30");

        Assert.Equal([ApprovalReason.Discount, ApprovalReason.Terms, ApprovalReason.Amount, ApprovalReason.ManualLine], all.Select(r => r.Code));
        Assert.Empty(none);
    }
}
