using QuoteToCash.Testing;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>The real npm client node-quickbooks, with only its base URLs changed, against the sandbox as a process.</summary>
public sealed class NodeQuickBooksTests
{
    private static readonly string ClientDirectory = Path.Combine(ServiceProcess.RepositoryRoot, "sandboxes", "QuickBooks", "clients", "node-quickbooks");

    [Fact]
    public async Task The_node_quickbooks_smoke_script_creates_reads_queries_and_updates()
    {
        var node = NodeTool.Find("node");
        var npm = NodeTool.Find("npm");
        Assert.SkipWhen(node is null || npm is null, "node and npm must be on PATH to run the node-quickbooks client.");

        if (!Directory.Exists(Path.Combine(ClientDirectory, "node_modules", "node-quickbooks")))
        {
            var install = await NodeTool.RunAsync(npm!, ["ci", "--no-audit", "--no-fund"], ClientDirectory, new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, $"npm ci failed ({install.ExitCode}):\n{install.Output}");
        }

        await using var sandbox = await ServiceProcess.StartAsync("QuoteToCash.Sandbox.QuickBooks");
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var realm = await PostAsync(http, "/_sandbox/realms", new { name = "node-smoke" });
        var app = await PostAsync(http, "/_sandbox/apps", new { name = "node-smoke", webhookUrl = (string?)null, webhookFormat = "legacy" });
        var grant = await PostAsync(http, $"/_sandbox/realms/{realm["realmId"]!.GetValue<string>()}/connections", new { clientId = app["clientId"]!.GetValue<string>(), redirectUri = "http://localhost/callback" });

        var run = await NodeTool.RunAsync(node!, ["smoke.js"], ClientDirectory, new Dictionary<string, string>
        {
            ["QBO_BASE_URL"] = sandbox.BaseAddress.ToString(),
            ["QBO_REALM_ID"] = realm["realmId"]!.GetValue<string>(),
            ["QBO_CLIENT_ID"] = app["clientId"]!.GetValue<string>(),
            ["QBO_CLIENT_SECRET"] = app["clientSecret"]!.GetValue<string>(),
            ["QBO_ACCESS_TOKEN"] = grant["accessToken"]!.GetValue<string>(),
            ["QBO_REFRESH_TOKEN"] = grant["refreshToken"]!.GetValue<string>(),
        }, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, $"smoke.js exited with {run.ExitCode}:\n{run.Output}\n--- sandbox ---\n{sandbox.Output}");
        Assert.Contains("smoke test passed", run.Output);
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
