using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>
/// The company's closing date: shown in Preferences as AccountingInfoPrefs.BookCloseDate, and every write to a
/// transaction dated on or before it answered with QBO's 6210 "Account Period Closed" fault.
/// </summary>
public sealed class ClosedBooksTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task CloseBooksAsync(QboCompany company, string? closingDate)
    {
        using var response = await company.Http.PutAsJsonAsync($"/_sandbox/realms/{company.RealmId}/closing-date", new { closingDate }, Cancel);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    private static void AssertPeriodClosed(QboResponse response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("6210", response.FaultCode);
        Assert.Equal("Account Period Closed, Cannot Update Through Services API", response.Fault!["Error"]![0]!["Message"]!.GetValue<string>());
        Assert.Contains("account period has closed", response.FaultDetail);
    }

    [Fact]
    public async Task The_closing_date_shows_in_preferences_and_reopening_removes_it()
    {
        var company = await sandbox.CompanyAsync();
        var before = (await company.GetAsync("preferences")).Entity("Preferences");

        await CloseBooksAsync(company, "2026-01-31");
        var closed = (await company.GetAsync("preferences")).Entity("Preferences");
        await CloseBooksAsync(company, null);
        var reopened = (await company.GetAsync("preferences")).Entity("Preferences");

        Assert.Null(before["AccountingInfoPrefs"]!["BookCloseDate"]);
        Assert.Equal("2026-01-31", closed["AccountingInfoPrefs"]!["BookCloseDate"]!.GetValue<string>());
        Assert.Equal(int.Parse(before["SyncToken"]!.GetValue<string>()) + 1, int.Parse(closed["SyncToken"]!.GetValue<string>()));
        Assert.Null(reopened["AccountingInfoPrefs"]!["BookCloseDate"]);
        Assert.True(reopened["AccountingInfoPrefs"]!["ClassTrackingPerTxn"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_transaction_dated_on_or_before_the_closing_date_is_refused_and_the_day_after_is_open()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        await CloseBooksAsync(company, "2026-01-31");

        var onTheDay = await company.PostAsync("invoice", Invoice(customerId, "2026-01-31"));
        var before = await company.PostAsync("invoice", Invoice(customerId, "2025-12-15"));
        var payment = await company.PostAsync("payment", new { CustomerRef = new { value = customerId }, TotalAmt = 10, TxnDate = "2026-01-10" });
        var dayAfter = await company.PostAsync("invoice", Invoice(customerId, "2026-02-01"));

        AssertPeriodClosed(onTheDay);
        AssertPeriodClosed(before);
        AssertPeriodClosed(payment);
        Assert.Equal("2026-02-01", dayAfter.Entity("Invoice")["TxnDate"]!.GetValue<string>());
        Assert.Equal("1001", dayAfter.Entity("Invoice")["DocNumber"]!.GetValue<string>()); // the refused ones used no number
        Assert.Single(await Control.EntitiesAsync(company.Http, company.RealmId, "Invoice"));
    }

    [Fact]
    public async Task A_transaction_in_the_closed_period_cannot_be_changed_voided_or_deleted_but_a_payment_after_it_still_applies()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoice = await company.InvoiceAsync(customerId, hours: 2m, extra: new { TxnDate = "2026-01-20" });
        var id = invoice["Id"]!.GetValue<string>();
        await CloseBooksAsync(company, "2026-01-31");

        var update = await company.PostAsync("invoice", new { Id = id, SyncToken = "0", sparse = true, PrivateNote = "late change" });
        var moveOut = await company.PostAsync("invoice", new { Id = id, SyncToken = "0", sparse = true, TxnDate = "2026-02-02" });
        var voided = await company.PostAsync("invoice?operation=void", new { Id = id, SyncToken = "0" });
        var deleted = await company.PostAsync("invoice?operation=delete", new { Id = id, SyncToken = "0" });
        var payment = await company.PostAsync("payment", new
        {
            CustomerRef = new { value = customerId }, TotalAmt = 100, TxnDate = "2026-02-05",
            Line = new[] { new { Amount = 100, LinkedTxn = new[] { new { TxnId = id, TxnType = "Invoice" } } } },
        });

        AssertPeriodClosed(update);
        AssertPeriodClosed(moveOut);
        AssertPeriodClosed(voided);
        AssertPeriodClosed(deleted);
        payment.Entity("Payment");
        var after = await company.ReadAsync("Invoice", id);
        Assert.Equal((200m, "2026-01-20"), (after["Balance"]!.GetValue<decimal>(), after["TxnDate"]!.GetValue<string>()));
        Assert.Null(after["PrivateNote"]);
    }

    [Fact]
    public async Task Inside_a_batch_only_the_item_in_the_closed_period_faults()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        await CloseBooksAsync(company, "2026-01-31");

        var response = await company.PostAsync("batch", new JsonObject
        {
            ["BatchItemRequest"] = new JsonArray(
                new JsonObject { ["bId"] = "closed", ["operation"] = "create", ["Invoice"] = JsonNode.Parse(Invoice(customerId, "2026-01-05")) },
                new JsonObject { ["bId"] = "open", ["operation"] = "create", ["Invoice"] = JsonNode.Parse(Invoice(customerId, "2026-02-05")) }),
        }.ToJsonString());

        var items = response.Json["BatchItemResponse"]!.AsArray();
        Assert.Equal("6210", items.Single(i => i!["bId"]!.GetValue<string>() == "closed")!["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("2026-02-05", items.Single(i => i!["bId"]!.GetValue<string>() == "open")!["Invoice"]!["TxnDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_control_api_wants_a_date_or_null_and_a_known_realm()
    {
        var company = await sandbox.CompanyAsync();

        using var badDate = await company.Http.PutAsJsonAsync($"/_sandbox/realms/{company.RealmId}/closing-date", new { closingDate = "31/01/2026" }, Cancel);
        using var noBody = await company.Http.PutAsJsonAsync($"/_sandbox/realms/{company.RealmId}/closing-date", new { }, Cancel);
        using var unknown = await company.Http.PutAsJsonAsync("/_sandbox/realms/1/closing-date", new { closingDate = "2026-01-31" }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", badDate.Content.Headers.ContentType?.MediaType);
    }

    private static string Invoice(string customerId, string txnDate) => new JsonObject
    {
        ["CustomerRef"] = new JsonObject { ["value"] = customerId },
        ["TxnDate"] = txnDate,
        ["Line"] = new JsonArray(QboCompany.SalesLine(150m, "3", 1m, 150m)),
    }.ToJsonString();
}
