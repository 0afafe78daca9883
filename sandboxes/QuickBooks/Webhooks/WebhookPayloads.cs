using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Webhooks;

/// <summary>The two body formats QBO posts, and the intuit-signature header.</summary>
public static class WebhookPayloads
{
    public static string Build(string format, string clientId, IReadOnlyList<WebhookEvent> events, QboClock clock)
        => format == WebhookFormats.CloudEvents ? CloudEvents(clientId, events) : Legacy(events, clock);

    public static string ContentType(string format)
        => format == WebhookFormats.CloudEvents ? "application/cloudevents+json" : "application/json";

    /// <summary>{"eventNotifications":[{"realmId":…,"dataChangeEvent":{"entities":[…]}}]}: one notification per realm.</summary>
    public static string Legacy(IReadOnlyList<WebhookEvent> events, QboClock clock)
    {
        var notifications = new JsonArray();
        foreach (var realm in events.GroupBy(e => e.RealmId))
        {
            var entities = new JsonArray();
            foreach (var e in realm)
            {
                entities.Add(new JsonObject
                {
                    ["name"] = e.Entity,
                    ["id"] = e.Id,
                    ["operation"] = e.Operation,
                    ["lastUpdated"] = LegacyTime(clock.Local(e.At)),
                });
            }
            notifications.Add(new JsonObject
            {
                ["realmId"] = realm.Key,
                ["dataChangeEvent"] = new JsonObject { ["entities"] = entities },
            });
        }
        return new JsonObject { ["eventNotifications"] = notifications }.ToJsonString(Json.Options);
    }

    /// <summary>A JSON array of CloudEvents 1.0, type qbo.&lt;entity&gt;.&lt;created|updated|deleted|voided&gt;.v1.</summary>
    public static string CloudEvents(string clientId, IReadOnlyList<WebhookEvent> events)
    {
        var source = "intuit." + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(clientId)));
        var array = new JsonArray();
        foreach (var e in events)
        {
            array.Add(new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = e.EventId.ToString(),
                ["source"] = source,
                ["type"] = $"qbo.{e.Entity.ToLowerInvariant()}.{PastTense(e.Operation)}.v1",
                ["datacontenttype"] = "application/json",
                ["time"] = e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                ["intuitentityid"] = e.Id,
                ["intuitaccountid"] = e.RealmId,
                ["data"] = new JsonObject(),
            });
        }
        return array.ToJsonString(Json.Options);
    }

    /// <summary>Base64 of HMAC-SHA256 over the body bytes, keyed with the app's verifier token.</summary>
    public static string Sign(string body, string verifierToken)
        => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), Encoding.UTF8.GetBytes(body)));

    private static string PastTense(string operation) => operation switch
    {
        "Create" => "created",
        "Update" => "updated",
        "Delete" => "deleted",
        "Void" => "voided",
        "Merge" => "merged",
        "Emailed" => "emailed",
        _ => operation.ToLowerInvariant(),
    };

    /// <summary>"2015-10-05T14:42:19-0700", as in Intuit's sample.</summary>
    private static string LegacyTime(DateTimeOffset local)
    {
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        offset = offset.Duration();
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + sign + offset.Hours.ToString("00", CultureInfo.InvariantCulture) + offset.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }
}
