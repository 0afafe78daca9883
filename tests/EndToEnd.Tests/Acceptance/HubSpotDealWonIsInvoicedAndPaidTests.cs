using System.Text.Json;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 1, the HubSpot happy path: a company, a deal and its line items are created in HubSpot and the deal is
/// moved to closed-won; the invoice is in QuickBooks (found by its PrivateNote) with the right customer, lines and
/// total; a payment recorded for it in QuickBooks shows on the HubSpot deal as paid with nothing due.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HubSpotDealWonIsInvoicedAndPaidTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_deal_won_in_hubspot_is_invoiced_in_quickbooks_and_its_payment_shows_on_the_deal()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.NewTenant("acc-hs"), TenantCrm.HubSpot);
        var hubspot = tenant.HubSpot!;
        var consulting = tenant.Products.Single(p => p.Sku == "CONSULT-HOUR");
        var senior = tenant.Products.Single(p => p.Sku == "SENIOR-HOUR");

        var company = await hubspot.CreateCompanyAsync("Contoso Harbour Ltd");
        var dealId = await hubspot.DealAsync(company, "ap@contoso-harbour.test", "Contoso website", [(consulting, 10m), (senior, 4m)]);

        var invoice = await Acceptance.SingleInvoiceAsync(tenant, "hubspot", dealId);
        Assert.Equal(10m * 150m + 4m * 210m, invoice.GetProperty("TotalAmt").GetDecimal());
        Assert.Equal(
            [(consulting.ItemRef, 10m, 150m, 1_500m), (senior.ItemRef, 4m, 210m, 840m)],
            Acceptance.ItemLines(invoice));
        var customer = await tenant.Books.ReadAsync("Customer", invoice.GetProperty("CustomerRef").GetProperty("value").GetString()!);
        Assert.Contains("Contoso Harbour", customer.GetProperty("DisplayName").GetString(), StringComparison.Ordinal);
        Assert.Equal("ap@contoso-harbour.test", customer.GetProperty("PrimaryEmailAddr").GetProperty("Address").GetString());

        // Finance records the customer's payment in QuickBooks; the deal in HubSpot shows it.
        await tenant.Books.ReceivePaymentAsync(invoice, invoice.GetProperty("TotalAmt").GetDecimal());
        var deal = await Acceptance.HubSpotEventuallyAsync(hubspot, "deals", dealId, ["q2c_invoice_status", "q2c_balance_due", "q2c_invoice_number"],
            p => p.Text("q2c_invoice_status") == "Paid" && p.Number("q2c_balance_due") == 0m, "the payment never reached the HubSpot deal");
        Assert.Equal(invoice.GetProperty("DocNumber").GetString(), deal.Text("q2c_invoice_number"));
    }
}
