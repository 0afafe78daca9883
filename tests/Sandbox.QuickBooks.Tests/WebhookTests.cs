using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;
using QuoteToCash.Sandbox.QuickBooks.Webhooks;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class WebhookTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    /// <summary>Where the apps' webhooks point in these tests, as for the platform's intake.</summary>
    private const string WebhookPath = "/webhooks/quickbooks";

    private static void AssertSigned(ReceivedRequest webhook, string verifierToken)
    {
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), Encoding.UTF8.GetBytes(webhook.Body)));
        Assert.Equal(expected, webhook.Header("intuit-signature"));
    }

    private static IEnumerable<JsonNode> LegacyEntities(ReceivedRequest webhook)
        => JsonNode.Parse(webhook.Body)!["eventNotifications"]!.AsArray()
            .SelectMany(n => n!["dataChangeEvent"]!["entities"]!.AsArray())!;

    [Fact]
    public async Task A_change_is_posted_in_the_legacy_format_signed_with_the_verifier_token()
    {
        await using var listener = await HttpReceiver.StartAsync(WebhookPath);
        var company = await sandbox.CompanyAsync(listener.Url, "legacy");

        var customer = await company.CustomerAsync();

        var webhook = (await listener.WaitForAsync(1))[0];
        AssertSigned(webhook, company.VerifierToken);
        Assert.Equal("application/json", webhook.Header("Content-Type").Split(';')[0]);
        var notification = JsonNode.Parse(webhook.Body)!["eventNotifications"]![0]!;
        Assert.Equal(company.RealmId, notification["realmId"]!.GetValue<string>());
        var entity = notification["dataChangeEvent"]!["entities"]![0]!;
        Assert.Equal("Customer", entity["name"]!.GetValue<string>());
        Assert.Equal(customer["Id"]!.GetValue<string>(), entity["id"]!.GetValue<string>());
        Assert.Equal("Create", entity["operation"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$", entity["lastUpdated"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_app_can_choose_cloudevents()
    {
        await using var listener = await HttpReceiver.StartAsync(WebhookPath);
        var company = await sandbox.CompanyAsync(listener.Url, "cloudevents");

        var customer = await company.CustomerAsync();

        var webhook = (await listener.WaitForAsync(1))[0];
        AssertSigned(webhook, company.VerifierToken);
        var cloudEvent = JsonNode.Parse(webhook.Body)!.AsArray()[0]!;
        Assert.Equal("1.0", cloudEvent["specversion"]!.GetValue<string>());
        Assert.Equal("qbo.customer.created.v1", cloudEvent["type"]!.GetValue<string>());
        Assert.Equal(customer["Id"]!.GetValue<string>(), cloudEvent["intuitentityid"]!.GetValue<string>());
        Assert.Equal(company.RealmId, cloudEvent["intuitaccountid"]!.GetValue<string>());
        Assert.True(Guid.TryParse(cloudEvent["id"]!.GetValue<string>(), out _));
    }

    [Fact]
    public async Task Every_change_is_announced_update_void_delete_and_the_invoice_a_payment_touches()
    {
        await using var listener = await HttpReceiver.StartAsync(WebhookPath);
        var company = await sandbox.CompanyAsync(listener.Url, "legacy");
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var invoice = await company.InvoiceAsync(customerId);
        var invoiceId = invoice["Id"]!.GetValue<string>();
        var other = await company.InvoiceAsync(customerId);
        (await company.PostAsync("payment", new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customerId },
            ["TotalAmt"] = 100,
            ["Line"] = new JsonArray(new JsonObject { ["Amount"] = 100, ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = invoiceId, ["TxnType"] = "Invoice" }) }),
        }.ToJsonString())).Entity("Payment");
        (await company.PostAsync("invoice?operation=void", new { Id = other["Id"]!.GetValue<string>(), SyncToken = "0" })).Entity("Invoice");
        var third = await company.InvoiceAsync(customerId);
        (await company.PostAsync("invoice?operation=delete", new { Id = third["Id"]!.GetValue<string>(), SyncToken = "0" })).Entity("Invoice");

        (string Entity, string? Id, string Operation)[] expected =
        [
            ("Customer", customerId, "Create"), ("Invoice", invoiceId, "Create"), ("Payment", null, "Create"),
            ("Invoice", invoiceId, "Update"), ("Invoice", other["Id"]!.GetValue<string>(), "Void"), ("Invoice", third["Id"]!.GetValue<string>(), "Delete"),
        ];
        List<(string, string, string)> seen = [];
        Assert.True(await Eventually(() =>
        {
            seen = listener.Requests.SelectMany(LegacyEntities)
                .Select(e => (e["name"]!.GetValue<string>(), e["id"]!.GetValue<string>(), e["operation"]!.GetValue<string>())).ToList();
            return expected.All(x => seen.Any(s => s.Item1 == x.Entity && (x.Id is null || s.Item2 == x.Id) && s.Item3 == x.Operation));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(25)), "Missing webhook events; seen: " + string.Join(", ", seen));
    }

    [Fact]
    public async Task A_delivery_is_retried_until_the_endpoint_answers_200()
    {
        await using var listener = await HttpReceiver.StartAsync(WebhookPath);
        // 204 is not an acknowledgement either: only 200 is.
        listener.Respond = n => n switch { 0 => (500, null), 1 => (204, null), _ => (200, (string?)null) };
        var company = await sandbox.CompanyAsync(listener.Url, "legacy");

        await company.CustomerAsync();

        var received = await listener.WaitForAsync(3);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.Equal(received[0].Body, received[2].Body);
        // The sandbox records an attempt once it has the answer, a moment after the receiver sent it.
        List<System.Text.Json.Nodes.JsonNode?> deliveries = [];
        Assert.True(await Eventually(async () =>
            (deliveries = (await Control.DeliveriesAsync(company.Http)).Where(d => d!["clientId"]!.GetValue<string>() == company.ClientId).ToList()).Count >= 3,
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(25)), "the sandbox did not record three attempts");
        Assert.Equal([1, 2, 3], deliveries.Select(d => d!["attempt"]!.GetValue<int>()));
        Assert.Equal([500, 204, 200], deliveries.Select(d => d!["status"]!.GetValue<int>()));
        Assert.Equal(listener.Url, deliveries[0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delivery_happens_in_the_background_and_never_holds_up_the_api()
    {
        await using var listener = await HttpReceiver.StartAsync(WebhookPath);
        var release = new TaskCompletionSource();
        listener.Gate = release.Task;
        var company = await sandbox.CompanyAsync(listener.Url, "legacy");

        // The endpoint holds the first delivery open; the API answers regardless.
        await company.CustomerAsync();
        await listener.WaitForAsync(1);
        var second = await company.CustomerAsync();
        Assert.Single(listener.Requests);

        release.SetResult();
        var webhooks = await listener.WaitForAsync(2);
        Assert.Contains(LegacyEntities(webhooks[1]), e => e["id"]!.GetValue<string>() == second["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_apps_connected_to_the_realm_hear_about_it()
    {
        await using var connected = await HttpReceiver.StartAsync(WebhookPath);
        await using var stranger = await HttpReceiver.StartAsync(WebhookPath);
        var company = await sandbox.CompanyAsync(connected.Url, "legacy");
        await Control.PostAsync(company.Http, "/_sandbox/apps", new { name = "stranger-" + Guid.NewGuid().ToString("N")[..6], webhookUrl = stranger.Url, webhookFormat = "legacy" });

        await company.CustomerAsync();

        await connected.WaitForAsync(1);
        Assert.Empty(stranger.Requests);
    }

    [Fact]
    public async Task The_webhook_url_and_format_can_be_changed()
    {
        await using var listener = await HttpReceiver.StartAsync(WebhookPath);
        var company = await sandbox.CompanyAsync(null, "legacy");
        using var put = await company.Http.PutAsync($"/_sandbox/apps/{company.ClientId}",
            new StringContent($$"""{"webhookUrl":"{{listener.Url}}","webhookFormat":"cloudevents"}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await company.CustomerAsync();

        var webhook = (await listener.WaitForAsync(1))[0];
        Assert.StartsWith("[", webhook.Body);
    }

    [Fact]
    public void The_retry_schedule_is_qbos_scaled()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), WebhookDispatcher.RetryDelay(1, 1.0));
        Assert.Equal(TimeSpan.FromMinutes(5), WebhookDispatcher.RetryDelay(4, 1.0));
        Assert.Equal(TimeSpan.FromHours(6), WebhookDispatcher.RetryDelay(8, 1.0));
        Assert.Equal(TimeSpan.FromHours(6), WebhookDispatcher.RetryDelay(20, 1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(20), WebhookDispatcher.RetryDelay(2, 0.001));
    }
}
