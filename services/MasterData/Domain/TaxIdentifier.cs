namespace QuoteToCash.MasterData.Domain;

/// <summary>Tax IDs leave the service masked: enough to recognise one, never enough to use it.</summary>
public static class TaxIdentifier
{
    public const char MaskCharacter = '•';

    /// <summary>The last four letters or digits behind four mask characters ("••••6789"); null stays null.</summary>
    public static string? Mask(string? taxId)
    {
        if (string.IsNullOrWhiteSpace(taxId))
            return null;
        var significant = taxId.Where(char.IsLetterOrDigit).ToArray();
        var visible = significant.Length > 4 ? new string(significant[^4..]) : string.Empty;
        return new string(MaskCharacter, 4) + visible;
    }
}
