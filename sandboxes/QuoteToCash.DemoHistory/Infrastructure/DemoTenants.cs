using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.DemoHistory.Domain;

namespace QuoteToCash.DemoHistory.Infrastructure;

/// <summary>One demo tenant as scripts/configure-demo.py left it: its CRM (as a salesperson's client), its QuickBooks company, its catalogue.</summary>
public sealed class DemoTenant
{
    public required string Id { get; init; }
    public required DemoCrm Crm { get; init; }
    /// <summary>HubSpot's API root, or the Salesforce org's <c>services/data/v60.0/</c>.</summary>
    public required JsonApi CrmApi { get; init; }
    public required QuickBooksBooks Books { get; init; }
    /// <summary>CRM product IDs by SKU.</summary>
    public required Dictionary<string, string> Products { get; init; }

    public string Source => Crm == DemoCrm.HubSpot ? "hubspot" : "salesforce";
}

/// <summary>Reads data/demo-tenants.json (written by scripts/configure-demo.py) and writes back QuickBooks' rotated refresh tokens.</summary>
public static class DemoTenants
{
    public const string FileName = "demo-tenants.json";

    public static Dictionary<string, DemoTenant> Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var tenants = new Dictionary<string, DemoTenant>(StringComparer.Ordinal);
        foreach (var tenant in document.RootElement.GetProperty("tenants").EnumerateObject())
        {
            var t = tenant.Value;
            var qbo = t.GetProperty("quickbooks");
            var tools = qbo.GetProperty("tools");
            var books = new QuickBooksBooks(new HttpClient { BaseAddress = new Uri(qbo.GetProperty("baseUrl").GetString()!), Timeout = TimeSpan.FromSeconds(60) },
                qbo.GetProperty("realmId").GetString()!, tools.GetProperty("clientId").GetString()!, tools.GetProperty("clientSecret").GetString()!,
                tools.GetProperty("refreshToken").GetString()!);
            var hubspot = t.GetProperty("crm").GetString() == "hubspot";
            JsonApi crm;
            if (hubspot)
            {
                var section = t.GetProperty("hubspot");
                var token = section.GetProperty("toolsToken").GetString();
                crm = new JsonApi(new HttpClient { BaseAddress = new Uri(section.GetProperty("baseUrl").GetString()!), Timeout = TimeSpan.FromSeconds(60) },
                    _ => Task.FromResult(token));
            }
            else
            {
                var section = t.GetProperty("salesforce");
                var token = section.GetProperty("toolsToken").GetString();
                crm = new JsonApi(new HttpClient
                {
                    BaseAddress = new Uri(section.GetProperty("instanceUrl").GetString()!.TrimEnd('/') + "/services/data/v60.0/"), Timeout = TimeSpan.FromSeconds(60),
                }, _ => Task.FromResult(token));
            }
            tenants[tenant.Name] = new DemoTenant
            {
                Id = tenant.Name,
                Crm = hubspot ? DemoCrm.HubSpot : DemoCrm.Salesforce,
                CrmApi = crm,
                Books = books,
                Products = t.GetProperty("products").EnumerateArray()
                    .ToDictionary(p => p.GetProperty("sku").GetString()!, p => p.GetProperty("crmProductId").GetString()!, StringComparer.Ordinal),
            };
        }
        return tenants;
    }

    /// <summary>Keeps the tools connections usable after the history: QuickBooks rotated their refresh tokens.</summary>
    public static void SaveRefreshTokens(string path, IEnumerable<DemoTenant> tenants)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var tenant in tenants)
            root["tenants"]![tenant.Id]!["quickbooks"]!["tools"]!["refreshToken"] = tenant.Books.RefreshToken;
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
