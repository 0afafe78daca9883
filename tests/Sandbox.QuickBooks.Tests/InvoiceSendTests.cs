using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>
/// POST /invoice/{id}/send[?sendTo=]: QuickBooks e-mails the invoice to its BillEmail, or to sendTo (which becomes the
/// BillEmail), marks it EmailSent and stamps DeliveryInfo. Without an address it refuses. Every send is another e-mail
/// unless a requestid replays the first; fault injection applies as to any write.
/// </summary>
public sealed class InvoiceSendTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    /// <summary>The call as Intuit documents it: an empty application/octet-stream body.</summary>
    private static Task<QboResponse> SendAsync(QboCompany company, string invoiceId, string? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, company.Path($"invoice/{invoiceId}/send?minorversion=75{query}"))
        {
            Content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        return company.SendAsync(request);
    }

    private static async Task<JsonArray> EmailsAsync(QboCompany company)
    {
        var text = await company.Http.GetStringAsync($"/_sandbox/realms/{company.RealmId}/emails", TestContext.Current.CancellationToken);
        return JsonNode.Parse(text)!.AsArray();
    }

    [Fact]
    public async Task Sending_to_the_invoices_bill_email_marks_it_sent_with_the_delivery_time()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoice = await company.InvoiceAsync(customerId, extra: new { BillEmail = new { Address = "ap@contoso.test" } });
        var id = invoice["Id"]!.GetValue<string>();
        Assert.Equal("NotSet", invoice["EmailStatus"]!.GetValue<string>());

        var sent = (await SendAsync(company, id)).Entity("Invoice");

        Assert.Equal(("EmailSent", "Email", "1"), (sent["EmailStatus"]!.GetValue<string>(), sent["DeliveryInfo"]!["DeliveryType"]!.GetValue<string>(),
            sent["SyncToken"]!.GetValue<string>()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", sent["DeliveryInfo"]!["DeliveryTime"]!.GetValue<string>());
        Assert.Equal("EmailSent", (await company.ReadAsync("Invoice", id))["EmailStatus"]!.GetValue<string>());
        var email = Assert.Single(await EmailsAsync(company));
        Assert.Equal((id, "ap@contoso.test", invoice["DocNumber"]!.GetValue<string>()),
            (email!["id"]!.GetValue<string>(), email["to"]!.GetValue<string>(), email["docNumber"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SendTo_becomes_the_bill_email_and_an_invalid_one_is_refused()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var id = (await company.InvoiceAsync(customerId, extra: new { BillEmail = new { Address = "old@contoso.test" } }))["Id"]!.GetValue<string>();

        var invalid = await SendAsync(company, id, "&sendTo=" + Uri.EscapeDataString("not an address"));
        var sent = (await SendAsync(company, id, "&sendTo=" + Uri.EscapeDataString("billing@contoso.test"))).Entity("Invoice");

        Assert.Equal((HttpStatusCode.BadRequest, "6000"), (invalid.Status, invalid.FaultCode));
        Assert.Equal("billing@contoso.test", sent["BillEmail"]!["Address"]!.GetValue<string>());
        Assert.Equal("billing@contoso.test", Assert.Single(await EmailsAsync(company))!["to"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_any_address_the_send_is_refused_and_nothing_changes()
    {
        var company = await sandbox.CompanyAsync();
        // The customer's own e-mail does not make it onto the invoice: only BillEmail or sendTo counts.
        var customerId = (await company.CreateAsync("Customer", new { DisplayName = "No Mail " + Guid.NewGuid().ToString("N")[..6], PrimaryEmailAddr = new { Address = "ap@nomail.test" } }))["Id"]!.GetValue<string>();
        var id = (await company.InvoiceAsync(customerId))["Id"]!.GetValue<string>();

        var refused = await SendAsync(company, id);
        var missing = await SendAsync(company, "999999", "&sendTo=ap@contoso.test");

        Assert.Equal((HttpStatusCode.BadRequest, "6000", "BillEmail"), (refused.Status, refused.FaultCode, refused.Fault!["Error"]![0]!["element"]!.GetValue<string>()));
        Assert.Contains("email address is required", refused.FaultDetail);
        Assert.Equal("610", missing.FaultCode);
        var invoice = await company.ReadAsync("Invoice", id);
        Assert.Equal(("NotSet", "0"), (invoice["EmailStatus"]!.GetValue<string>(), invoice["SyncToken"]!.GetValue<string>()));
        Assert.Empty(await EmailsAsync(company));
    }

    [Fact]
    public async Task Each_send_is_another_email_unless_a_requestid_replays_the_first()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var id = (await company.InvoiceAsync(customerId, extra: new { BillEmail = new { Address = "ap@contoso.test" } }))["Id"]!.GetValue<string>();
        var requestId = Guid.NewGuid().ToString("N");

        var first = await SendAsync(company, id, "&requestid=" + requestId);
        var replay = await SendAsync(company, id, "&requestid=" + requestId);
        Assert.Single(await EmailsAsync(company));
        var resend = (await SendAsync(company, id)).Entity("Invoice");

        Assert.Equal(first.Text, replay.Text);
        Assert.Equal("2", resend["SyncToken"]!.GetValue<string>());
        Assert.Equal(2, (await EmailsAsync(company)).Count);
    }

    [Fact]
    public async Task Fault_injection_applies_to_sends_and_a_dropped_send_is_replayed_by_its_requestid()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var id = (await company.InvoiceAsync(customerId, extra: new { BillEmail = new { Address = "ap@contoso.test" } }))["Id"]!.GetValue<string>();
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, errorRate = 1.0, errorStatus = 503, count = 1 });

        var unavailable = await SendAsync(company, id);
        Assert.Empty(await EmailsAsync(company));
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, dropConnectionAfterCommitRate = 1.0, count = 1 });
        var requestId = Guid.NewGuid().ToString("N");
        var dropped = await Record.ExceptionAsync(() => SendAsync(company, id, "&requestid=" + requestId));
        var retried = (await SendAsync(company, id, "&requestid=" + requestId)).Entity("Invoice");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "10000"), (unavailable.Status, unavailable.FaultCode));
        Assert.NotNull(dropped);
        Assert.Equal("EmailSent", retried["EmailStatus"]!.GetValue<string>());
        Assert.Single(await EmailsAsync(company));
    }

    [Fact]
    public async Task A_send_is_announced_as_emailed_and_needs_a_token()
    {
        await using var listener = await HttpReceiver.StartAsync("/webhooks/quickbooks");
        var company = await sandbox.CompanyAsync(listener.Url);
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var id = (await company.InvoiceAsync(customerId, extra: new { BillEmail = new { Address = "ap@contoso.test" } }))["Id"]!.GetValue<string>();

        var anonymous = await company.SendAsync(new HttpRequestMessage(HttpMethod.Post, company.Path($"invoice/{id}/send")), token: "not-a-token");
        (await SendAsync(company, id)).Entity("Invoice");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.True(await Eventually(() => listener.Requests
            .SelectMany(r => JsonNode.Parse(r.Body)!["eventNotifications"]!.AsArray().SelectMany(n => n!["dataChangeEvent"]!["entities"]!.AsArray()))
            .Any(e => e!["name"]!.GetValue<string>() == "Invoice" && e["id"]!.GetValue<string>() == id && e["operation"]!.GetValue<string>() == "Emailed"),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(25)), "no Emailed webhook for the invoice");
        Assert.Single(await EmailsAsync(company));
    }
}
