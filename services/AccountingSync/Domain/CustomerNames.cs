namespace QuoteToCash.AccountingSync.Domain;

/// <summary>
/// Display names in QuickBooks: unique across customers, vendors and employees, inactive ones included (fault 6240).
/// When the name is taken by a record the platform cannot link to, the customer gets a deterministic, readable
/// suffix derived from its own ID, so a resend produces the same name and two customers never fight over one. Pure.
/// </summary>
public static class CustomerNames
{
    public const int MaxDisplayNameLength = 500;

    /// <summary>"Contoso Ltd" → "Contoso Ltd (Q2C 4f2a)", the four characters being the start of the customer ID.</summary>
    public static string WithSuffix(string displayName, Guid customerId)
    {
        var suffix = $" (Q2C {customerId.ToString("N")[..4]})";
        var name = displayName.Trim();
        if (name.Length + suffix.Length > MaxDisplayNameLength)
            name = name[..(MaxDisplayNameLength - suffix.Length)].TrimEnd();
        return name + suffix;
    }

    /// <summary>QuickBooks refuses colons, tabs and new lines in names: a colon becomes a dash, the others a space.</summary>
    public static string Clean(string displayName) =>
        string.Join(' ', displayName.Replace(':', '-').Split(['\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()))
            .Trim();
}
