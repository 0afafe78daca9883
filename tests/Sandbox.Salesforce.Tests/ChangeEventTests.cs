using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.Sandbox.Salesforce.Tests;

public sealed class ChangeEventTests(SalesforceSandboxFactory factory) : IClassFixture<SalesforceSandboxFactory>
{
    private readonly SalesforceClient _api = factory.Api;

    private static JsonNode Header(ReceivedRequest request) => request.Json["data"]!["payload"]!["ChangeEventHeader"]!;

    [Fact]
    public async Task Creates_updates_and_deletes_of_opportunities_and_accounts_are_sent_as_change_events()
    {
        await using var endpoint = await HttpReceiver.StartAsync(OutboundMessages.Path);
        var org = await _api.NewOrgAsync();
        var platform = (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/tokens", new { name = "platform", integrationUser = true })).Body;
        var enabled = (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/change-events", new { endpointUrl = endpoint.Url })).Expect(HttpStatusCode.OK).Body;
        Assert.Contains("/data/OpportunityChangeEvent", enabled["channels"]!.AsArray().Select(c => c!.GetValue<string>()));

        var accountId = await org.CreateAccountAsync();
        var id = await org.CreateOpportunityAsync(accountId, amount: 5000m);
        var platformOrg = org with { Token = platform["accessToken"]!.GetValue<string>() };
        await platformOrg.PatchAsync($"/sobjects/Opportunity/{id}", new { StageName = "Closed Won", NextStep = "Invoice" });
        await org.PatchAsync($"/sobjects/Opportunity/{id}", new { NextStep = (string?)null });
        await org.DeleteAsync($"/sobjects/Opportunity/{id}");

        var requests = await endpoint.WaitForAsync(r => r.Count >= 5, "five change events");
        var events = requests.Select(r => (Header: Header(r), r.Json)).ToList();
        Assert.Equal(["CREATE", "CREATE", "UPDATE", "UPDATE", "DELETE"], events.Select(e => e.Header["changeType"]!.GetValue<string>()));
        Assert.Equal(["Account", "Opportunity", "Opportunity", "Opportunity", "Opportunity"], events.Select(e => e.Header["entityName"]!.GetValue<string>()));

        var create = events[1];
        Assert.Equal("/data/OpportunityChangeEvent", create.Json["channel"]!.GetValue<string>());
        Assert.Equal(id, create.Header["recordIds"]![0]!.GetValue<string>());
        Assert.Equal(org.UserId, create.Header["commitUser"]!.GetValue<string>());
        Assert.Equal("Northwind retainer", create.Json["data"]!["payload"]!["Name"]!.GetValue<string>());
        Assert.Equal(5000m, create.Json["data"]!["payload"]!["Amount"]!.GetValue<decimal>());
        Assert.Empty(create.Header["changedFields"]!.AsArray());
        Assert.True(create.Json["data"]!["event"]!["replayId"]!.GetValue<long>() > 0);
        Assert.StartsWith("com/salesforce/api/rest/60.0", create.Header["changeOrigin"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(create.Header["transactionKey"]!.GetValue<string>()));
        Assert.Equal(1, create.Header["sequenceNumber"]!.GetValue<int>());

        var won = events[2];
        Assert.Equal(platform["userId"]!.GetValue<string>(), won.Header["commitUser"]!.GetValue<string>());
        var changed = won.Header["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.Contains("StageName", changed);
        Assert.Contains("IsWon", changed);
        Assert.Contains("LastModifiedDate", changed);
        Assert.DoesNotContain("Name", changed);
        var payload = won.Json["data"]!["payload"]!.AsObject();
        Assert.Equal("Closed Won", payload["StageName"]!.GetValue<string>());
        Assert.False(payload.ContainsKey("Name"));
        Assert.EndsWith("Z", payload["LastModifiedDate"]!.GetValue<string>());

        Assert.Equal(["NextStep"], events[3].Header["nulledFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        var replayIds = events.Select(e => e.Json["data"]!["event"]!["replayId"]!.GetValue<long>()).ToList();
        Assert.Equal(replayIds.Order(), replayIds);
    }

    [Fact]
    public async Task A_line_item_insert_and_its_amount_roll_up_share_one_transaction()
    {
        await using var endpoint = await HttpReceiver.StartAsync(OutboundMessages.Path);
        var org = await _api.NewOrgAsync();
        var id = await org.CreateOpportunityAsync(await org.CreateAccountAsync());
        (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/change-events", new { endpointUrl = endpoint.Url, entities = new[] { "Opportunity", "OpportunityLineItem" } })).Expect(HttpStatusCode.OK);
        var entry = await org.StandardEntryAsync("IMPL-PKG");

        await org.CreateAsync("OpportunityLineItem", new { OpportunityId = id, PricebookEntryId = entry["Id"]!.GetValue<string>(), Quantity = 2, UnitPrice = 5000 });

        var requests = await endpoint.WaitForAsync(r => r.Count >= 3, "the transaction's events");
        var headers = requests.Select(Header).ToList();
        Assert.Single(headers.Select(h => h["transactionKey"]!.GetValue<string>()).Distinct());
        Assert.Equal([1, 2, 3], headers.Select(h => h["sequenceNumber"]!.GetValue<int>()));
        var rollUp = requests.Last(r => Header(r)["entityName"]!.GetValue<string>() == "Opportunity");
        Assert.Equal(10000m, rollUp.Json["data"]!["payload"]!["Amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Failed_change_event_deliveries_are_retried()
    {
        await using var endpoint = await HttpReceiver.StartAsync(OutboundMessages.Path, n => (n < 2 ? 503 : 200, null));
        var org = await _api.NewOrgAsync();
        (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/change-events", new { endpointUrl = endpoint.Url })).Expect(HttpStatusCode.OK);

        await org.CreateAccountAsync();
        var requests = await endpoint.WaitForAsync(r => r.Count >= 3, "three attempts");

        Assert.Single(requests.Select(r => r.Body).Distinct());
        JsonArray deliveries = [];
        Assert.True(await Eventually(async () => (deliveries = (await _api.SendAsync(HttpMethod.Get, $"/_sandbox/change-events/deliveries?orgId={org.OrgId}")).Body.AsArray()).Count >= 3,
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)), "The change-event deliveries were not logged.");
        Assert.Equal([503, 503, 200], deliveries.Select(d => d!["status"]!.GetValue<int>()));
    }
}
