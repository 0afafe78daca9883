using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.Sandbox.Salesforce.Tests;

public sealed class OutboundMessageTests(SalesforceSandboxFactory factory) : IClassFixture<SalesforceSandboxFactory>
{
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Om = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Sf = "urn:sobject.enterprise.soap.sforce.com";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private readonly SalesforceClient _api = factory.Api;

    private async Task<string> RuleAsync(TestOrg org, string endpoint, params string[] fields) =>
        (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/outbound-messages", new { name = "OpportunityWon", endpointUrl = endpoint, fields }))
            .Body["id"]!.GetValue<string>();

    [Fact]
    public async Task A_won_opportunity_is_sent_as_a_soap_notifications_message_with_the_configured_fields()
    {
        await using var listener = await OutboundMessages.StartReceiverAsync();
        var org = await _api.NewOrgAsync();
        var actionId = await RuleAsync(org, listener.Url, "Id", "Name", "StageName", "Amount", "AccountId", "CloseDate", "IsWon");
        var accountId = await org.CreateAccountAsync();
        var id = await org.CreateOpportunityAsync(accountId, amount: 12500m);

        await org.PatchAsync($"/sobjects/Opportunity/{id}", new { StageName = "Closed Won" });
        var request = (await listener.WaitForAsync(r => r.Count >= 1, "the outbound message"))[0];

        Assert.StartsWith("text/xml", request.Header("Content-Type"));
        Assert.False(string.IsNullOrEmpty(request.Header("SOAPAction")));
        var body = request.Xml.Root!.Element(Soap + "Body")!.Element(Om + "notifications")!;
        Assert.Equal(org.OrgId, body.Element(Om + "OrganizationId")!.Value);
        Assert.Equal(18, body.Element(Om + "OrganizationId")!.Value.Length);
        Assert.Equal(actionId, body.Element(Om + "ActionId")!.Value);
        Assert.Equal("true", body.Element(Om + "SessionId")!.Attribute(Xsi + "nil")!.Value);
        Assert.Contains("/services/Soap/c/", body.Element(Om + "EnterpriseUrl")!.Value);
        Assert.Contains("/services/Soap/u/", body.Element(Om + "PartnerUrl")!.Value);
        var notification = Assert.Single(body.Elements(Om + "Notification"));
        Assert.Matches("^04l[A-Za-z0-9]{15}$", notification.Element(Om + "Id")!.Value);
        var sObject = notification.Element(Om + "sObject")!;
        Assert.Equal("sf:Opportunity", sObject.Attribute(Xsi + "type")!.Value);
        Assert.Equal(id, sObject.Element(Sf + "Id")!.Value);
        Assert.Equal("Northwind retainer", sObject.Element(Sf + "Name")!.Value);
        Assert.Equal("Closed Won", sObject.Element(Sf + "StageName")!.Value);
        Assert.Equal("12500.0", sObject.Element(Sf + "Amount")!.Value);
        Assert.Equal(accountId, sObject.Element(Sf + "AccountId")!.Value);
        Assert.Equal("2026-06-30", sObject.Element(Sf + "CloseDate")!.Value);
        Assert.Equal("true", sObject.Element(Sf + "IsWon")!.Value);
        Assert.Null(sObject.Element(Sf + "Probability"));
    }

    [Fact]
    public async Task Only_the_change_to_won_triggers_not_other_edits_nor_edits_of_an_already_won_opportunity()
    {
        await using var listener = await OutboundMessages.StartReceiverAsync();
        var org = await _api.NewOrgAsync();
        await RuleAsync(org, listener.Url, "Id", "Name");
        var accountId = await org.CreateAccountAsync();
        var open = await org.CreateOpportunityAsync(accountId, "Still open");
        var createdWon = await org.CreateOpportunityAsync(accountId, "Won at birth", stage: "Contract Signed");

        await org.PatchAsync($"/sobjects/Opportunity/{open}", new { Amount = 1, StageName = "Negotiation/Review" });
        await org.PatchAsync($"/sobjects/Opportunity/{createdWon}", new { Description = "edited after winning", StageName = "Closed Won" });
        await org.PatchAsync($"/sobjects/Opportunity/{open}", new { StageName = "Closed Lost" });
        await listener.WaitForAsync(r => r.Count >= 1, "the message for the created-won opportunity");
        await Task.Delay(600, TestContext.Current.CancellationToken);

        var ids = listener.Requests.SelectMany(r => r.Xml.Descendants(Sf + "Id").Select(e => e.Value)).ToList();
        Assert.Equal([createdWon], ids);
    }

    [Fact]
    public async Task Delivery_is_retried_until_the_listener_acks_with_the_same_notification_ids()
    {
        await using var listener = await OutboundMessages.StartReceiverAsync();
        listener.Respond = n => n switch
        {
            0 => (500, "<error/>"),
            1 => (200, OutboundMessages.Ack(false)),
            2 => (200, "OK"),
            _ => (200, OutboundMessages.Ack(true)),
        };
        var org = await _api.NewOrgAsync();
        await RuleAsync(org, listener.Url, "Id", "StageName");
        var id = await org.CreateOpportunityAsync(await org.CreateAccountAsync());
        await org.PatchAsync($"/sobjects/Opportunity/{id}", new { StageName = "Closed Won" });

        var requests = await listener.WaitForAsync(r => r.Count >= 4, "four attempts");
        await Task.Delay(600, TestContext.Current.CancellationToken);

        Assert.Equal(4, listener.Requests.Count);
        var notificationIds = requests.Select(r => r.Xml.Descendants(Om + "Notification").Single().Element(Om + "Id")!.Value).Distinct();
        Assert.Single(notificationIds);
        var deliveries = await DeliveriesAsync(org, 4);
        Assert.Equal([false, false, false, true], deliveries.Select(d => d!["acknowledged"]!.GetValue<bool>()));
        Assert.Equal([0, 1, 2, 3], deliveries.Select(d => d!["attemptNumber"]!.GetValue<int>()));
        Assert.Equal(500, deliveries[0]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task At_most_100_notifications_go_in_one_message()
    {
        await using var listener = await OutboundMessages.StartReceiverAsync();
        var org = await _api.NewOrgAsync();
        await RuleAsync(org, listener.Url, "Id");
        var accountId = await org.CreateAccountAsync();
        foreach (var size in new[] { 100, 30 })
        {
            var records = Enumerable.Range(0, size).Select(i => (object)new
            {
                attributes = new { type = "Opportunity" }, Name = $"Won {size}-{i}", AccountId = accountId, StageName = "Closed Won", CloseDate = "2026-05-01",
            }).ToArray();
            var results = (await org.PostAsync("/composite/sobjects", new { allOrNone = true, records })).Expect(HttpStatusCode.OK).Body.AsArray();
            Assert.All(results, r => Assert.True(r!["success"]!.GetValue<bool>()));
        }

        var requests = await listener.WaitForAsync(r => r.Sum(x => x.Xml.Descendants(Om + "Notification").Count()) >= 130, "130 notifications");
        Assert.All(requests, r => Assert.InRange(r.Xml.Descendants(Om + "Notification").Count(), 1, 100));
        Assert.InRange(requests.Count, 2, 4);
        Assert.Equal(130, requests.SelectMany(r => r.Xml.Descendants(Sf + "Id").Select(e => e.Value)).Distinct().Count());
    }

    private async Task<JsonArray> DeliveriesAsync(TestOrg org, int count)
    {
        JsonArray deliveries = [];
        Assert.True(await Eventually(async () => (deliveries = (await _api.SendAsync(HttpMethod.Get, $"/_sandbox/outbound/deliveries?orgId={org.OrgId}")).Body.AsArray()).Count >= count,
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)), $"Fewer than {count} outbound deliveries logged.");
        return deliveries;
    }
}
