using System.Text.Json;
using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class SalesforceDealNormalizerTests
{
    private const string OpportunityId = "006Q2000000A1bCIAS";
    private const string AccountId = "001Q2000000B2cDIAS";

    private static SalesforceRecord Record(string? id, Dictionary<string, string?> fields) => SalesforceRecord.Create(id, fields);

    private static readonly SalesforceRecord Account = Record(AccountId, new()
    {
        ["Name"] = "Northwind Traders GmbH",
        ["BillingStreet"] = "Hauptstraße 1\nHof 2",
        ["BillingCity"] = "Berlin",
        ["BillingPostalCode"] = "10115",
        ["BillingCountry"] = "DE",
        ["Website"] = "https://www.northwind.test/about",
    });

    private static readonly SalesforceRecord[] Contacts =
    [
        Record("003Q2000000C1aaIAC", new() { ["FirstName"] = "Ana", ["LastName"] = "Lopez", ["Email"] = "ana@northwind.test" }),
        Record("003Q2000000C1abIAC", new() { ["FirstName"] = "Ben", ["LastName"] = "Kim", ["Email"] = "ap@northwind.test", ["Role"] = "Billing Contact" }),
    ];

    private static readonly SalesforceRecord[] Lines =
    [
        Record("00kQ2000000D1aaIAC", new()
        {
            ["Name"] = "Implementation package", ["ProductCode"] = "IMPL-PKG", ["Product2Id"] = "01tQ2000000E1aaIAC", ["Quantity"] = "2", ["UnitPrice"] = "5000",
            ["Discount"] = "10", ["ServiceDate"] = "2026-12-01",
        }),
        Record("00kQ2000000D1abIAC", new() { ["Name"] = "Consulting hours", ["ProductCode"] = "CONSULT-HR", ["Quantity"] = "12.5", ["UnitPrice"] = "150", ["Discount"] = null }),
    ];

    private static SalesforceRecord Opportunity(Dictionary<string, string?>? extra = null)
    {
        var fields = new Dictionary<string, string?>
        {
            ["Name"] = "Northwind — rollout",
            ["StageName"] = "Contract Signed",
            ["Amount"] = "10875",
            ["AccountId"] = AccountId,
            ["CurrencyIsoCode"] = "eur",
            ["Q2C_Billing_Model__c"] = "Milestones",
            ["Q2C_Billing_Parameters__c"] = "milestones=Kick-off:30,Launch:70; po=PO-7781",
            ["Q2C_Payment_Terms__c"] = "Net 30",
        };
        foreach (var (key, value) in extra ?? [])
            fields[key] = value;
        return SalesforceRecord.Create(OpportunityId, fields, new Dictionary<string, SalesforceRecord?>
        {
            ["Owner"] = Record(null, new() { ["Email"] = "rep@seller.test" }),
        });
    }

    private static readonly PipelineStage[] Stages =
    [
        new("Opportunity", "Prospecting", "Prospecting", IsClosed: false, Probability: 0.1m, IsWon: false),
        new("Opportunity", "Negotiation/Review", "Negotiation/Review", IsClosed: false, Probability: 0.9m, IsWon: false),
        new("Opportunity", "Contract Signed", "Contract Signed", IsClosed: true, Probability: 1m, IsWon: true),
        new("Opportunity", "Closed Won", "Closed Won", IsClosed: true, Probability: 1m, IsWon: true),
        new("Opportunity", "Closed Lost", "Closed Lost", IsClosed: true, Probability: 0m, IsWon: false),
    ];

    [Fact]
    public void A_won_opportunity_becomes_DealWon_with_customer_lines_and_billing_fields()
    {
        var won = SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(Opportunity(), Account, Contacts, Lines), DateTimeOffset.Parse("2026-11-20T10:00:00Z"), BillingDefaults.None).Deal;

        Assert.Equal(FlowId.For("t1", "salesforce", OpportunityId), won.FlowId);
        Assert.Equal("salesforce", won.SourceSystem);
        Assert.Equal(OpportunityId, won.ExternalDealId);
        Assert.Equal("Northwind — rollout", won.DealName);
        Assert.Equal("EUR", won.Currency);
        Assert.Equal(10875m, won.Amount);
        Assert.Equal(BillingModel.Milestones, won.BillingModel);
        Assert.Equal("Kick-off:30,Launch:70", won.BillingParameters["milestones"]);
        Assert.Equal("PO-7781", won.BillingParameters["po"]);
        Assert.Equal("Net 30", won.PaymentTerms);
        Assert.Equal("rep@seller.test", won.OwnerEmail);

        Assert.Equal(AccountId, won.Customer.ExternalId);
        Assert.Equal("Northwind Traders GmbH", won.Customer.LegalName);
        Assert.Equal("northwind.test", won.Customer.Domain);
        Assert.Equal("Hauptstraße 1", won.Customer.BillingAddress!.Line1);
        Assert.Equal("Hof 2", won.Customer.BillingAddress.Line2);
        Assert.Equal("Berlin", won.Customer.BillingAddress.City);
        Assert.Equal("10115", won.Customer.BillingAddress.PostalCode);
        Assert.Equal("DE", won.Customer.BillingAddress.Country);
        Assert.Equal(2, won.Customer.Contacts.Count);
        Assert.Equal("ap@northwind.test", Assert.Single(won.Customer.Contacts, c => c.IsBillingContact).Email);

        Assert.Equal(2, won.Lines.Count);
        var first = won.Lines[0];
        Assert.Equal("00kQ2000000D1aaIAC", first.ExternalId);
        Assert.Equal("IMPL-PKG", first.Sku);
        Assert.Equal("01tQ2000000E1aaIAC", first.ProductId);
        Assert.Equal("Implementation package", first.Description);
        Assert.Equal(2m, first.Quantity);
        Assert.Equal(5000m, first.UnitPrice);
        Assert.Equal(10m, first.DiscountPercent);
        Assert.Equal(new DateOnly(2026, 12, 1), first.ServiceStart);
        Assert.Equal(12.5m, won.Lines[1].Quantity);
        Assert.Equal(0m, won.Lines[1].DiscountPercent);
    }

    [Fact]
    public void The_segment_comes_from_Q2C_Segment__c_when_the_org_has_it()
    {
        var segmented = Opportunity(new() { ["Q2C_Segment__c"] = " Small   business " });

        Assert.Equal("Small business",
            SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(segmented, Account, Contacts, Lines), DateTimeOffset.UnixEpoch, BillingDefaults.None).Deal.Segment);
        Assert.Null(SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(Opportunity(), Account, Contacts, Lines), DateTimeOffset.UnixEpoch, BillingDefaults.None).Deal.Segment);
        Assert.Contains("Q2C_Segment__c", QuoteToCash.CrmIngest.Infrastructure.Salesforce.SalesforceClient.OptionalOpportunityFields);
    }

    [Fact]
    public void Without_currency_amount_or_billing_fields_the_defaults_apply()
    {
        var opportunity = Opportunity(new()
        {
            ["CurrencyIsoCode"] = null, ["Amount"] = null, ["Q2C_Billing_Model__c"] = null, ["Q2C_Billing_Parameters__c"] = null, ["Q2C_Payment_Terms__c"] = null,
        });
        var won = SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(opportunity, Account, [], Lines), DateTimeOffset.UnixEpoch, BillingDefaults.None).Deal;

        Assert.Equal("USD", won.Currency);
        Assert.Equal(BillingModel.FixedFee, won.BillingModel);
        Assert.Empty(won.BillingParameters);
        Assert.Null(won.PaymentTerms);
        Assert.Equal(2m * 5000m * 0.9m + 12.5m * 150m, won.Amount);
        Assert.Empty(won.Customer.Contacts);
    }

    [Fact]
    public void Terms_come_from_the_configured_fields_with_the_tenant_s_defaults()
    {
        var defaults = BillingDefaults.None with
        {
            PaymentTerms = "Net 15",
            Period = BillingPeriod.Weekly,
            RateCard = [new TenantRate("senior", 150m, "EUR"), new TenantRate("junior", 95m, "EUR")],
            Salesforce = CrmBillingFields.SalesforceDefaults with { Terms = "Billing_JSON__c" },
        };
        var opportunity = Opportunity(new()
        {
            ["Q2C_Billing_Model__c"] = "TimeAndMaterials", ["Q2C_Billing_Parameters__c"] = null, ["Q2C_Payment_Terms__c"] = null,
            ["Q2C_Purchase_Order__c"] = "PO-12", ["Billing_JSON__c"] = """{"rateCard":[{"role":"senior","rate":175,"product":"CONSULT-HR"}]}""",
        });

        var won = SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(opportunity, Account, Contacts, Lines), DateTimeOffset.UnixEpoch, defaults);

        Assert.True(won.IsValid, string.Join("; ", won.Violations));
        var billing = won.Deal.Billing!;
        Assert.Equal((BillingModel.TimeAndMaterials, BillingPeriod.Weekly, "EUR", "PO-12"), (billing.Model, billing.Period, billing.Currency, billing.PurchaseOrder));
        Assert.Equal([("senior", 175m, "CONSULT-HR"), ("junior", 95m, (string?)null)], billing.RateCard.Select(r => (r.Role, r.Rate, r.Product)));
        Assert.Equal("Net 15", won.Deal.PaymentTerms);
    }

    [Fact]
    public void The_older_parameter_field_is_still_read_and_checked()
    {
        var valid = SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(Opportunity(), Account, Contacts, Lines), DateTimeOffset.UnixEpoch, BillingDefaults.None);
        var invalid = SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(Opportunity(new() { ["Q2C_Billing_Parameters__c"] = "milestones=Kick-off:30,Launch:60" }),
            Account, Contacts, Lines), DateTimeOffset.UnixEpoch, BillingDefaults.None);

        Assert.True(valid.IsValid, string.Join("; ", valid.Violations));
        Assert.Equal([("kick-off", 30m), ("launch", 70m)], valid.Deal.Billing!.Milestones.Select(m => (m.Id, m.Percent!.Value)));
        Assert.Equal("PO-7781", valid.Deal.Billing.PurchaseOrder);
        Assert.Equal("billing.milestones", Assert.Single(invalid.Violations).Field);
    }

    [Fact]
    public void Without_an_account_the_opportunity_stands_in_for_the_customer()
    {
        var opportunity = Opportunity(new() { ["AccountId"] = null });
        var won = SalesforceDealNormalizer.Normalize("t1", new SalesforceOpportunity(opportunity, null, [], []), DateTimeOffset.UnixEpoch, BillingDefaults.None).Deal;

        Assert.Equal("opportunity-" + OpportunityId, won.Customer.ExternalId);
        Assert.Equal("Northwind — rollout", won.Customer.LegalName);
        Assert.Null(won.Customer.BillingAddress);
    }

    [Fact]
    public void The_primary_contact_is_the_billing_contact_when_no_role_says_billing()
    {
        SalesforceRecord[] contacts =
        [
            Record("003a", new() { ["Email"] = "a@x.test", ["Role"] = "Decision Maker", ["IsPrimary"] = "false" }),
            Record("003b", new() { ["Email"] = "b@x.test", ["Role"] = "Economic Buyer", ["IsPrimary"] = "true" }),
        ];
        var customer = SalesforceDealNormalizer.ToCustomer(Account, contacts, Opportunity());
        Assert.Equal("b@x.test", Assert.Single(customer.Contacts, c => c.IsBillingContact).Email);
    }

    [Theory]
    [InlineData("Contract Signed", true)]
    [InlineData("Closed Won", true)]
    [InlineData("Negotiation/Review", false)]
    [InlineData("Closed Lost", false)]
    [InlineData("Unknown Stage", false)]
    public void The_trigger_follows_IsWon_of_the_stage(string stageName, bool won)
    {
        var trigger = new BillingTrigger(Stages);
        var stage = SalesforceDealNormalizer.FindStage(Stages, stageName);
        Assert.Equal(won, trigger.IsTriggered(SalesforceDealNormalizer.Pipeline, stage?.StageId ?? stageName));
    }

    [Fact]
    public void A_stage_labelled_Closed_Won_that_is_not_won_in_the_metadata_does_not_trigger()
    {
        PipelineStage[] stages = [new("Opportunity", "Closed_Won_Legacy", "Closed Won", IsClosed: true, Probability: 0m, IsWon: false)];
        var stage = SalesforceDealNormalizer.FindStage(stages, "Closed Won");
        Assert.NotNull(stage); // found by its label
        Assert.False(new BillingTrigger(stages).IsTriggered(SalesforceDealNormalizer.Pipeline, stage.StageId));
    }

    [Fact]
    public void A_lost_opportunity_and_an_account_change_use_the_salesforce_flows()
    {
        var lost = SalesforceDealNormalizer.ToDealLost("t1", OpportunityId, DateTimeOffset.UnixEpoch);
        Assert.Equal(FlowId.For("t1", "salesforce", OpportunityId), lost.FlowId);
        Assert.Equal(OpportunityId, lost.ExternalDealId);

        var changed = SalesforceDealNormalizer.ToCustomerChanged("t1", Account, Contacts, DateTimeOffset.UnixEpoch);
        Assert.Equal(FlowId.For("t1", "salesforce", "company:" + AccountId), changed.FlowId);
        Assert.Equal("Northwind Traders GmbH", changed.Customer.LegalName);
        Assert.Equal(2, changed.Customer.Contacts.Count);
    }

    [Fact]
    public void A_soql_record_is_read_with_its_parent_and_child_rows()
    {
        const string json = """
            {"attributes":{"type":"Opportunity","url":"/services/data/v60.0/sobjects/Opportunity/006Q2000000A1bCIAS"},
             "Id":"006Q2000000A1bCIAS","Name":"Deal","Amount":12500.5,"IsWon":false,"CloseDate":"2026-12-31","Description":null,
             "Account":{"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001Q2000000B2cDIAS"},"Name":"Acme","BillingCity":null},
             "Owner":null,
             "OpportunityLineItems":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"OpportunityLineItem"},"Id":"00kQ2000000D1aaIAC","Quantity":3}]}}
            """;
        var record = SalesforceRecord.Parse(JsonDocument.Parse(json).RootElement);

        Assert.Equal("006Q2000000A1bCIAS", record.Id);
        Assert.Equal("Opportunity", record.Type);
        Assert.Equal("12500.5", record["Amount"]);
        Assert.Equal("false", record["IsWon"]);
        Assert.Null(record["Description"]);
        Assert.Equal("Acme", record["Account.Name"]);
        Assert.Equal("001Q2000000B2cDIAS", record.Parent("Account")!.Id);
        Assert.Null(record["Owner.Email"]);
        Assert.Equal("3", Assert.Single(record.Related("OpportunityLineItems"))["Quantity"]);
    }
}
