using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

/// <summary>Reading a deal's billing terms from a block, JSON or the older parameters, with the tenant's defaults filling the gaps.</summary>
public class BillingTermsReaderTests
{
    private static readonly BillingDefaults Firm = new()
    {
        Model = BillingModel.TimeAndMaterials,
        Period = BillingPeriod.Biweekly,
        PaymentTerms = "Net 30",
        RateCard = [new TenantRate("senior", 150m, "GBP", "CONSULT-HR"), new TenantRate("junior", 95m, "GBP"), new TenantRate("senior", 190m, "USD")],
    };

    private static TermsReading Read(BillingTermsSource source, BillingDefaults? defaults = null, decimal amount = 18_500m) =>
        BillingTermsReader.Read(source, defaults ?? Firm, "GBP", amount);

    [Fact]
    public void What_the_block_leaves_out_comes_from_the_tenant_s_defaults()
    {
        var reading = Read(new BillingTermsSource { Block = new BillingTermsInput { RateCard = [new RateCardInput { Role = "senior", Rate = 180m }] } });

        Assert.True(reading.IsValid, string.Join("; ", reading.Violations));
        var terms = reading.Terms;
        Assert.Equal((BillingModel.TimeAndMaterials, BillingPeriod.Biweekly, "GBP"), (terms.Model, terms.Period, terms.Currency));
        // The deal's senior rate wins; the tenant's junior rate in the deal's currency is added; its USD rate is not.
        Assert.Equal([("senior", 180m, (string?)null), ("junior", 95m, null)], terms.RateCard.Select(r => (r.Role, r.Rate, r.Product)));
    }

    [Fact]
    public void Without_any_terms_a_tenant_that_set_nothing_bills_a_fixed_fee_on_signing()
    {
        var reading = Read(new BillingTermsSource(), BillingDefaults.None);

        Assert.True(reading.IsValid);
        Assert.Equal((BillingModel.FixedFee, BillingPeriod.Monthly, "GBP"), (reading.Terms.Model, reading.Terms.Period, reading.Terms.Currency));
        Assert.Empty(reading.Terms.Instalments);
        Assert.Empty(reading.Terms.RateCard);
    }

    [Fact]
    public void A_model_given_twice_must_agree_and_an_unknown_one_is_not_guessed()
    {
        var conflict = Read(new BillingTermsSource { Block = new BillingTermsInput { Model = "Milestones" }, Model = "Retainer", ModelField = "q2c_billing_model" });
        var unknown = Read(new BillingTermsSource { Model = "pay per use", ModelField = "Q2C_Billing_Model__c" });

        Assert.Contains(conflict.Violations, v => v.Field == "billing.model" && v.Message.Contains("q2c_billing_model"));
        Assert.Equal("Q2C_Billing_Model__c", Assert.Single(unknown.Violations).Field);
    }

    [Fact]
    public void Terms_as_json_are_read_like_the_block_and_broken_json_is_reported_under_its_field()
    {
        const string json = """
            {"model":"Subscription","subscription":{"interval":"annually","quantity":25,"unitPrice":480,"product":"SUPPORT-12M"},"purchaseOrder":"PO-7781"}
            """;
        var reading = Read(new BillingTermsSource { Json = json, JsonField = "q2c_billing_terms" });
        var broken = Read(new BillingTermsSource { Json = "{\"model\": \"Subscription\", ", JsonField = "q2c_billing_terms" });

        Assert.True(reading.IsValid, string.Join("; ", reading.Violations));
        Assert.Equal(BillingModel.Subscription, reading.Terms.Model);
        Assert.Equal((SubscriptionInterval.Annually, 25m, 480m, "SUPPORT-12M"),
            (reading.Terms.Subscription!.Interval, reading.Terms.Subscription.Quantity, reading.Terms.Subscription.UnitPrice, reading.Terms.Subscription.Product));
        Assert.Equal("PO-7781", reading.Terms.PurchaseOrder);
        Assert.Equal("q2c_billing_terms", Assert.Single(broken.Violations).Field);
    }

    [Fact]
    public void The_older_parameters_are_read_when_there_is_no_block()
    {
        var parameters = LegacyBillingParameters.Parse(
            "milestones=Kickoff:30,Design:30,Go-live:40;retainer=5000;threshold=1000;interval=monthly;seats=25;price=40;rates=senior:180;period=weekly;cap=40000;po=PO-7781");

        var terms = Read(new BillingTermsSource { Model = "Milestones", Parameters = parameters }).Terms;

        Assert.Equal(BillingModel.Milestones, terms.Model);
        Assert.Equal([("kickoff", "Kickoff", 30m), ("design", "Design", 30m), ("go-live", "Go-live", 40m)], terms.Milestones.Select(m => (m.Id, m.Name, m.Percent!.Value)));
        Assert.Equal((5_000m, 1_000m, (decimal?)5_000m), (terms.Retainer!.Deposit, terms.Retainer.Threshold, terms.Retainer.Replenishment));
        Assert.Equal((SubscriptionInterval.Monthly, 25m, 40m), (terms.Subscription!.Interval, terms.Subscription.Quantity, terms.Subscription.UnitPrice));
        Assert.Equal(("senior", 180m), (terms.RateCard[0].Role, terms.RateCard[0].Rate));
        Assert.Equal((BillingPeriod.Weekly, (decimal?)40_000m, "PO-7781"), (terms.Period, terms.NotToExceed, terms.PurchaseOrder));
    }

    [Fact]
    public void Older_instalments_name_when_each_part_is_billed()
    {
        var terms = Read(new BillingTermsSource { Parameters = LegacyBillingParameters.Parse("instalments=signing:50,completion:25,2027-01-31:25") }, BillingDefaults.None).Terms;

        Assert.Equal([("1", InstalmentTrigger.OnSigning, (DateOnly?)null), ("2", InstalmentTrigger.OnCompletion, null), ("3", InstalmentTrigger.OnDate, new DateOnly(2027, 1, 31))],
            terms.Instalments.Select(i => (i.Id, i.Trigger, i.Date)));
    }

    [Fact]
    public void An_older_parameter_that_cannot_be_read_is_reported_under_its_key()
    {
        var reading = Read(new BillingTermsSource
        {
            Model = "Retainer", Parameters = LegacyBillingParameters.Parse("retainer=five thousand;threshold=1000;milestones=Kickoff"), ParametersField = "q2c_billing_parameters",
        });

        Assert.Contains(reading.Violations, v => v.Field == "q2c_billing_parameters.retainer" && v.Message.Contains("five thousand"));
        Assert.Contains(reading.Violations, v => v.Field == "q2c_billing_parameters.milestones");
    }

    [Fact]
    public void A_block_wins_over_the_older_parameters_and_a_purchase_order_field_fills_in()
    {
        var reading = Read(new BillingTermsSource
        {
            Block = new BillingTermsInput { Model = "FixedFee" },
            Parameters = LegacyBillingParameters.Parse("milestones=Kickoff:10"),
            PurchaseOrder = "PO-42",
        });

        Assert.True(reading.IsValid);
        Assert.Empty(reading.Terms.Milestones);
        Assert.Equal("PO-42", reading.Terms.PurchaseOrder);
    }

    [Fact]
    public void A_rate_without_its_amount_and_an_unknown_period_are_reported()
    {
        var reading = Read(new BillingTermsSource { Block = new BillingTermsInput { Period = "quarterly", RateCard = [new RateCardInput { Role = "senior" }] } });

        Assert.Equal(["billing.period", "billing.rateCard[0].rate"], reading.Violations.Select(v => v.Field).Order());
    }

    [Fact]
    public void An_empty_entry_in_a_list_is_reported_for_what_it_lacks()
    {
        var reading = Read(new BillingTermsSource { Json = """{"milestones":[null],"rateCard":[null]}""" }, BillingDefaults.None);

        Assert.Equal(["billing.milestones[0].id", "billing.milestones[0].name", "billing.milestones[0].percent", "billing.rateCard[0].rate", "billing.rateCard[0].role"],
            reading.Violations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }
}
