using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class ControlApiTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_realm_twice_by_name_returns_the_same_realm()
    {
        using var http = sandbox.CreateClient();
        var name = "idempotent-" + Guid.NewGuid().ToString("N")[..6];

        using var first = await http.PostAsJsonAsync("/_sandbox/realms", new { name }, Cancel);
        using var second = await http.PostAsJsonAsync("/_sandbox/realms", new { name }, Cancel);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonObject>(Cancel);
        var b = await second.Content.ReadFromJsonAsync<JsonObject>(Cancel);
        Assert.Matches("^[0-9]+$", a!["realmId"]!.GetValue<string>());
        Assert.Equal(a["realmId"]!.GetValue<string>(), b!["realmId"]!.GetValue<string>());
        Assert.Equal(name, b["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_an_app_twice_by_name_returns_the_same_credentials_and_put_changes_its_webhook()
    {
        using var http = sandbox.CreateClient();
        var name = "app-" + Guid.NewGuid().ToString("N")[..6];

        using var first = await http.PostAsJsonAsync("/_sandbox/apps", new { name, webhookUrl = "http://127.0.0.1:8080/webhooks/quickbooks", webhookFormat = "legacy" }, Cancel);
        using var second = await http.PostAsJsonAsync("/_sandbox/apps", new { name, webhookUrl = (string?)null, webhookFormat = "cloudevents" }, Cancel);
        var app = (await first.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
        var again = (await second.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        foreach (var field in new[] { "clientId", "clientSecret", "verifierToken", "webhookUrl", "webhookFormat" })
            Assert.Equal(app[field]!.GetValue<string>(), again[field]!.GetValue<string>());

        var clientId = app["clientId"]!.GetValue<string>();
        using var put = await http.PutAsJsonAsync($"/_sandbox/apps/{clientId}", new { webhookUrl = (string?)null, webhookFormat = "cloudevents" }, Cancel);
        var updated = (await put.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
        Assert.Null(updated["webhookUrl"]);
        Assert.Equal("cloudevents", updated["webhookFormat"]!.GetValue<string>());

        using var bad = await http.PostAsJsonAsync("/_sandbox/apps", new { name = "bad-format", webhookFormat = "soap" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var unknown = await http.PutAsJsonAsync("/_sandbox/apps/nope", new { webhookFormat = "legacy" }, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_connection_returns_a_code_and_tokens_in_the_documented_shape()
    {
        var company = await sandbox.CompanyAsync();

        var grant = await Control.PostAsync(company.Http, $"/_sandbox/realms/{company.RealmId}/connections", new { clientId = company.ClientId, redirectUri = "http://localhost/callback" });

        Assert.Equal(company.RealmId, grant["realmId"]!.GetValue<string>());
        Assert.Equal(company.ClientId, grant["clientId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(grant["authorizationCode"]!.GetValue<string>()));
        Assert.Equal(3600, grant["expiresIn"]!.GetValue<int>());
        Assert.Equal(8726400, grant["refreshTokenExpiresIn"]!.GetValue<int>());
        var response = await company.GetAsync("term/1", grant["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.Status);

        using var unknown = await company.Http.PostAsJsonAsync($"/_sandbox/realms/{company.RealmId}/connections", new { clientId = "nope" }, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_entity_listing_shows_inactive_records_without_auth()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CustomerAsync();
        (await company.PostAsync("customer?operation=update", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Active = false })).Entity("Customer");

        var listed = await Control.EntitiesAsync(company.Http, company.RealmId, "customer");

        Assert.False(Assert.Single(listed)!["Active"]!.GetValue<bool>());
        using var unknown = await company.Http.GetAsync($"/_sandbox/realms/{company.RealmId}/entities/widget", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Reset_clears_realms_apps_tokens_faults_and_webhook_history()
    {
        await using var isolated = new QboSandboxFactory();
        var company = await isolated.CompanyAsync();
        await company.CustomerAsync();
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { errorRate = 1.0, errorStatus = 500 });

        using var reset = await company.Http.PostAsync("/_sandbox/reset", null, Cancel);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal("[]", await company.Http.GetStringAsync("/_sandbox/realms", Cancel));
        Assert.Equal("[]", await company.Http.GetStringAsync("/_sandbox/faults", Cancel));
        Assert.Empty(await Control.DeliveriesAsync(company.Http));
        Assert.Equal(HttpStatusCode.Unauthorized, (await company.QueryAsync("select * from Customer")).Status);
        var (status, body) = await company.RefreshAsync(company.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_a_data_file_a_second_run_keeps_realms_apps_entities_and_tokens()
    {
        var file = Path.Combine(Path.GetTempPath(), "qbo-sandbox-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var settings = new Dictionary<string, string?> { ["QuickBooks:DataFile"] = file };
            QboCompany company;
            string customerId;
            await using (var firstRun = new QboSandboxFactory { Settings = settings })
            {
                company = await firstRun.CompanyAsync();
                customerId = (await company.CustomerAsync("Persistent Pty"))["Id"]!.GetValue<string>();
            }
            Assert.True(File.Exists(file));

            await using var secondRun = new QboSandboxFactory { Settings = settings };
            var again = new QboCompany(secondRun.CreateClient(), company.RealmId, new JsonObject
            {
                ["clientId"] = company.ClientId, ["clientSecret"] = company.ClientSecret, ["verifierToken"] = company.VerifierToken,
            })
            { AccessToken = company.AccessToken, RefreshToken = company.RefreshToken };

            Assert.Equal("Persistent Pty", (await again.ReadAsync("Customer", customerId))["DisplayName"]!.GetValue<string>());
            var (status, _) = await again.RefreshAsync(company.RefreshToken);
            Assert.Equal(HttpStatusCode.OK, status);
            var realm = await Control.PostAsync(again.Http, "/_sandbox/realms", new { name = "unused" });
            Assert.NotEqual(company.RealmId, realm["realmId"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
