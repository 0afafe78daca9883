using System.Globalization;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// A HubSpot burst limit: <see cref="Max"/> requests per <see cref="Interval"/> for one app and portal. HubSpot's plans
/// differ (100, 150 or 190 per 10 s for private apps, more with the API add-on), and every answer reports the one that
/// applies in <c>X-HubSpot-RateLimit-Max</c> and <c>X-HubSpot-RateLimit-Interval-Milliseconds</c>; the budget is split
/// between the reads of intake and the write-back so that neither starves the other.
/// </summary>
public sealed record HubSpotRateLimit(int Max, TimeSpan Interval)
{
    /// <summary>The lowest plan's limit: what is assumed before HubSpot has said otherwise.</summary>
    public static readonly HubSpotRateLimit Default = new(100, TimeSpan.FromSeconds(10));

    /// <summary>The limit an answer reports, or null when its headers are missing or make no sense.</summary>
    public static HubSpotRateLimit? FromHeaders(string? max, string? intervalMilliseconds)
    {
        if (!int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) || m <= 0 ||
            !long.TryParse(intervalMilliseconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || ms <= 0 || ms > 3_600_000)
            return null;
        return new HubSpotRateLimit(m, TimeSpan.FromMilliseconds(ms));
    }

    /// <summary>
    /// The write-back's share of the limit (at least one request per interval, and never all of it when there are two or
    /// more), and the reads' share: the rest.
    /// </summary>
    public (int Reads, int Writes) Split(decimal writeShare)
    {
        if (writeShare is < 0m or > 1m)
            throw new ArgumentOutOfRangeException(nameof(writeShare), writeShare, "The write-back's share is a fraction between 0 and 1.");
        if (Max == 1)
            return (1, 1);
        var writes = (int)Math.Round(Max * writeShare, MidpointRounding.AwayFromZero);
        writes = Math.Clamp(writes, 1, Max - 1);
        return (Max - writes, writes);
    }
}
