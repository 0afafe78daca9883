using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

public sealed partial class SalesforceStore
{
    private static readonly SObjectType NotificationKey = new("OutboundMessageNotification", "Notification", "Notifications", "04l", []);

    /// <summary>Hands the transaction's changes to the change-event and outbound-message queues.</summary>
    private void Commit(Org org, ChangeSet change)
    {
        Touch();
        if (change.Silent)
            return;
        var sequence = 0;
        foreach (var record in change.Changes)
        {
            if (org.ChangeEvents is { } settings && settings.Entities.Contains(record.Type.Name))
                queues.Enqueue(new QueuedChangeEvent(Generation, org.OrgId, ChangeEventMessage(org, change, record, ++sequence)));
            if (record.BecameWon)
            {
                foreach (var rule in org.OutboundMessages)
                    queues.Enqueue(new QueuedNotification(Generation, org.OrgId, rule.Id, NewId(org, NotificationKey), record.RecordId, change.Now));
            }
        }
    }

    /// <summary>A CometD-style change event: {data:{schema, payload:{ChangeEventHeader, fields…}, event:{replayId}}, channel}.</summary>
    private JsonObject ChangeEventMessage(Org org, ChangeSet change, RecordChange record, int sequence)
    {
        var origin = $"com/salesforce/api/rest/{change.Caller.ApiVersion}" + (change.Caller.Client is { Length: > 0 } client ? $";client={client}" : "");
        var header = new JsonObject
        {
            ["entityName"] = record.Type.Name,
            ["recordIds"] = new JsonArray(record.RecordId),
            ["changeType"] = record.ChangeType,
            ["changeOrigin"] = origin,
            ["transactionKey"] = change.TransactionKey,
            ["sequenceNumber"] = sequence,
            ["commitTimestamp"] = change.Now.ToUnixTimeMilliseconds(),
            ["commitNumber"] = org.NextCommitNumber++,
            ["commitUser"] = change.Caller.UserId,
            ["changedFields"] = new JsonArray(record.ChangedFields.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
            ["nulledFields"] = new JsonArray(record.NulledFields.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
            ["diffFields"] = new JsonArray(),
        };
        var payload = new JsonObject { ["ChangeEventHeader"] = header };
        foreach (var (name, value) in record.Fields)
            payload[name] = value?.DeepClone();
        return new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["schema"] = SchemaId(record.Type),
                ["payload"] = payload,
                ["event"] = new JsonObject { ["replayId"] = org.NextReplayId++ },
            },
            ["channel"] = $"/data/{record.Type.Name}ChangeEvent",
        };
    }

    private static string SchemaId(SObjectType type) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(type.Name + "ChangeEvent")))[..22].Replace('+', '-').Replace('/', '_');

    /// <summary>What one Outbound Message needs at send time: endpoint, ids, and the current field values of each record.</summary>
    public OutboundBatch? PrepareOutbound(long generation, string orgId, string ruleId, IReadOnlyList<(string NotificationId, string RecordId)> notifications)
    {
        lock (_gate)
        {
            if (generation != Generation)
                return null;
            var org = FindOrg(orgId);
            var rule = org?.OutboundMessages.FirstOrDefault(r => r.Id == ruleId);
            if (org is null || rule is null)
                return null;
            var items = new List<OutboundNotification>();
            foreach (var (notificationId, recordId) in notifications)
            {
                var fields = new List<(string, string)>();
                // Only the latest values are sent; a record deleted meanwhile is sent with its Id only.
                if (FindRecord(org, Schema.Opportunity, recordId) is { } record)
                {
                    foreach (var name in rule.Fields)
                    {
                        var field = Schema.Opportunity.Field(name)!;
                        if (record.Get(field.Name) is { } value)
                            fields.Add((field.Name, FieldValues.ForSoap(field, value)));
                    }
                }
                else
                {
                    fields.Add(("Id", recordId));
                }
                items.Add(new OutboundNotification(notificationId, rule.SObject, fields));
            }
            var instance = string.IsNullOrEmpty(org.InstanceUrl) ? "http://127.0.0.1:8093" : org.InstanceUrl;
            return new OutboundBatch(rule.EndpointUrl, org.OrgId, rule.Id,
                $"{instance}/services/Soap/c/60.0/{org.OrgId[..15]}", $"{instance}/services/Soap/u/60.0/{org.OrgId[..15]}", items);
        }
    }

    /// <summary>The current endpoint of an org's change events, or null when they were turned off or the org is gone.</summary>
    public string? ChangeEventEndpoint(long generation, string orgId)
    {
        lock (_gate)
            return generation == Generation ? FindOrg(orgId)?.ChangeEvents?.EndpointUrl : null;
    }
}
