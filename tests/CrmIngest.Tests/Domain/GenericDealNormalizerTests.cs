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
    public void Without_an_amount_the_deal_amount_is_the_sum_of_its_lines()
    {
        var won = GenericDealNormalizer.ToDealWon("demo", Deal(), ReceivedAt);

        Assert.Equal(3099.99m, won.Amount);
        Assert.Equal(ReceivedAt, won.WonAt);
        Assert.Equal(BillingModel.FixedFee, won.BillingModel);
    }

    [Fact]
    public void The_flow_id_is_the_deterministic_id_of_tenant_source_and_deal()
    {
        var won = GenericDealNormalizer.ToDealWon("demo", Deal() with { SourceSystem = "Pipedrive" }, ReceivedAt);

        Assert.Equal("pipedrive", won.SourceSystem);
        Assert.Equal(FlowId.For("demo", "pipedrive", "D-100"), won.FlowId);
        Assert.Equal(won.FlowId, GenericDealNormalizer.ToDealWon("demo", Deal() with { SourceSystem = "pipedrive", DealName = "Renamed" }, ReceivedAt).FlowId);
    }

    [Fact]
    public void A_generic_source_is_assumed_when_none_is_given() =>
        Assert.Equal(GenericDealNormalizer.DefaultSource, GenericDealNormalizer.ToDealWon("demo", Deal(), ReceivedAt).SourceSystem);
}
