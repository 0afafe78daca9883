using System.Globalization;
using QuoteToCash.Contracts;

namespace QuoteToCash.AccountingSync.Domain;

/// <summary>
/// The QuickBooks Employee a CRM person's time is recorded for: the display name (cleaned as for customers, since
/// QuickBooks refuses colons, tabs and line breaks in names), the given and family names QuickBooks requires (at least
/// one), the deterministic suffix used when the name is taken by a customer or vendor, and the time in whole hours and
/// minutes as QuickBooks records it. Pure.
/// </summary>
public static class EmployeeNames
{
    public const int MaxNamePartLength = 100;

    /// <summary>The employee's person name parts: "Priya Shah" → (Priya, null, Shah); "Priya Anjali Shah" → (Priya, Anjali, Shah); "Cher" → (Cher, null, null).</summary>
    public static (string Given, string? Middle, string? Family) Split(string displayName)
    {
        var parts = displayName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            throw new ArgumentException("A person needs a name.", nameof(displayName));
        if (parts.Length == 1)
            return (Part(parts[0])!, null, null);
        var middle = parts.Length > 2 ? Part(string.Join(' ', parts[1..^1])) : null;
        return (Part(parts[0])!, middle, Part(parts[^1]));
    }

    /// <summary>The name when the plain one is used by a customer or vendor: "Priya Shah (Q2C 1a2b)", the same for the same tenant and person every time.</summary>
    public static string WithSuffix(string tenantId, string displayName) =>
        CustomerNames.WithSuffix(displayName, DeterministicId.Create("qbo-employee-name", tenantId, Key(displayName)));

    /// <summary>How a person is remembered per tenant: trimmed, single-spaced and without regard to case, as QuickBooks compares names.</summary>
    public static string Key(string displayName) =>
        string.Join(' ', displayName.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    /// <summary>Decimal hours as QuickBooks' whole Hours and Minutes, to the nearest minute: 3.75 → (3, 45); 0.33 → (0, 20).</summary>
    public static (int Hours, int Minutes) Duration(decimal hours)
    {
        if (hours < 0)
            throw new ArgumentOutOfRangeException(nameof(hours), hours, "Time worked cannot be negative.");
        var minutes = (long)Math.Round(hours * 60m, MidpointRounding.AwayFromZero);
        return ((int)(minutes / 60), (int)(minutes % 60));
    }

    /// <summary>"3.75" → "3:45": how finance reads a duration.</summary>
    public static string Format(decimal hours)
    {
        var (h, m) = Duration(hours);
        return h.ToString(CultureInfo.InvariantCulture) + ":" + m.ToString("00", CultureInfo.InvariantCulture);
    }

    private static string? Part(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= MaxNamePartLength ? text : text[..MaxNamePartLength].TrimEnd();
}
