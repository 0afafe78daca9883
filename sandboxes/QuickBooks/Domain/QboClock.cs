using System.Globalization;

namespace QuoteToCash.Sandbox.QuickBooks.Domain;

/// <summary>Now, in the company's time zone, and QBO's timestamp formats.</summary>
public sealed class QboClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeProvider TimeProvider { get; } = time;

    public DateTimeOffset UtcNow => TimeProvider.GetUtcNow();

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(TimeProvider.GetUtcNow(), zone);

    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>MetaData.CreateTime / LastUpdatedTime: <c>2015-07-24T10:33:39-07:00</c>.</summary>
    public string MetaTime(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The envelope's "time": <c>2015-07-24T10:33:39.123-07:00</c>.</summary>
    public string ResponseTime() => Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>Today's date in the company (TxnDate default).</summary>
    public string Today() => Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>Parses the timestamps clients send: ISO 8601 with or without offset, or a bare date.</summary>
    public bool TryParseTimestamp(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        // A '+' offset that was not URL-encoded arrives as a space: "2024-01-01T10:00:00 02:00".
        if (text.Length > 19 && text[19] == ' ')
            text = string.Concat(text.AsSpan(0, 19), "+", text.AsSpan(20));
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = date.ToDateTime(TimeOnly.MinValue);
            instant = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
            return true;
        }
        if (!text.Contains('T'))
            return false;
        var hasOffset = text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant))
            return false;
        if (!hasOffset)
        {
            // No offset: the company's local time.
            var local = DateTime.SpecifyKind(instant.DateTime, DateTimeKind.Unspecified);
            instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        return true;
    }
}
