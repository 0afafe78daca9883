using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QuoteToCash.ServiceDefaults.Validation;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>One record touched by a Change Data Capture or Platform Event message.</summary>
public sealed record SalesforceChangeEvent(string Identity, string EntityName, string RecordId, string ChangeType, string? CommitUser, DateTimeOffset? CommittedAt);

/// <summary>
/// Reads CometD-shaped Salesforce messages: Change Data Capture (<c>/data/…ChangeEvent</c>, a
/// ChangeEventHeader naming entity, record IDs, change type, transaction key, sequence and commit user)
/// and Platform Events (<c>/event/…</c>, whose payload names the record in a field ending in
/// <c>Opportunity__c</c>, <c>OpportunityId__c</c> or <c>RecordId__c</c>). Pure.
/// </summary>
public static class SalesforceChangeEvents
{
    public const string SignatureHeader = "X-Q2C-Relay-Signature";
    private static readonly string[] RecordFields = ["RecordId__c", "Record_Id__c", "OpportunityId__c", "Opportunity_Id__c", "Opportunity__c"];

    public static bool SignatureMatches(byte[] body, string? signature, string secret)
    {
        if (string.IsNullOrEmpty(signature))
            return false;
        try
        {
            return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body), Convert.FromBase64String(signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static IReadOnlyList<SalesforceChangeEvent> Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw new FormatException("The body is not JSON.", exception);
        }
        using (document)
        {
            var messages = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
            if (messages.Count == 0)
                throw new FormatException("No events in the body.");
            List<SalesforceChangeEvent> events;
            try
            {
                events = messages.SelectMany(ParseMessage).ToList();
            }
            catch (InvalidOperationException exception)
            {
                // A value of the wrong JSON type somewhere the shape checks below do not name: still the sender's mistake.
                throw new FormatException("A field of the message has the wrong JSON type.", exception);
            }
            // An event's identity becomes the key it is remembered by, so what it is made of must fit the store's keys.
            if (events.Any(e => !InputLimits.IsStorableKey(e.Identity)))
                throw new FormatException($"An event's transactionKey, sequenceNumber, EventUuid, channel, replayId or record ID is too long: together they must fit {InputLimits.MaxKeyLength} characters ({InputLimits.MaxKeyBytes} bytes in UTF-8).");
            return events;
        }
    }

    private static IEnumerable<SalesforceChangeEvent> ParseMessage(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            throw new FormatException("Each message needs data.payload as an object (the CometD shape).");
        var channel = Text(message, "channel") ?? "";
        var evt = data.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var replayId = evt.ValueKind == JsonValueKind.Object && evt.TryGetProperty("replayId", out var replay) && replay.ValueKind is JsonValueKind.Number or JsonValueKind.String
            ? replay.ToString() : null;
        if (payload.TryGetProperty("ChangeEventHeader", out var header))
        {
            if (header.ValueKind != JsonValueKind.Object)
                throw new FormatException("ChangeEventHeader must be an object.");
            var entity = Text(header, "entityName") ?? throw new FormatException("ChangeEventHeader lacks entityName.");
            var changeType = Text(header, "changeType") ?? throw new FormatException("ChangeEventHeader lacks changeType.");
            var transaction = Text(header, "transactionKey") ?? replayId ?? throw new FormatException("ChangeEventHeader lacks transactionKey.");
            var sequence = !header.TryGetProperty("sequenceNumber", out var s) ? "0"
                : s.ValueKind is JsonValueKind.Number or JsonValueKind.String ? s.ToString()
                : throw new FormatException("ChangeEventHeader.sequenceNumber must be a number.");
            var commitUser = Text(header, "commitUser");
            DateTimeOffset? committed = header.TryGetProperty("commitTimestamp", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var ms)
                && ms is >= 0 and <= 253_402_300_799_999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            if (!header.TryGetProperty("recordIds", out var ids) || ids.ValueKind != JsonValueKind.Array)
                throw new FormatException("ChangeEventHeader lacks recordIds.");
            if (ids.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
                throw new FormatException("ChangeEventHeader.recordIds must be an array of strings.");
            foreach (var id in ids.EnumerateArray().Select(i => i.GetString()).Where(i => !string.IsNullOrEmpty(i) && !i.EndsWith('*')))
                yield return new SalesforceChangeEvent($"salesforce-cdc:{transaction}:{sequence}:{id}", entity, id!, changeType, commitUser, committed);
            yield break;
        }
        var field = RecordFields.FirstOrDefault(f => payload.TryGetProperty(f, out _))
                    ?? throw new FormatException($"Platform Event on '{channel}' names no record (expected one of {string.Join(", ", RecordFields)}).");
        var recordId = Text(payload, field) is { Length: > 0 } named ? named : throw new FormatException($"{field} must be a non-empty string.");
        var uuid = evt.ValueKind == JsonValueKind.Object ? Text(evt, "EventUuid") : null;
        DateTimeOffset? created = Text(payload, "CreatedDate") is { } cd && DateTimeOffset.TryParse(cd, CultureInfo.InvariantCulture, out var at) ? at : null;
        yield return new SalesforceChangeEvent($"salesforce-event:{uuid ?? channel + ":" + replayId}:{recordId}", "Opportunity", recordId, "EVENT",
            Text(payload, "CreatedById"), created);
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
