using System.Net.Http.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

/// <summary>
/// The sandbox in process. Limits are out of the way unless a test sets them, and webhook retries are
/// compressed a thousandfold (10 s becomes 10 ms).
/// </summary>
public sealed class QboSandboxFactory() : SandboxFactory<Program>(LimitsOutOfTheWay)
{
    private static readonly Dictionary<string, string?> LimitsOutOfTheWay = new()
    {
        ["QuickBooks:Limits:RequestsPerMinute"] = "1000000",
        ["QuickBooks:Limits:ConcurrentRequests"] = "1000",
        ["QuickBooks:Limits:BatchesPerMinute"] = "1000000",
        ["QuickBooks:Limits:BatchesPerMinutePerRealm"] = "1000000",
        ["QuickBooks:Webhooks:RetryDelayScale"] = "0.001",
        ["QuickBooks:Webhooks:DeliveryTimeout"] = "00:00:05",
    };

    /// <summary>A fresh realm with one connected app, as a client of the sandbox sees it.</summary>
    public async Task<QboCompany> CompanyAsync(string? webhookUrl = null, string webhookFormat = "legacy", string? appName = null)
    {
        var http = CreateClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var realm = await Control.PostAsync(http, "/_sandbox/realms", new { name = "realm-" + suffix });
        var app = await Control.PostAsync(http, "/_sandbox/apps", new { name = appName ?? "app-" + suffix, webhookUrl, webhookFormat });
        var company = new QboCompany(http, realm["realmId"]!.GetValue<string>(), app);
        await company.ConnectAsync();
        return company;
    }
}

/// <summary>Calls to the /_sandbox control API.</summary>
public static class Control
{
    public static async Task<JsonObject> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonArray> EntitiesAsync(HttpClient http, string realmId, string entity)
    {
        var text = await http.GetStringAsync($"/_sandbox/realms/{realmId}/entities/{entity}", TestContext.Current.CancellationToken);
        return JsonNode.Parse(text)!.AsArray();
    }

    public static async Task<JsonArray> DeliveriesAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/_sandbox/webhooks/deliveries", TestContext.Current.CancellationToken);
        return JsonNode.Parse(text)!.AsArray();
    }
}
