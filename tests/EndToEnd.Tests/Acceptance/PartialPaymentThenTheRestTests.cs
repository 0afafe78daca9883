using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 3 (payments): a customer pays part of a posted invoice in QuickBooks, then the rest. The HubSpot deal shows
/// "Partially paid" with what is still due, then "Paid" with nothing due and the paid date.
/// </summary>
/// The overdue half of the scenario is <see cref="OverdueInvoiceFlipsTheAccountStandingTests"/>.
[Collection(PlatformCollection.Name)]
public sealed class PartialPaymentThenTheRestTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_partial_payment_then_the_rest_show_on_the_hubspot_deal_as_partially_paid_then_paid()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.NewTenant("acc-part"), TenantCrm.HubSpot);
        var hubspot = tenant.HubSpot!;
        var implementation = tenant.Products.Single(p => p.Sku == "IMPL-HOUR");
        var company = await hubspot.CreateCompanyAsync("Wide World Importers Ltd");
        var dealId = await hubspot.DealAsync(company, "ap@wide-world-importers.test", "Importers ERP", [(implementation, 20m)]);
        var invoice = await Acceptance.SingleInvoiceAsync(tenant, "hubspot", dealId);
        Assert.Equal(3_500m, invoice.GetProperty("TotalAmt").GetDecimal());

        await tenant.Books.ReceivePaymentAsync(invoice, 1_400m);
        await Acceptance.HubSpotEventuallyAsync(hubspot, "deals", dealId, ["q2c_invoice_status", "q2c_balance_due"],
            p => p.Text("q2c_invoice_status") == "Partially paid" && p.Number("q2c_balance_due") == 2_100m, "the partial payment never reached the HubSpot deal");
        Assert.Equal(2_100m, (await tenant.Books.ReadAsync("Invoice", invoice.GetProperty("Id").GetString()!)).GetProperty("Balance").GetDecimal());

        await tenant.Books.ReceivePaymentAsync(invoice, 2_100m);
        var paid = await Acceptance.HubSpotEventuallyAsync(hubspot, "deals", dealId, ["q2c_invoice_status", "q2c_balance_due", "q2c_paid_date"],
            p => p.Text("q2c_invoice_status") == "Paid" && p.Number("q2c_balance_due") == 0m, "the second payment never marked the HubSpot deal paid");
        Assert.False(string.IsNullOrEmpty(paid.Text("q2c_paid_date")), "the paid deal has no q2c_paid_date");
    }
}
