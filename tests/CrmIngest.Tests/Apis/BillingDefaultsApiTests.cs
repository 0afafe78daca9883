using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Tests.Consumers;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.CrmIngest.Tests.Apis.IngestApiHarness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Apis;

/// <summary>The tenant's billing defaults through their API: what finance sets is what it reads back, and a bad change changes nothing.</summary>
public sealed class BillingDefaultsApiTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await CrmIngestConsumerHarness.StartAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<BillingDefaultsApi.BillingDefaultsView> GetAsync() => (await BillingDefaultsApi.Get(Tenant, _harness.Store, Ct)).Value!;

    [Fact]
    public async Task A_tenant_that_set_nothing_reads_the_built_in_defaults()
    {
        var view = await GetAsync();

        Assert.False(view.Configured);
        Assert.Equal((BillingModel.FixedFee, BillingPeriod.Monthly, (string?)null), (view.Model, view.Period, view.PaymentTerms));
        Assert.Empty(view.RateCard);
        Assert.Equal(("q2c_billing_model", "q2c_billing_terms", "q2c_payment_terms", "q2c_purchase_order", "q2c_billing_parameters"),
            (view.HubSpotFields.Model, view.HubSpotFields.Terms, view.HubSpotFields.PaymentTerms, view.HubSpotFields.PurchaseOrder, view.HubSpotFields.Parameters));
        Assert.Equal(("Q2C_Billing_Model__c", "Q2C_Billing_Terms__c", "Q2C_Payment_Terms__c", "Q2C_Purchase_Order__c", "Q2C_Billing_Parameters__c"),
            (view.SalesforceFields.Model, view.SalesforceFields.Terms, view.SalesforceFields.PaymentTerms, view.SalesforceFields.PurchaseOrder, view.SalesforceFields.Parameters));
    }

    [Fact]
    public async Task What_finance_sets_is_read_back_and_a_later_change_keeps_what_it_leaves_out()
    {
        var put = Assert.IsType<Ok<BillingDefaultsApi.BillingDefaultsView>>((await _harness.PutBillingDefaultsAsync(FirmDefaults with
        {
            HubSpotFields = new CrmFieldsInput { Terms = "harbour_billing_terms" },
        })).Result).Value!;
        _harness.Time.Advance(TimeSpan.FromDays(1));
        await _harness.PutBillingDefaultsAsync(new BillingDefaultsRequest { PaymentTerms = "Net 15", SalesforceFields = new CrmFieldsInput { PurchaseOrder = "PO_Number__c" } });

        var view = await GetAsync();
        Assert.True(view.Configured);
        Assert.Equal((BillingModel.TimeAndMaterials, BillingPeriod.Biweekly, "Net 15"), (view.Model, view.Period, view.PaymentTerms));
        Assert.Equal([("senior", 150m, "GBP", "CONSULT-HR"), ("junior", 95m, "GBP", null), ("senior", 190m, "USD", null)],
            view.RateCard.Select(r => (r.Role, r.Rate, r.Currency, r.Product)));
        Assert.Equal(("harbour_billing_terms", "q2c_billing_model"), (view.HubSpotFields.Terms, view.HubSpotFields.Model));
        Assert.Equal(("PO_Number__c", "Q2C_Billing_Terms__c"), (view.SalesforceFields.PurchaseOrder, view.SalesforceFields.Terms));
        Assert.Equal(("maria", (DateTime?)ServiceHarness.DefaultStart.UtcDateTime.AddDays(1)), (view.UpdatedBy, view.Updated?.ToUniversalTime()));
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime, put.Updated);

        await _harness.PutBillingDefaultsAsync(new BillingDefaultsRequest { PaymentTerms = "" });
        Assert.Null((await GetAsync()).PaymentTerms);
    }

    [Fact]
    public async Task A_bad_change_names_each_field_and_changes_nothing()
    {
        await _harness.PutBillingDefaultsAsync(FirmDefaults);

        var result = await _harness.PutBillingDefaultsAsync(new BillingDefaultsRequest
        {
            Model = "pay per use",
            Period = "quarterly",
            PaymentTerms = "Net 30, but only after the client's board has signed off",
            RateCard =
            [
                new TenantRateInput { Role = "senior", Rate = -150m, Currency = "GBP" },
                new TenantRateInput { Rate = 95m, Currency = "GBP" },
                new TenantRateInput { Role = "junior", Rate = 95m },
                new TenantRateInput { Role = "Senior", Rate = 140m, Currency = "GBP" },
                new TenantRateInput { Role = "partner", Currency = "GBP" },
            ],
            HubSpotFields = new CrmFieldsInput { Terms = "Q2C Billing Terms", Model = "q2c_billing_parameters" },
            SalesforceFields = new CrmFieldsInput { Terms = "Q2C_Billing_Terms__c; DELETE" },
        });

        var problem = Assert.IsType<ValidationProblem>(result.Result);
        Assert.Equal(
            ["hubSpotFields", "hubSpotFields.terms", "model", "paymentTerms", "period", "rateCard[0].rate", "rateCard[1].role", "rateCard[2].currency", "rateCard[3]",
             "rateCard[4].rate", "salesforceFields.terms"],
            problem.ProblemDetails.Errors.Keys.Order(StringComparer.Ordinal));
        var view = await GetAsync();
        Assert.Equal((BillingModel.TimeAndMaterials, "Net 30", 3), (view.Model, view.PaymentTerms, view.RateCard.Count));
    }

    [Fact]
    public async Task The_defaults_apply_to_the_next_deal()
    {
        await _harness.PutBillingDefaultsAsync(new BillingDefaultsRequest { Model = "Milestones", PaymentTerms = "Net 45" });

        await _harness.IngestAsync(ErpRollout("D-DEF", new BillingTermsInput { Milestones = [new MilestoneInput { Id = "all", Name = "Delivery", Percent = 100m }] }));

        var won = Assert.Single(_harness.Published<Contracts.CrmIngest.DealWon>());
        Assert.Equal((BillingModel.Milestones, "Net 45"), (won.Billing!.Model, won.PaymentTerms));
    }
}
