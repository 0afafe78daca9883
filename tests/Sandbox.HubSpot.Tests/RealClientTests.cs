using QuoteToCash.Testing;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

/// <summary>The official @hubspot/api-client from npm against the sandbox started as a real process.</summary>
public sealed class RealClientTests
{
    [Fact]
    public async Task The_official_node_client_works_with_only_the_base_path_changed()
    {
        var node = NodeTool.Find("node");
        var npm = NodeTool.Find("npm");
        if (node is null || npm is null)
            Assert.Skip("node and npm are not on PATH, so @hubspot/api-client cannot be run.");

        await using var sandbox = await ServiceProcess.StartAsync("QuoteToCash.Sandbox.HubSpot");
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var cancel = TestContext.Current.CancellationToken;
        var portal = await (await http.PostAsJsonAsync("/_sandbox/portals", new { name = "smoke" }, cancel)).Content.ReadFromJsonAsync<JsonObject>(cancel);
        var token = await (await http.PostAsJsonAsync($"/_sandbox/portals/{portal!["portalId"]}/tokens", new { name = "tools" }, cancel)).Content.ReadFromJsonAsync<JsonObject>(cancel);

        var clientDirectory = Path.Combine(ServiceProcess.RepositoryRoot, "sandboxes", "HubSpot", "clients", "hubspot-api-client");
        if (!Directory.Exists(Path.Combine(clientDirectory, "node_modules", "@hubspot", "api-client")))
        {
            var install = await NodeTool.RunAsync(npm!, ["ci", "--no-audit", "--no-fund"], clientDirectory, null, TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, "npm ci failed:\n" + install.Output);
        }

        var run = await NodeTool.RunAsync(node!, ["smoke.js"], clientDirectory, new Dictionary<string, string>
        {
            ["HUBSPOT_BASE_URL"] = sandbox.BaseAddress.ToString().TrimEnd('/'),
            ["HUBSPOT_ACCESS_TOKEN"] = token!["accessToken"]!.GetValue<string>(),
        }, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, $"smoke.js exited with {run.ExitCode}:\n{run.Output}\n--- sandbox ---\n{sandbox.Output}");
        Assert.Contains("smoke passed", run.Output);
    }
}
