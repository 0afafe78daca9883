using System.Net;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

public sealed class PersistenceTests
{
    [Fact]
    public async Task With_a_data_file_a_second_run_keeps_portals_tokens_and_records()
    {
        var file = Path.Combine(Path.GetTempPath(), "q2c-hubspot-" + Guid.NewGuid().ToString("N") + ".json");
        var settings = new Dictionary<string, string?> { ["HubSpot:DataFile"] = file };
        try
        {
            TestPortal portal;
            string dealId;
            await using (var first = new HubSpotSandboxFactory { Settings = settings })
            {
                portal = await first.Api.NewPortalAsync("demo");
                dealId = await portal.CreateDealAsync("Kept across runs");
            }
            Assert.True(File.Exists(file));

            await using var second = new HubSpotSandboxFactory { Settings = settings };
            var api = second.Api;
            var again = (await api.PostAsync("/_sandbox/portals", new { name = "demo" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(portal.PortalId, again["portalId"]!.GetValue<string>());
            var deal = (await api.GetAsync($"/crm/v3/objects/deals/{dealId}", portal.ToolsToken)).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("Kept across runs", deal["properties"]!["dealname"]!.GetValue<string>());
            var next = await new TestPortal(api, portal.PortalId, portal.ToolsToken, portal.ToolsAppId).CreateDealAsync("Next");
            Assert.NotEqual(dealId, next);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
