using System.Globalization;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.ServiceDefaults.Hosting;
using QuoteToCash.Testing.Platform;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 3 (standing): an invoice more than 30 days late makes the HubSpot company "Past due 30+" and the deal
/// "Overdue"; paying it in QuickBooks makes the company "Good" again and the deal "Paid". The invoice is posted on
/// today's clock; billing-rules is then restarted with its clock moved past the due date + 31 days (<c>Clock:Offset</c>,
/// allowed on the local run only), so the scheduler fires the due-date watches it armed at posting, as it would have on
/// that day. Billing-rules goes back to the machine's clock afterwards.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OverdueInvoiceFlipsTheAccountStandingTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_invoice_30_days_late_makes_the_company_past_due_and_paying_it_makes_it_good_again()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.NewTenant("acc-late"), TenantCrm.HubSpot);
        var hubspot = tenant.HubSpot!;
        var implementation = tenant.Products.Single(p => p.Sku == "IMPL-HOUR");
        var company = await hubspot.CreateCompanyAsync("Tailspin Toys Ltd");
        var dealId = await hubspot.DealAsync(company, "ap@tailspin-toys.test", "Tailspin rollout", [(implementation, 8m)]);
        var invoice = await Acceptance.SingleInvoiceAsync(tenant, "hubspot", dealId);
        var due = DateOnly.ParseExact(invoice.GetProperty("DueDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var lateBy = due.DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber + 33;

        var billing = platform.Service("billing-rules");
        try
        {
            billing.Environment["ASPNETCORE_ENVIRONMENT"] = "Local";
            billing.Environment[ServiceClock.OffsetKey.Replace(":", "__", StringComparison.Ordinal)] = TimeSpan.FromDays(lateBy).ToString("c", CultureInfo.InvariantCulture);
            await billing.RestartAsync(TimeSpan.FromSeconds(120));

            await Acceptance.HubSpotEventuallyAsync(hubspot, "deals", dealId, ["q2c_invoice_status"], p => p.Text("q2c_invoice_status") == "Overdue",
                "the invoice never showed as overdue on the deal");
            await Acceptance.HubSpotEventuallyAsync(hubspot, "companies", company, ["q2c_account_standing"], p => p.Text("q2c_account_standing") == "Past due 30+",
                "the company never became past due");

            await tenant.Books.ReceivePaymentAsync(invoice, invoice.GetProperty("TotalAmt").GetDecimal());

            await Acceptance.HubSpotEventuallyAsync(hubspot, "companies", company, ["q2c_account_standing"], p => p.Text("q2c_account_standing") == "Good",
                "paying the invoice never made the company good again");
            await Acceptance.HubSpotEventuallyAsync(hubspot, "deals", dealId, ["q2c_invoice_status", "q2c_balance_due"],
                p => p.Text("q2c_invoice_status") == "Paid" && p.Number("q2c_balance_due") == 0m, "the paid invoice never showed on the deal");
        }
        finally
        {
            billing.Environment.Remove("ASPNETCORE_ENVIRONMENT");
            billing.Environment.Remove(ServiceClock.OffsetKey.Replace(":", "__", StringComparison.Ordinal));
            await billing.RestartAsync(TimeSpan.FromSeconds(120));
        }
    }
}
