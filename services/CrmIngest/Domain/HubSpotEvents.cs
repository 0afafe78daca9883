using System.Globalization;
using System.Text.Json;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>One event of a HubSpot webhook batch.</summary>
public sealed record HubSpotEvent(
    long EventId,
    long SubscriptionId,
    long PortalId,
    long AppId,
    long OccurredAt,
    string SubscriptionType,
    int AttemptNumber,
    long ObjectId,
    string? PropertyName,
    string? PropertyValue,
    string? ChangeSource,
    string? SourceId)
{
    /// <summary>HubSpot says eventId alone is not unique: the identity is (eventId, subscriptionId, occurredAt, objectId).</summary>
    public string Identity => string.Create(CultureInfo.InvariantCulture, $"hubspot:{PortalId}:{EventId}:{SubscriptionId}:{OccurredAt}:{ObjectId}");

    /// <summary>"deal", "company", "contact", …</summary>
    public string ObjectType => SubscriptionType.Split('.')[0];
}

public static class HubSpotEvents
{
    public const int MaxEventsPerRequest = 100;

    /// <summary>Parses a webhook body: a JSON array of 1–100 events. Throws <see cref="FormatException"/> for anything else.</summary>
    public static IReadOnlyList<HubSpotEvent> Parse(ReadOnlySpan<byte> body)
    {
        // The JSON reader only notices bad UTF-8 inside a string when the string is read, long after the batch looked fine.
        if (!System.Text.Unicode.Utf8.IsValid(body))
            throw new FormatException("The body is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException exception)
        {
            throw new FormatException("The body is not JSON.", exception);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new FormatException("HubSpot sends a JSON array of events.");
            var count = document.RootElement.GetArrayLength();
            if (count is 0 or > MaxEventsPerRequest)
                throw new FormatException($"A delivery carries 1 to {MaxEventsPerRequest} events, not {count}.");
            try
            {
                return document.RootElement.EnumerateArray().Select(ParseEvent).ToList();
            }
            catch (InvalidOperationException exception)
            {
                // Valid JSON can still escape half a UTF-16 pair ("\ud800"), which no string can hold: the reader throws on it.
                throw new FormatException("A string in the batch is not valid text (an escaped lone surrogate).", exception);
            }
        }
    }

    private static HubSpotEvent ParseEvent(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new FormatException("Each event is a JSON object.");
        return new HubSpotEvent(
            Long(e, "eventId", required: true), Long(e, "subscriptionId", required: true), Long(e, "portalId", required: true), Long(e, "appId"),
            Timestamp(e, "occurredAt"), Text(e, "subscriptionType") ?? throw new FormatException("An event lacks subscriptionType."),
            (int)Math.Clamp(Long(e, "attemptNumber"), 0, int.MaxValue), Long(e, "objectId", required: true), Text(e, "propertyName"), Text(e, "propertyValue"),
            Text(e, "changeSource"), Text(e, "sourceId"));
    }

    /// <summary>The earliest and latest instants a Unix time in milliseconds may name (what <see cref="DateTimeOffset"/> can hold).</summary>
    private static readonly long LatestUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>A required Unix time in milliseconds that is a real instant after 1970 (9e18 is a number, not a time).</summary>
    private static long Timestamp(JsonElement e, string name)
    {
        var value = Long(e, name, required: true);
        return value is > 0 && value <= LatestUnixMilliseconds
            ? value
            : throw new FormatException($"{name} is not a time in milliseconds since 1970.");
    }

    private static long Long(JsonElement e, string name, bool required = false)
    {
        if (!e.TryGetProperty(name, out var value))
            return required ? throw new FormatException($"An event lacks {name}.") : 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new FormatException($"{name} is not a number."),
        };
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => value.GetRawText(),
        } : null;
}
