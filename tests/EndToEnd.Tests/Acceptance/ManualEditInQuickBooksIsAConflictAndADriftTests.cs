using System.Text.Json;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 7: someone edits, by hand in QuickBooks, an invoice the platform posted (its amount). The platform raises a
/// ManualEditConflict exception and never overwrites the edit; reconciliation run on demand reports the drift.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ManualEditInQuickBooksIsAConflictAndADriftTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_manual_edit_of_a_posted_invoice_raises_a_conflict_is_kept_and_reconciliation_reports_the_drift()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.NewTenant("acc-edit"), TenantCrm.None);
        await tenant.GenericDealAsync("E-1", new GenericCustomer("E-C1", "Fourth Coffee Roasters LLC", "3 Bean St", "ap@fourth-coffee.test"),
            [("Espresso machine install", 2m, 900m)]);
        var invoice = await Acceptance.SingleInvoiceAsync(tenant, "generic", "E-1");
        Assert.Equal(1_800m, invoice.GetProperty("TotalAmt").GetDecimal());
        var invoiceId = invoice.GetProperty("Id").GetString()!;
        var docNumber = invoice.GetProperty("DocNumber").GetString()!;

        // Finance lowers the amount by hand in QuickBooks.
        var line = invoice.GetProperty("Line").EnumerateArray().First(l => l.GetProperty("DetailType").GetString() == "SalesItemLineDetail");
        var item = line.GetProperty("SalesItemLineDetail").GetProperty("ItemRef").GetProperty("value").GetString();
        var edited = await tenant.Books.EditInvoiceAsync(invoice, new Dictionary<string, object?>
        {
            ["Line"] = new[]
            {
                new
                {
                    DetailType = "SalesItemLineDetail", Amount = 1_500m, Description = "Espresso machine install (goodwill)",
                    SalesItemLineDetail = new { ItemRef = new { value = item }, Qty = 2m, UnitPrice = 750m },
                },
            },
        });
        Assert.Equal(1_500m, edited.GetProperty("TotalAmt").GetDecimal());

        // Reconciliation on demand (a run in the background: 202 with the queued run) reports the drift.
        var started = await tenant.ApiAsync(HttpMethod.Post, $"/api/accounting/{tenant.Id}/reconciliation", new { });
        Assert.True(started.Ok, $"POST reconciliation: {(int)started.Status} {started.Text}");
        var runId = started.Json.GetProperty("runId").GetString();
        JsonElement run = default;
        Assert.True(await Eventually(async () =>
        {
            var answer = await tenant.ApiAsync(HttpMethod.Get, $"/api/accounting/{tenant.Id}/reconciliation/runs/{runId}");
            run = answer.Ok ? answer.Json : default;
            return run.ValueKind == JsonValueKind.Object && run.GetProperty("status").GetString() is "Completed" or "Failed";
        }, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1)), $"reconciliation run {runId} did not finish: {run}");
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var drift = run.GetProperty("drifts").EnumerateArray()
            .SingleOrDefault(d => d.GetProperty("accountingInvoiceId").GetString() == invoiceId && d.GetProperty("kind").GetString() == "TotalChanged");
        Assert.True(drift.ValueKind == JsonValueKind.Object, $"no TotalChanged drift for invoice {docNumber} in {run}");
        Assert.Equal((1_800m, 1_500m), (drift.GetProperty("expectedAmount").GetDecimal(), drift.GetProperty("actualAmount").GetDecimal()));
        Assert.Equal("generic:E-1", drift.GetProperty("dealRef").GetString());

        // The platform noticed the edit: a conflict for finance to decide, not something to write over.
        JsonElement conflict = default;
        Assert.True(await Eventually(async () =>
        {
            conflict = (await Acceptance.ExceptionsAsync(tenant, "?kind=ManualEditConflict"))
                .FirstOrDefault(e => e.GetRawText().Contains(invoiceId, StringComparison.Ordinal) || e.GetRawText().Contains(docNumber, StringComparison.Ordinal)
                    || e.GetRawText().Contains("deal:generic:E-1", StringComparison.Ordinal) || e.GetRawText().Contains("E-1", StringComparison.Ordinal));
            return conflict.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2)), $"no ManualEditConflict exception for invoice {docNumber} in GET /api/accounting/{tenant.Id}/exceptions");
        Assert.Equal("ManualEditConflict", conflict.GetProperty("kind").GetString(), ignoreCase: true);
        Assert.DoesNotContain("Exception", conflict.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The edit stands: the platform never wrote over it.
        var now = await tenant.Books.ReadAsync("Invoice", invoiceId);
        Assert.Equal(1_500m, now.GetProperty("TotalAmt").GetDecimal());
        Assert.Equal(edited.GetProperty("SyncToken").GetString(), now.GetProperty("SyncToken").GetString());
    }
}
