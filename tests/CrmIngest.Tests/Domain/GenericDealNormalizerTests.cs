using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class GenericDealNormalizerTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static GenericDealRequest Deal() => new()
    {
        ExternalDealId = "D-100",
        DealName = "Brand refresh",
        Currency = "USD",
        Customer = new CustomerSnapshot { ExternalId = "C-1", LegalName = "Northwind Traders LLC" },
        Lines =
        [
            new DealLine { Description = "Strategy", Quantity = 12.5m, UnitPrice = 180m },
            new DealLine { Description = "Design sprint", Quantity = 3m, UnitPrice = 333.33m, DiscountPercent = 15m },
        ],
    };

    [Fact]
    public void A_complete_deal_has_no_errors() => Assert.Empty(GenericDealNormalizer.Validate(Deal()));

    [Fact]
    public void Missing_identity_customer_and_currency_are_reported_per_field()
    {
        var errors = GenericDealNormalizer.Validate(Deal() with { ExternalDealId = " ", Currency = "usd", Customer = null });

        Assert.Contains("externalDealId", errors.Keys);
        Assert.Contains("currency", errors.Keys);
        Assert.Contains("customer", errors.Keys);
    }

    [Fact]
    public void Line_errors_name_the_line()
    {
        var errors = GenericDealNormalizer.Validate(Deal() with
        {
            Lines = [new DealLine { Description = "", Quantity = 0m, UnitPrice = -1m, DiscountPercent = 120m }],
        });

        Assert.Equal(["lines[0].description", "lines[0].discountPercent", "lines[0].quantity", "lines[0].unitPrice"], errors.Keys.Order());
    }

    [Fact]
    public void Line_amounts_are_rounded_to_cents_after_discount()
    {
        // 3 × 333.33 = 999.99, less 15% = 849.9915 → 849.99
        Assert.Equal(849.99m, GenericDealNormalizer.LineAmount(Deal().Lines![1]));
        Assert.Equal(2250.00m, GenericDealNormalizer.LineAmount(Deal().Lines![0]));
    }

    [Fact]
    public void The_segment_is_carried_when_given_and_a_blank_one_is_none()
    {
        Assert.Equal("Enterprise", GenericDealNormalizer.Normalize("demo", Deal() with { Segment = " Enterprise " }, ReceivedAt, BillingDefaults.None).Deal.Segment);
        Assert.Null(GenericDealNormalizer.Normalize("demo", Deal() with { Segment = "   " }, ReceivedAt, BillingDefaults.None).Deal.Segment);
        Assert.Null(GenericDealNormalizer.Normalize("demo", Deal(), ReceivedAt, BillingDefaults.None).Deal.Segment);
        Assert.Equal(DealSegment.MaxLength, DealSegment.Normalize(new string('x', 300))!.Length);
    }

    [Fact]
    public void Without_an_amount_the_deal_amount_is_the_sum_of_its_lines()
    {
        var won = GenericDealNormalizer.Normalize("demo", Deal(), ReceivedAt, BillingDefaults.None).Deal;

        Assert.Equal(3099.99m, won.Amount);
        Assert.Equal(ReceivedAt, won.WonAt);
        Assert.Equal(BillingModel.FixedFee, won.BillingModel);
    }

    [Fact]
    public void The_flow_id_is_the_deterministic_id_of_tenant_source_and_deal()
    {
        var won = GenericDealNormalizer.Normalize("demo", Deal() with { SourceSystem = "Pipedrive" }, ReceivedAt, BillingDefaults.None).Deal;

        Assert.Equal("pipedrive", won.SourceSystem);
        Assert.Equal(FlowId.For("demo", "pipedrive", "D-100"), won.FlowId);
        Assert.Equal(won.FlowId, GenericDealNormalizer.Normalize("demo", Deal() with { SourceSystem = "pipedrive", DealName = "Renamed" }, ReceivedAt, BillingDefaults.None).Deal.FlowId);
    }

    [Fact]
    public void A_generic_source_is_assumed_when_none_is_given() =>
        Assert.Equal(GenericDealNormalizer.DefaultSource, GenericDealNormalizer.Normalize("demo", Deal(), ReceivedAt, BillingDefaults.None).Deal.SourceSystem);

    [Fact]
    public void The_older_model_and_parameters_are_mapped_into_the_terms()
    {
        var request = Deal() with
        {
            Amount = 3000m, BillingModel = BillingModel.Subscription,
            BillingParameters = new() { ["interval"] = "monthly", ["seats"] = "25", ["price"] = "120", ["po"] = "PO-1" },
        };

        Assert.Empty(GenericDealNormalizer.Validate(request, BillingDefaults.None));
        var won = GenericDealNormalizer.Normalize("demo", request, ReceivedAt, BillingDefaults.None).Deal;
        Assert.Equal((BillingModel.Subscription, BillingModel.Subscription), (won.BillingModel, won.Billing!.Model));
        Assert.Equal((25m, 120m, "PO-1"), (won.Billing.Subscription!.Quantity, won.Billing.Subscription.UnitPrice, won.Billing.PurchaseOrder));
        Assert.Equal("25", won.BillingParameters["seats"]);
    }

    [Fact]
    public void Billing_errors_are_reported_with_the_deal_s_own_field_errors()
    {
        var errors = GenericDealNormalizer.Validate(Deal() with
        {
            DealName = "",
            Billing = new BillingTermsInput { Currency = "EUR", Milestones = [new MilestoneInput { Id = "m1", Name = "Kickoff", Percent = 30m }] },
        }, BillingDefaults.None);

        Assert.Equal(["billing.currency", "billing.milestones", "dealName"], errors.Keys.Order());
    }

    [Fact]
    public void Deal_payment_terms_win_over_the_tenant_s_default()
    {
        var defaults = BillingDefaults.None with { PaymentTerms = "Net 30" };

        Assert.Equal("Net 30", GenericDealNormalizer.Normalize("demo", Deal(), ReceivedAt, defaults).Deal.PaymentTerms);
        Assert.Equal("Net 15", GenericDealNormalizer.Normalize("demo", Deal() with { PaymentTerms = "Net 15" }, ReceivedAt, defaults).Deal.PaymentTerms);
    }
}
