using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;
using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>
/// RefundReceipt: money paid back to a customer from a bank (or other current asset) account. Sales-form lines and line
/// math, its own numbering, no open balance and no effect on the customer's A/R balance; CDC and webhooks as for the
/// other transactions. Payment methods are the name list its PaymentMethodRef points at.
/// </summary>
public sealed class RefundReceiptTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private const string CheckingAccountId = "1";
    private const string UndepositedFundsId = "3";
    private const string ServicesIncomeAccountId = "14";

    private static async Task<string> PaymentMethodIdAsync(QboCompany company, string name)
        => (await company.QueryListAsync($"select * from PaymentMethod where Name = '{name}'", "PaymentMethod")).Single()!["Id"]!.GetValue<string>();

    private static JsonObject Refund(string? customerId, string accountId, decimal amount = 300m, object? extra = null)
    {
        var refund = new JsonObject
        {
            ["DepositToAccountRef"] = new JsonObject { ["value"] = accountId },
            ["Line"] = new JsonArray(QboCompany.SalesLine(amount, "3", amount / 150m, 150m)),
        };
        if (customerId is not null)
            refund["CustomerRef"] = new JsonObject { ["value"] = customerId };
        if (extra is not null)
        {
            foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
                refund[key] = value?.DeepClone();
        }
        return refund;
    }

    [Fact]
    public async Task A_refund_from_the_bank_is_totalled_numbered_left_to_print_and_leaves_the_customer_balance_alone()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        await company.InvoiceAsync(customerId, hours: 4m);
        var checkId = await PaymentMethodIdAsync(company, "Check");

        var refund = await company.CreateAsync("RefundReceipt", Refund(customerId, CheckingAccountId, extra: new
        {
            PaymentMethodRef = new { value = checkId },
            PrivateNote = "Workshop cancelled",
            CustomerMemo = new { value = "Refund for the cancelled workshop" },
        }).ToJsonString());

        Assert.Equal(("300", "0", "1001", "NeedToPrint", "To Print"),
            (refund["TotalAmt"]!.ToJsonString(), refund["Balance"]!.ToJsonString(), refund["DocNumber"]!.GetValue<string>(),
             refund["PrintStatus"]!.GetValue<string>(), refund["PaymentRefNum"]!.GetValue<string>()));
        Assert.Equal(("Checking", "Check"), (refund["DepositToAccountRef"]!["name"]!.GetValue<string>(), refund["PaymentMethodRef"]!["name"]!.GetValue<string>()));
        Assert.Equal("SubTotalLineDetail", refund["Line"]!.AsArray().Last()!["DetailType"]!.GetValue<string>());
        Assert.Equal("Refund for the cancelled workshop", refund["CustomerMemo"]!["value"]!.GetValue<string>());
        Assert.Equal(600m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());
        var found = Assert.Single(await company.QueryListAsync($"select * from RefundReceipt where CustomerRef = '{customerId}'", "RefundReceipt"));
        Assert.Equal(refund["Id"]!.GetValue<string>(), found!["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refund_from_undeposited_funds_has_nothing_to_print_and_needs_no_customer()
    {
        var company = await sandbox.CompanyAsync();

        var refund = await company.CreateAsync("RefundReceipt", Refund(null, UndepositedFundsId, 150m).ToJsonString());

        Assert.Equal(("NotSet", null), (refund["PrintStatus"]!.GetValue<string>(), refund["PaymentRefNum"]));
        Assert.Null(refund["CustomerRef"]);
    }

    [Fact]
    public async Task A_refund_needs_an_account_to_pay_from_of_the_right_type_lines_that_add_up_and_a_known_payment_method()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var noAccount = Refund(customerId, CheckingAccountId);
        noAccount.Remove("DepositToAccountRef");
        var badMath = Refund(customerId, CheckingAccountId);
        badMath["Line"]![0]!["Amount"] = 299m;

        var missingAccount = await company.PostAsync("refundreceipt", noAccount.ToJsonString());
        var incomeAccount = await company.PostAsync("refundreceipt", Refund(customerId, ServicesIncomeAccountId).ToJsonString());
        var lineMath = await company.PostAsync("refundreceipt", badMath.ToJsonString());
        var noLines = await company.PostAsync("refundreceipt", new { DepositToAccountRef = new { value = CheckingAccountId } });
        var unknownMethod = await company.PostAsync("refundreceipt", Refund(customerId, CheckingAccountId, extra: new { PaymentMethodRef = new { value = "999" } }).ToJsonString());
        var badPaymentType = await company.PostAsync("refundreceipt", Refund(customerId, CheckingAccountId, extra: new { PaymentType = "Barter" }).ToJsonString());

        Assert.Equal(("2020", "Required parameter DepositToAccountRef is missing in the request"), (missingAccount.FaultCode, missingAccount.FaultDetail));
        Assert.Equal(("6430", "Invalid account type: Income"), (incomeAccount.FaultCode, incomeAccount.FaultDetail));
        Assert.Equal("6000", lineMath.FaultCode);
        Assert.Equal("2020", noLines.FaultCode);
        Assert.Equal("2500", unknownMethod.FaultCode);
        Assert.Equal("2170", badPaymentType.FaultCode);
        Assert.Empty(await Control.EntitiesAsync(company.Http, company.RealmId, "RefundReceipt"));
    }

    [Fact]
    public async Task Refund_receipts_number_on_their_own_and_refuse_a_number_already_used_by_another_refund()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoice = await company.InvoiceAsync(customerId);

        var first = await company.CreateAsync("RefundReceipt", Refund(customerId, CheckingAccountId).ToJsonString());
        var named = await company.CreateAsync("RefundReceipt", Refund(customerId, CheckingAccountId, extra: new { DocNumber = "RF-7" }).ToJsonString());
        var duplicate = await company.PostAsync("refundreceipt", Refund(customerId, CheckingAccountId, extra: new { DocNumber = "RF-7" }).ToJsonString());

        Assert.Equal(("1001", "1001", "RF-7"), (invoice["DocNumber"]!.GetValue<string>(), first["DocNumber"]!.GetValue<string>(), named["DocNumber"]!.GetValue<string>()));
        Assert.Equal("6140", duplicate.FaultCode);
        Assert.Contains("DocNumber=RF-7 is assigned to TxnType=RefundReceipt", duplicate.FaultDetail);
    }

    [Fact]
    public async Task A_refund_receipt_can_be_deleted_but_not_voided_and_cdc_and_webhooks_report_it()
    {
        await using var listener = await HttpReceiver.StartAsync("/webhooks/quickbooks");
        var company = await sandbox.CompanyAsync(listener.Url, "cloudevents");
        var watermark = DateTimeOffset.UtcNow.AddSeconds(-2);
        var kept = await company.CreateAsync("RefundReceipt", Refund(null, CheckingAccountId).ToJsonString());
        var removed = await company.CreateAsync("RefundReceipt", Refund(null, CheckingAccountId).ToJsonString());

        var voided = await company.PostAsync("refundreceipt?operation=void", new { Id = kept["Id"]!.GetValue<string>(), SyncToken = "0" });
        var deleted = await company.PostAsync("refundreceipt?operation=delete", new { Id = removed["Id"]!.GetValue<string>(), SyncToken = "0" });
        var cdc = await company.GetAsync($"cdc?entities=RefundReceipt&changedSince={Uri.EscapeDataString(watermark.ToString("yyyy-MM-dd'T'HH:mm:sszzz"))}");

        Assert.Equal("500", voided.FaultCode);
        Assert.Equal("Deleted", deleted.Entity("RefundReceipt")["status"]!.GetValue<string>());
        var changes = cdc.Json["CDCResponse"]![0]!["QueryResponse"]![0]!["RefundReceipt"]!.AsArray();
        Assert.Equal([(kept["Id"]!.GetValue<string>(), (string?)null), (removed["Id"]!.GetValue<string>(), "Deleted")],
            changes.Select(c => (c!["Id"]!.GetValue<string>(), c["status"]?.GetValue<string>())));
        static IEnumerable<JsonNode?> Events(IEnumerable<ReceivedRequest> webhooks) => webhooks.SelectMany(w => w.Json.AsArray());
        var events = Events(await listener.WaitForAsync(r => Events(r).Count() >= 3, "three refund receipt events")).ToList();
        Assert.Equal(["qbo.refundreceipt.created.v1", "qbo.refundreceipt.created.v1", "qbo.refundreceipt.deleted.v1"],
            events.Select(e => e!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Payment_methods_are_seeded_and_their_names_are_unique()
    {
        var company = await sandbox.CompanyAsync();

        var seeded = await company.QueryListAsync("select * from PaymentMethod", "PaymentMethod");
        var created = await company.CreateAsync("PaymentMethod", new { Name = "Bank transfer" });
        var duplicate = await company.PostAsync("paymentmethod", new { Name = "visa" });

        Assert.Equal(["Cash", "Check", "Visa", "MasterCard", "Discover", "American Express", "Diners Club"], seeded.Select(m => m!["Name"]!.GetValue<string>()));
        Assert.Equal("CREDIT_CARD", seeded.Single(m => m!["Name"]!.GetValue<string>() == "Visa")!["Type"]!.GetValue<string>());
        Assert.Equal(("NON_CREDIT_CARD", true), (created["Type"]!.GetValue<string>(), created["Active"]!.GetValue<bool>()));
        Assert.Equal("6240", duplicate.FaultCode);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
    }
}
