using System.Text.RegularExpressions;

namespace QuoteToCash.AccountingSync.Domain.Exceptions;

/// <summary>The CRM deal as "source:externalId", read from what the platform wrote on a QuickBooks record. Pure.</summary>
public static partial class DealReference
{
    [GeneratedRegex(@"deal:(?<source>[A-Za-z0-9_-]+):(?<id>[^\s;,]+)")]
    private static partial Regex DealNote();

    /// <summary>"hubspot:9001" from a private note carrying "deal:hubspot:9001", or null.</summary>
    public static string? FromNote(string? note) =>
        note is not null && DealNote().Match(note) is { Success: true } match ? $"{match.Groups["source"].Value}:{match.Groups["id"].Value}" : null;

    public static string Of(string sourceSystem, string externalDealId) => $"{sourceSystem}:{externalDealId}";
}
