using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>Payments applied through LinkedTxn move invoice, credit memo and customer balances.</summary>
public sealed class PaymentTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private static string Payment(string customerId, decimal total, params (string TxnId, string TxnType, decimal Amount)[] lines) => new JsonObject
    {
        ["CustomerRef"] = new JsonObject { ["value"] = customerId },
        ["TotalAmt"] = total,
        ["Line"] = new JsonArray(lines.Select(l => (JsonNode)new JsonObject
        {
            ["Amount"] = l.Amount,
            ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = l.TxnId, ["TxnType"] = l.TxnType }),
        }).ToArray()),
    }.ToJsonString();

    [Fact]
    public async Task A_linked_payment_reduces_the_invoice_balance_and_the_customer_balance()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoice = await company.InvoiceAsync(customerId, hours: 4m);
        var invoiceId = invoice["Id"]!.GetValue<string>();
        Assert.Equal(600m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());

        var payment = (await company.PostAsync("payment", Payment(customerId, 250m, (invoiceId, "Invoice", 250m)))).Entity("Payment");

        Assert.Equal(0m, payment["UnappliedAmt"]!.GetValue<decimal>());
        var after = await company.ReadAsync("Invoice", invoiceId);
        Assert.Equal(350m, after["Balance"]!.GetValue<decimal>());
        Assert.Equal(600m, after["TotalAmt"]!.GetValue<decimal>());
        Assert.Equal("1", after["SyncToken"]!.GetValue<string>());
        var link = Assert.Single(after["LinkedTxn"]!.AsArray());
        Assert.Equal(payment["Id"]!.GetValue<string>(), link!["TxnId"]!.GetValue<string>());
        Assert.Equal("Payment", link["TxnType"]!.GetValue<string>());
        Assert.Equal(350m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());

        var open = await company.QueryListAsync("select * from Invoice where Balance > '0'", "Invoice");
        Assert.Contains(open, i => i!["Id"]!.GetValue<string>() == invoiceId);
    }

    [Fact]
    public async Task Paying_in_full_brings_the_balance_to_zero_and_an_unapplied_rest_stays_on_the_payment()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoiceId = (await company.InvoiceAsync(customerId, hours: 1m))["Id"]!.GetValue<string>();

        var payment = (await company.PostAsync("payment", Payment(customerId, 200m, (invoiceId, "Invoice", 150m)))).Entity("Payment");

        Assert.Equal(50m, payment["UnappliedAmt"]!.GetValue<decimal>());
        Assert.Equal(0m, (await company.ReadAsync("Invoice", invoiceId))["Balance"]!.GetValue<decimal>());
        Assert.Equal(-50m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Applying_more_than_the_open_balance_or_the_payment_amount_is_6000()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoiceId = (await company.InvoiceAsync(customerId, hours: 1m))["Id"]!.GetValue<string>();

        var overBalance = await company.PostAsync("payment", Payment(customerId, 500m, (invoiceId, "Invoice", 151m)));
        var overPayment = await company.PostAsync("payment", Payment(customerId, 100m, (invoiceId, "Invoice", 150m)));

        Assert.Equal("6000", overBalance.FaultCode);
        Assert.Equal("6000", overPayment.FaultCode);
        Assert.Equal(150m, (await company.ReadAsync("Invoice", invoiceId))["Balance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_payment_needs_an_amount_a_customer_and_existing_linked_transactions()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();

        Assert.Equal("2020", (await company.PostAsync("payment", new { CustomerRef = new { value = customerId } })).FaultCode);
        Assert.Equal("2020", (await company.PostAsync("payment", new { TotalAmt = 10 })).FaultCode);
        Assert.Equal("2500", (await company.PostAsync("payment", Payment(customerId, 10m, ("424242", "Invoice", 10m)))).FaultCode);
    }

    [Fact]
    public async Task Deleting_or_voiding_a_payment_restores_the_invoice_balance()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoiceId = (await company.InvoiceAsync(customerId, hours: 2m))["Id"]!.GetValue<string>();
        var first = (await company.PostAsync("payment", Payment(customerId, 100m, (invoiceId, "Invoice", 100m)))).Entity("Payment");
        var second = (await company.PostAsync("payment", Payment(customerId, 50m, (invoiceId, "Invoice", 50m)))).Entity("Payment");
        Assert.Equal(150m, (await company.ReadAsync("Invoice", invoiceId))["Balance"]!.GetValue<decimal>());

        (await company.PostAsync("payment?operation=delete", new { Id = first["Id"]!.GetValue<string>(), SyncToken = "0" })).Entity("Payment");
        Assert.Equal(250m, (await company.ReadAsync("Invoice", invoiceId))["Balance"]!.GetValue<decimal>());

        var voided = (await company.PostAsync("payment?operation=update&include=void", new { Id = second["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true })).Entity("Payment");
        Assert.Equal(0m, voided["TotalAmt"]!.GetValue<decimal>());
        var invoice = await company.ReadAsync("Invoice", invoiceId);
        Assert.Equal(300m, invoice["Balance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_paid_invoice_cannot_be_deleted_or_voided()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoice = await company.InvoiceAsync(customerId, hours: 1m);
        var invoiceId = invoice["Id"]!.GetValue<string>();
        (await company.PostAsync("payment", Payment(customerId, 150m, (invoiceId, "Invoice", 150m)))).Entity("Payment");

        Assert.Equal("6000", (await company.PostAsync("invoice?operation=delete", new { Id = invoiceId, SyncToken = "1" })).FaultCode);
        Assert.Equal("6000", (await company.PostAsync("invoice?operation=void", new { Id = invoiceId, SyncToken = "1" })).FaultCode);
    }

    [Fact]
    public async Task A_credit_memo_is_applied_to_an_invoice_through_a_payment()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoiceId = (await company.InvoiceAsync(customerId, hours: 2m))["Id"]!.GetValue<string>();
        var memo = await company.CreateAsync("CreditMemo", new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customerId },
            ["Line"] = new JsonArray(QboCompany.SalesLine(100m, "3")),
        }.ToJsonString());
        Assert.Equal(100m, memo["RemainingCredit"]!.GetValue<decimal>());
        Assert.Equal(200m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());

        var payment = (await company.PostAsync("payment", Payment(customerId, 0m,
            (invoiceId, "Invoice", 100m), (memo["Id"]!.GetValue<string>(), "CreditMemo", 100m)))).Entity("Payment");

        Assert.Equal(0m, payment["UnappliedAmt"]!.GetValue<decimal>());
        Assert.Equal(200m, (await company.ReadAsync("Invoice", invoiceId))["Balance"]!.GetValue<decimal>());
        Assert.Equal(0m, (await company.ReadAsync("CreditMemo", memo["Id"]!.GetValue<string>()))["RemainingCredit"]!.GetValue<decimal>());
        Assert.Equal(200m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task An_invoice_update_below_what_was_paid_is_refused()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoiceId = (await company.InvoiceAsync(customerId, hours: 2m))["Id"]!.GetValue<string>();
        (await company.PostAsync("payment", Payment(customerId, 200m, (invoiceId, "Invoice", 200m)))).Entity("Payment");

        var response = await company.PostAsync("invoice?operation=update", new JsonObject
        {
            ["Id"] = invoiceId,
            ["SyncToken"] = "1",
            ["sparse"] = true,
            ["Line"] = new JsonArray(QboCompany.SalesLine(150m, "3", 1m, 150m)),
        }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("6000", response.FaultCode);
    }

    [Fact]
    public async Task An_overpayment_stays_on_the_payment_as_unapplied_credit_until_it_is_applied_to_a_later_invoice()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var first = (await company.InvoiceAsync(customerId, hours: 1m))["Id"]!.GetValue<string>();
        var payment = (await company.PostAsync("payment", Payment(customerId, 400m, (first, "Invoice", 150m)))).Entity("Payment");
        var advance = (await company.PostAsync("payment", new { CustomerRef = new { value = customerId }, TotalAmt = 75m })).Entity("Payment");
        Assert.Equal((250m, 75m), (payment["UnappliedAmt"]!.GetValue<decimal>(), advance["UnappliedAmt"]!.GetValue<decimal>()));
        Assert.Equal(-325m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());
        var second = (await company.InvoiceAsync(customerId, hours: 2m))["Id"]!.GetValue<string>();

        var reapplied = (await company.PostAsync("payment", new JsonObject
        {
            ["Id"] = payment["Id"]!.GetValue<string>(),
            ["SyncToken"] = payment["SyncToken"]!.GetValue<string>(),
            ["sparse"] = true,
            ["Line"] = JsonNode.Parse(Payment(customerId, 400m, (first, "Invoice", 150m), (second, "Invoice", 250m)))!["Line"]!.DeepClone(),
        }.ToJsonString())).Entity("Payment");

        Assert.Equal((0m, 400m), (reapplied["UnappliedAmt"]!.GetValue<decimal>(), reapplied["TotalAmt"]!.GetValue<decimal>()));
        Assert.Equal(50m, (await company.ReadAsync("Invoice", second))["Balance"]!.GetValue<decimal>());
        Assert.Equal(-25m, (await company.ReadAsync("Customer", customerId))["Balance"]!.GetValue<decimal>());
        var unapplied = await company.QueryListAsync($"select * from Payment where CustomerRef = '{customerId}' and UnappliedAmt > '0'", "Payment");
        Assert.Equal([advance["Id"]!.GetValue<string>()], unapplied.Select(p => p!["Id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_payment_method_is_a_reference_to_the_payment_method_list()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var visa = (await company.QueryListAsync("select * from PaymentMethod where Name = 'Visa'", "PaymentMethod")).Single()!["Id"]!.GetValue<string>();

        var paid = (await company.PostAsync("payment", new { CustomerRef = new { value = customerId }, TotalAmt = 10m, PaymentMethodRef = new { value = visa } })).Entity("Payment");
        var unknown = await company.PostAsync("payment", new { CustomerRef = new { value = customerId }, TotalAmt = 10m, PaymentMethodRef = new { value = "999" } });

        Assert.Equal("Visa", paid["PaymentMethodRef"]!["name"]!.GetValue<string>());
        Assert.Equal("2500", unknown.FaultCode);
    }
}
