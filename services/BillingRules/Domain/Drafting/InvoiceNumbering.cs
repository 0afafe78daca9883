using System.Globalization;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>Invoice numbers (QuickBooks' DocNumber) under a tenant's <see cref="NumberingPolicy"/>.</summary>
public static class InvoiceNumbering
{
    /// <summary>QuickBooks refuses a DocNumber longer than this.</summary>
    public const int MaxLength = 21;

    /// <summary>
    /// The DocNumber of invoice <paramref name="number"/>: prefix + the number padded to <see cref="NumberingPolicy.Digits"/>
    /// ("INV-" and 42 → "INV-00042"); null in <see cref="NumberingMode.QuickBooks"/> mode, where QuickBooks numbers it.
    /// A number below 1, or a result longer than QuickBooks' 21 characters, is refused.
    /// </summary>
    public static string? Format(NumberingPolicy policy, long number)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Mode == NumberingMode.QuickBooks)
            return null;
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var digits = Math.Clamp(policy.Digits, 1, MaxLength);
        var formatted = (policy.Prefix ?? string.Empty).Trim() + number.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (formatted.Length > MaxLength)
            throw new ArgumentException(
                $"Invoice number \"{formatted}\" has {formatted.Length} characters; QuickBooks allows {MaxLength}. Shorten the prefix or the digits.",
                nameof(policy));
        return formatted;
    }
}
