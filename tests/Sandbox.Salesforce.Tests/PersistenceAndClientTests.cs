using QuoteToCash.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Tests;

public sealed class PersistenceAndClientTests
{
    [Fact]
    public async Task With_a_data_file_a_second_run_keeps_orgs_sessions_and_records()
    {
        var file = Path.Combine(Path.GetTempPath(), "q2c-salesforce-" + Guid.NewGuid().ToString("N") + ".json");
        var settings = new Dictionary<string, string?> { ["Salesforce:DataFile"] = file };
        try
        {
            TestOrg org;
            string accountId;
            await using (var first = new SalesforceSandboxFactory { Settings = settings })
            {
                org = await first.Api.NewOrgAsync("demo-sf");
                accountId = await org.CreateAccountAsync("Kept across runs");
            }
            Assert.True(File.Exists(file));

            await using var second = new SalesforceSandboxFactory { Settings = settings };
            var again = (await second.Api.PostAsync("/_sandbox/orgs", new { name = "demo-sf" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(org.OrgId, again["orgId"]!.GetValue<string>());
            var reopened = org with { Client = second.Api };
            var names = await reopened.RecordsAsync($"SELECT Name FROM Account WHERE Id = '{accountId}'");
            Assert.Equal("Kept across runs", names[0]!["Name"]!.GetValue<string>());
            Assert.NotEqual(accountId, await reopened.CreateAccountAsync("Next"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Jsforce_works_with_only_the_instance_url_changed()
    {
        var node = NodeTool.Find("node");
        var npm = NodeTool.Find("npm");
        if (node is null || npm is null)
            Assert.Skip("node and npm are not on PATH, so jsforce cannot be run.");

        await using var sandbox = await ServiceProcess.StartAsync("QuoteToCash.Sandbox.Salesforce");
        var cancel = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var org = await (await http.PostAsJsonAsync("/_sandbox/orgs", new { name = "smoke" }, cancel)).Content.ReadFromJsonAsync<JsonObject>(cancel);
        var user = await (await http.PostAsJsonAsync($"/_sandbox/orgs/{org!["orgId"]}/tokens", new { name = "tools", integrationUser = false }, cancel))
            .Content.ReadFromJsonAsync<JsonObject>(cancel);

        var clientDirectory = Path.Combine(ServiceProcess.RepositoryRoot, "sandboxes", "Salesforce", "clients", "jsforce");
        if (!Directory.Exists(Path.Combine(clientDirectory, "node_modules", "jsforce")))
        {
            var install = await NodeTool.RunAsync(npm!, ["ci", "--no-audit", "--no-fund"], clientDirectory, null, TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, "npm ci failed:\n" + install.Output);
        }

        var run = await NodeTool.RunAsync(node!, ["smoke.js"], clientDirectory, new Dictionary<string, string>
        {
            ["SF_INSTANCE_URL"] = sandbox.BaseAddress.ToString().TrimEnd('/'),
            ["SF_ACCESS_TOKEN"] = user!["accessToken"]!.GetValue<string>(),
            ["SF_USERNAME"] = user["username"]!.GetValue<string>(),
            ["SF_PASSWORD"] = user["password"]!.GetValue<string>(),
            ["SF_CLIENT_ID"] = user["clientId"]!.GetValue<string>(),
            ["SF_CLIENT_SECRET"] = user["clientSecret"]!.GetValue<string>(),
        }, TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, $"smoke.js exited with {run.ExitCode}:\n{run.Output}\n--- sandbox ---\n{sandbox.Output}");
        Assert.Contains("smoke passed", run.Output);
    }
}
