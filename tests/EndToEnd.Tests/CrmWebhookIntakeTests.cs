using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Security.Cryptography;
using QuoteToCash.EndToEnd.Tests.Infrastructure;

namespace QuoteToCash.EndToEnd.Tests;

/// <summary>CRM webhooks through the gateway into crm-ingest: authentication, storage, de-duplication, and the operator's deliveries view.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CrmWebhookIntakeTests(PlatformFixture platform)
{
    private const string Secret = "hubspot-app-secret-for-tests";
    private const string Organization = "00D5g000004XyZaEAK";

    /// <summary>Connects the tenant; returns the Salesforce Outbound Message URL (with its endpoint token) shown in the answer, if any.</summary>
    private async Task<string?> ConnectAsync(string tenant, object connection)
    {
        using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Put, $"/api/crm/{tenant}/connection", platform.AdminToken, connection),
            TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.DoesNotContain(Secret, text);
        return JsonDocument.Parse(text).RootElement.TryGetProperty("outboundMessageUrl", out var url) ? url.GetString() : null;
    }

    private Task ConnectHubSpotAsync(string tenant) => ConnectAsync(tenant, new
    {
        kind = "hubspot", baseUrl = "http://127.0.0.1:8092", accessToken = "pat-test", clientSecret = Secret, appId = "54321", portalId = "62515",
    });

    private static string Events(params long[] objectIds) => JsonSerializer.Serialize(objectIds.Select((id, i) => new
    {
        eventId = 1000 + i, subscriptionId = 777, portalId = 62515, appId = 54321, occurredAt = 1795000000000L + i, subscriptionType = "deal.propertyChange",
        attemptNumber = 0, objectId = id, propertyName = "dealstage", propertyValue = "closedwon", changeSource = "CRM",
    }));

    private HttpRequestMessage Signed(string tenant, string body, DateTimeOffset? at = null, string secret = Secret)
    {
        var path = $"/webhooks/hubspot/{tenant}";
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var uri = new Uri(platform.Gateway.BaseAddress, path).ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        // HubSpot v3: Base64 HMAC-SHA256 with the client secret over method + URI + body + timestamp.
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("POST" + uri + body + timestamp)));
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        return request;
    }

    private async Task<List<JsonElement>> DeliveriesAsync(string tenant, string? objectId = null)
    {
        using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Get,
            $"/api/crm/{tenant}/deliveries{(objectId is null ? "" : "?objectId=" + objectId)}", platform.AdminToken), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<JsonElement>>(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task A_signed_hubspot_batch_is_stored_and_its_redelivery_is_a_no_op()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "hs-" + Guid.NewGuid().ToString("N")[..8];
        await ConnectHubSpotAsync(tenant);
        var objectId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var body = Events(objectId, objectId + 1);

        using var first = await platform.Client.SendAsync(Signed(tenant, body), TestContext.Current.CancellationToken);
        using var again = await platform.Client.SendAsync(Signed(tenant, body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var deliveries = await DeliveriesAsync(tenant, objectId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(2, deliveries.Count);
        Assert.Contains(deliveries, d => d.GetProperty("duplicates").GetInt32() == 0 && d.GetProperty("events").GetInt32() == 2);
        Assert.Contains(deliveries, d => d.GetProperty("duplicates").GetInt32() == 2 && d.GetProperty("status").GetString() == "Duplicate");
        Assert.All(deliveries, d => Assert.Equal("Valid", d.GetProperty("signatureVerdict").GetString()));
    }

    [Fact]
    public async Task Bad_stale_or_missing_signatures_get_401_and_nothing_is_stored()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "hs-" + Guid.NewGuid().ToString("N")[..8];
        await ConnectHubSpotAsync(tenant);
        var body = Events(42);

        using var wrongSecret = await platform.Client.SendAsync(Signed(tenant, body, secret: "not-the-secret"), TestContext.Current.CancellationToken);
        using var stale = await platform.Client.SendAsync(Signed(tenant, body, at: DateTimeOffset.UtcNow.AddMinutes(-6)), TestContext.Current.CancellationToken);
        using var unsigned = await platform.Client.PostAsync($"/webhooks/hubspot/{tenant}", new StringContent(body, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("application/problem+json", unsigned.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await DeliveriesAsync(tenant));
    }

    [Fact]
    public async Task A_signed_but_malformed_body_gets_400_and_an_unknown_tenant_404()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "hs-" + Guid.NewGuid().ToString("N")[..8];
        await ConnectHubSpotAsync(tenant);

        using var malformed = await platform.Client.SendAsync(Signed(tenant, """{"not":"an array"}"""), TestContext.Current.CancellationToken);
        using var unknown = await platform.Client.SendAsync(Signed("no-such-tenant", Events(1)), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Our_own_write_back_coming_round_again_is_recognised_as_an_echo()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "hs-" + Guid.NewGuid().ToString("N")[..8];
        await ConnectHubSpotAsync(tenant);
        var body = JsonSerializer.Serialize(new[]
        {
            new { eventId = 5, subscriptionId = 9, portalId = 62515, appId = 54321, occurredAt = 1795000000123L, subscriptionType = "deal.propertyChange",
                  attemptNumber = 0, objectId = 31337L, propertyName = "q2c_invoice_status", propertyValue = "Posted", changeSource = "INTEGRATION", sourceId = "54321" },
        });

        using var response = await platform.Client.SendAsync(Signed(tenant, body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal(1, delivery.GetProperty("echoes").GetInt32());
        Assert.Equal("Ignored", delivery.GetProperty("status").GetString());
    }

    private static string ChangeEvent(string transaction, string recordId, string commitUser) => JsonSerializer.Serialize(new
    {
        data = new
        {
            payload = new
            {
                ChangeEventHeader = new
                {
                    entityName = "Opportunity", recordIds = new[] { recordId }, changeType = "UPDATE", transactionKey = transaction, sequenceNumber = 1,
                    commitTimestamp = 1795000000000L, commitUser, changedFields = new[] { "StageName" },
                },
                StageName = "Closed Won",
            },
            @event = new { replayId = 1 },
        },
        channel = "/data/OpportunityChangeEvent",
    });

    [Fact]
    public async Task Salesforce_change_events_from_a_relay_are_stored_deduplicated_and_our_own_changes_recognised()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "sfcdc-" + Guid.NewGuid().ToString("N")[..8];
        await ConnectAsync(tenant, new { kind = "salesforce", baseUrl = "http://127.0.0.1:8093", accessToken = "00D!session", organizationId = Organization, integrationUserId = "005INTEGRATION", clientSecret = "relay-secret" });
        var path = $"/webhooks/salesforce/{tenant}/events";
        // The relay signs every message (an unsigned one is refused whatever the connection).
        Task<HttpResponseMessage> PostSignedAsync(string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Q2C-Relay-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("relay-secret"), Encoding.UTF8.GetBytes(body))));
            return platform.Client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        using var first = await PostSignedAsync(ChangeEvent("tx-1", "006A", "005SOMEONE"));
        using var again = await PostSignedAsync(ChangeEvent("tx-1", "006A", "005SOMEONE"));
        using var ours = await PostSignedAsync(ChangeEvent("tx-2", "006A", "005INTEGRATION"));
        using var malformed = await PostSignedAsync("{\"data\":{}}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var deliveries = await DeliveriesAsync(tenant, "006A");
        Assert.Equal(3, deliveries.Count);
        Assert.Contains(deliveries, d => d.GetProperty("status").GetString() == "Duplicate");
        Assert.Contains(deliveries, d => d.GetProperty("echoes").GetInt32() == 1);
    }

    [Fact]
    public async Task A_relay_secret_makes_the_signature_mandatory()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "sfsig-" + Guid.NewGuid().ToString("N")[..8];
        await ConnectAsync(tenant, new { kind = "salesforce", baseUrl = "http://127.0.0.1:8093", accessToken = "00D!session", organizationId = Organization, clientSecret = "relay-secret" });
        var body = ChangeEvent("tx-9", "006B", "005SOMEONE");
        using var unsigned = await platform.Client.PostAsync($"/webhooks/salesforce/{tenant}/events", new StringContent(body, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        using var signedRequest = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/salesforce/{tenant}/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        signedRequest.Headers.Add("X-Q2C-Relay-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("relay-secret"), Encoding.UTF8.GetBytes(body))));
        using var signed = await platform.Client.SendAsync(signedRequest, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal("Valid", Assert.Single(await DeliveriesAsync(tenant)).GetProperty("signatureVerdict").GetString());
    }

    private static string OutboundMessage(string organization, string notificationId) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>{organization}</OrganizationId>
           <ActionId>04k5g000000Gm1QAAS</ActionId>
           <Notification>
            <Id>{notificationId}</Id>
            <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>0065g00000XyZ12AAB</sf:Id>
             <sf:IsWon>true</sf:IsWon>
            </sObject>
           </Notification>
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    [Fact]
    public async Task A_salesforce_outbound_message_is_acknowledged_and_a_foreign_one_gets_a_soap_fault()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "sf-" + Guid.NewGuid().ToString("N")[..8];
        var url = (await ConnectAsync(tenant, new { kind = "salesforce", baseUrl = "http://127.0.0.1:8093", accessToken = "00D!session", organizationId = Organization }))!;

        using var accepted = await platform.Client.PostAsync(url,
            new StringContent(OutboundMessage(Organization, "04l5g00000AbCdEAAV"), Encoding.UTF8, "text/xml"), TestContext.Current.CancellationToken);
        using var foreign = await platform.Client.PostAsync(url,
            new StringContent(OutboundMessage("00D000000000001AAA", "04l5g00000AbCdFAAV"), Encoding.UTF8, "text/xml"), TestContext.Current.CancellationToken);
        using var malformed = await platform.Client.PostAsync(url,
            new StringContent("<soapenv:Envelope", Encoding.UTF8, "text/xml"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("<Ack>true</Ack>", await accepted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        Assert.Contains("soapenv:Fault", await foreign.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("soapenv:Client", await malformed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var delivery = Assert.Single(await DeliveriesAsync(tenant));
        Assert.Equal("salesforce-outbound", delivery.GetProperty("source").GetString());
    }
}
