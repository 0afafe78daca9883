namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// The customer segment a deal is reported under (reporting's days-to-pay by segment). Optional: a deal without one is
/// reported as unsegmented. Pure.
/// </summary>
public static class DealSegment
{
    /// <summary>The HubSpot deal property that holds it.</summary>
    public const string HubSpotProperty = "q2c_segment";

    /// <summary>The Salesforce Opportunity field that holds it; read only when the org has it (describe decides).</summary>
    public const string SalesforceField = "Q2C_Segment__c";

    /// <summary>Longer values are cut: a segment is a label, not a description.</summary>
    public const int MaxLength = 100;

    /// <summary>The value trimmed, inner whitespace runs made one space, cut to <see cref="MaxLength"/>; null when blank.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var collapsed = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return collapsed.Length <= MaxLength ? collapsed : collapsed[..MaxLength].TrimEnd();
    }
}
