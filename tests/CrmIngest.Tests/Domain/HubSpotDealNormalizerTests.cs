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
        var won = HubSpotDealNormalizer.Normalize("demo", Deal, Company, Contacts, Lines, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), BillingDefaults.None).Deal;

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
    public void The_segment_comes_from_q2c_segment_trimmed_and_is_null_without_it()
    {
        var segmented = Object("9003", new() { ["dealname"] = "Segmented", ["dealstage"] = "closedwon", ["q2c_segment"] = "  Mid-market \t" });

        Assert.Equal("Mid-market", HubSpotDealNormalizer.Normalize("demo", segmented, Company, Contacts, Lines, DateTimeOffset.UnixEpoch, BillingDefaults.None).Deal.Segment);
        Assert.Null(HubSpotDealNormalizer.Normalize("demo", Deal, Company, Contacts, Lines, DateTimeOffset.UnixEpoch, BillingDefaults.None).Deal.Segment);
        Assert.Contains("q2c_segment", QuoteToCash.CrmIngest.Infrastructure.HubSpot.HubSpotClient.DealProperties);
    }

    [Fact]
    public void Without_an_amount_the_lines_make_the_amount()
    {
        var deal = Object("9002", new() { ["dealname"] = "No amount", ["dealstage"] = "closedwon" });

        var won = HubSpotDealNormalizer.Normalize("demo", deal, null, [], Lines, DateTimeOffset.UnixEpoch, BillingDefaults.None).Deal;

        Assert.Equal(3 * 4500m * 0.9m + 12 * 450m, won.Amount);
        Assert.Equal("USD", won.Currency);
        Assert.Equal("deal-9002", won.Customer.ExternalId);
    }

    [Theory]
    [InlineData("time and materials", BillingModel.TimeAndMaterials)]
    [InlineData("Retainer", BillingModel.Retainer)]
    [InlineData("subscription", BillingModel.Subscription)]
    [InlineData("Fixed-Fee", BillingModel.FixedFee)]
    [InlineData("T&M", BillingModel.TimeAndMaterials)]
    [InlineData("something else", null)]
    public void Billing_model_values_are_read_leniently_and_unknown_ones_are_not_guessed(string value, BillingModel? expected) =>
        Assert.Equal(expected, BillingTermsReader.ModelOf(value));

    [Fact]
    public void Legacy_parameters_become_the_deal_s_billing_terms_alongside_the_raw_parameters()
    {
        var won = HubSpotDealNormalizer.Normalize("demo", Deal, Company, Contacts, Lines, DateTimeOffset.UnixEpoch, BillingDefaults.None);

        Assert.True(won.IsValid, string.Join("; ", won.Violations));
        var billing = won.Deal.Billing!;
        Assert.Equal((BillingModel.Milestones, "EUR", "PO-7781"), (billing.Model, billing.Currency, billing.PurchaseOrder));
        Assert.Equal(["kick-off", "design", "launch"], billing.Milestones.Select(m => m.Id));
    }

    [Fact]
    public void The_terms_are_read_from_the_property_names_the_tenant_configured()
    {
        var defaults = BillingDefaults.None with
        {
            PaymentTerms = "Net 45",
            RateCard = [new TenantRate("junior", 95m, "EUR")],
            HubSpot = new CrmBillingFields("acme_model", "acme_terms", "acme_terms_of_payment", "acme_po", "acme_parameters"),
        };
        var deal = Object("9003", new()
        {
            ["dealname"] = "Northwind support", ["amount"] = "12000", ["deal_currency_code"] = "EUR",
            ["q2c_billing_terms"] = """{"model":"Retainer","retainer":{"deposit":1}}""", // not the configured property: not read
            ["acme_terms"] = """{"model":"TimeAndMaterials","rateCard":[{"role":"senior","rate":180}],"notToExceed":12000}""",
            ["acme_po"] = "PO-9", ["acme_model"] = "time & materials",
        });

        var won = HubSpotDealNormalizer.Normalize("demo", deal, Company, Contacts, [], DateTimeOffset.UnixEpoch, defaults);

        Assert.True(won.IsValid, string.Join("; ", won.Violations));
        Assert.Equal(BillingModel.TimeAndMaterials, won.Deal.BillingModel);
        Assert.Equal((BillingModel.TimeAndMaterials, (decimal?)12_000m, "PO-9"), (won.Deal.Billing!.Model, won.Deal.Billing.NotToExceed, won.Deal.Billing.PurchaseOrder));
        Assert.Equal(["senior", "junior"], won.Deal.Billing.RateCard.Select(r => r.Role));
        Assert.Equal("Net 45", won.Deal.PaymentTerms);
    }

    [Fact]
    public void Terms_that_cannot_be_billed_are_reported_with_the_deal()
    {
        var deal = Object("9004", new()
        {
            ["dealname"] = "Northwind phase 2", ["amount"] = "10000", ["q2c_billing_model"] = "Milestones",
            ["q2c_billing_terms"] = """{"milestones":[{"id":"m1","name":"Kickoff","percent":30},{"id":"m2","name":"Launch","percent":60}]}""",
        });

        var won = HubSpotDealNormalizer.Normalize("demo", deal, null, [], [], DateTimeOffset.UnixEpoch, BillingDefaults.None);

        Assert.False(won.IsValid);
        Assert.Equal("billing.milestones", Assert.Single(won.Violations).Field);
    }
}
