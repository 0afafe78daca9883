using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class HubSpotDealNormalizerTests
{
    private static HubSpotObject Object(string id, Dictionary<string, string?> properties, Dictionary<string, IReadOnlyList<string>>? associations = null) =>
        new(id, properties, associations ?? []);

    private static readonly HubSpotObject Deal = Object("9001", new()
    {
        ["dealname"] = "Northwind — brand refresh",
        ["dealstage"] = "closedwon",
        ["pipeline"] = "default",
        ["amount"] = "18500.00",
        ["deal_currency_code"] = "eur",
        ["q2c_billing_model"] = "Milestones",
        ["q2c_billing_parameters"] = "milestones=Kick-off:30,Design:40,Launch:30; po=PO-7781",
        ["q2c_payment_terms"] = "Net 30",
        ["q2c_region"] = "EMEA",
    });

    private static readonly HubSpotObject Company = Object("4711", new()
    {
        ["name"] = "Northwind Traders GmbH", ["domain"] = "northwind.test", ["address"] = "Hauptstraße 1", ["city"] = "Berlin", ["zip"] = "10115",
        ["country"] = "DE", ["q2c_tax_id"] = "DE123456789",
    });

    private static readonly HubSpotObject[] Contacts =
    [
        Object("c1", new() { ["firstname"] = "Ana", ["lastname"] = "Lopez", ["email"] = "ana@northwind.test" }),
        Object("c2", new() { ["firstname"] = "Ben", ["lastname"] = "Kim", ["email"] = "ap@northwind.test", ["q2c_billing_contact"] = "true" }),
    ];

    private static readonly HubSpotObject[] Lines =
    [
        Object("li1", new() { ["name"] = "Design sprint", ["quantity"] = "3", ["price"] = "4500", ["hs_discount_percentage"] = "10", ["hs_sku"] = "DES-SPRINT" }),
        Object("li2", new() { ["name"] = "Hosting", ["quantity"] = "12", ["price"] = "450", ["hs_recurring_billing_period"] = "P1M", ["hs_recurring_billing_start_date"] = "2026-12-01" }),
    ];

    [Fact]
    public void A_won_deal_becomes_deal_won_with_customer_lines_and_billing_model()
    {
        var won = HubSpotDealNormalizer.ToDealWon("demo", Deal, Company, Contacts, Lines, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(FlowId.For("demo", "hubspot", "9001"), won.FlowId);
        Assert.Equal("EUR", won.Currency);
        Assert.Equal(18500.00m, won.Amount);
        Assert.Equal(BillingModel.Milestones, won.BillingModel);
        Assert.Equal("Kick-off:30,Design:40,Launch:30", won.BillingParameters["milestones"]);
        Assert.Equal("PO-7781", won.BillingParameters["po"]);
        Assert.Equal("Net 30", won.PaymentTerms);
        Assert.Equal(("4711", "Northwind Traders GmbH", "DE123456789"), (won.Customer.ExternalId, won.Customer.LegalName, won.Customer.TaxId));
        Assert.Equal(("Berlin", "DE"), (won.Customer.BillingAddress?.City, won.Customer.BillingAddress?.Country));
        Assert.Equal("ap@northwind.test", Assert.Single(won.Customer.Contacts, c => c.IsBillingContact).Email);
        Assert.Equal([10m, 0m], won.Lines.Select(l => l.DiscountPercent));
        Assert.Equal("P1M", won.Lines[1].RecurringPeriod);
        Assert.Equal(new DateOnly(2026, 12, 1), won.Lines[1].ServiceStart);
    }

    [Fact]
    public void Without_an_amount_the_lines_make_the_amount()
    {
        var deal = Object("9002", new() { ["dealname"] = "No amount", ["dealstage"] = "closedwon" });

        var won = HubSpotDealNormalizer.ToDealWon("demo", deal, null, [], Lines, DateTimeOffset.UnixEpoch);

        Assert.Equal(3 * 4500m * 0.9m + 12 * 450m, won.Amount);
        Assert.Equal("USD", won.Currency);
        Assert.Equal("deal-9002", won.Customer.ExternalId);
    }

    [Theory]
    [InlineData("time and materials", BillingModel.TimeAndMaterials)]
    [InlineData("Retainer", BillingModel.Retainer)]
    [InlineData("subscription", BillingModel.Subscription)]
    [InlineData(null, BillingModel.FixedFee)]
    [InlineData("something else", BillingModel.FixedFee)]
    public void Billing_model_values_are_read_leniently(string? value, BillingModel expected) =>
        Assert.Equal(expected, HubSpotDealNormalizer.BillingModelOf(value));
}
