using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 2, the same on Salesforce: an opportunity moved to Closed Won reaches the platform as an Outbound
/// Message; its invoice is in QuickBooks with the right customer and total; a payment recorded in QuickBooks shows on the
/// opportunity as paid with nothing due.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SalesforceOpportunityWonIsInvoicedAndPaidTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_opportunity_won_in_salesforce_arrives_as_an_outbound_message_is_invoiced_and_its_payment_is_recorded()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.NewTenant("acc-sf"), TenantCrm.Salesforce);
        var opportunityId = await tenant.Salesforce!.WonOpportunityAsync("Northwind Freight", "ap@northwind-freight.test", "Northwind rollout", 12_400m);

        // The Outbound Message was delivered through the gateway and produced the deal.
        Assert.True(await Eventually(async () =>
        {
            var deliveries = await tenant.ApiAsync(HttpMethod.Get, $"/api/crm/{tenant.Id}/deliveries?limit=100");
            return deliveries.Ok && deliveries.Json.EnumerateArray().Any(d => d.GetProperty("source").GetString()!.Contains("salesforce", StringComparison.OrdinalIgnoreCase)
                && d.GetProperty("produced").GetArrayLength() > 0);
        }, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)), "no Salesforce Outbound Message delivery produced a deal");

        var invoice = await Acceptance.SingleInvoiceAsync(tenant, "salesforce", opportunityId);
        Assert.Equal(12_400m, invoice.GetProperty("TotalAmt").GetDecimal());
        var customer = await tenant.Books.ReadAsync("Customer", invoice.GetProperty("CustomerRef").GetProperty("value").GetString()!);
        Assert.Contains("Northwind Freight", customer.GetProperty("DisplayName").GetString(), StringComparison.Ordinal);

        // Finance records the payment in QuickBooks; the opportunity in Salesforce shows it (crm-ingest's write-back).
        await tenant.Books.ReceivePaymentAsync(invoice, 12_400m);
        System.Text.Json.JsonElement opportunity = default;
        Assert.True(await Eventually(async () =>
        {
            opportunity = await tenant.Salesforce.CallAsync(HttpMethod.Get, $"sobjects/Opportunity/{opportunityId}");
            return opportunity.TryGetProperty("Q2C_Invoice_Status__c", out var status) && status.ValueKind == System.Text.Json.JsonValueKind.String
                && status.GetString() == "Paid"
                && opportunity.TryGetProperty("Q2C_Balance_Due__c", out var balance) && balance.ValueKind == System.Text.Json.JsonValueKind.Number && balance.GetDecimal() == 0m;
        }, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1)), $"the payment never reached the Salesforce opportunity: {opportunity}");
        Assert.Equal(invoice.GetProperty("DocNumber").GetString(), opportunity.GetProperty("Q2C_Invoice_Number__c").GetString());
    }
}
