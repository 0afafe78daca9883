using System.Globalization;
using System.Text.RegularExpressions;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Reads payment terms the way finance writes them and turns them into a due date: "Net 30", "Net 15", "Net 60",
/// "Due on receipt", "Net 30 EOM", "EOM", "2% 10 Net 30" (or "2/10 Net 30": an early-payment discount, due in 30).
/// Case and spacing do not matter. Terms it cannot read have no net days, and their due date follows the standard
/// Net 30, so an invoice is never left without one.
/// </summary>
public static partial class PaymentTermsRules
{
    /// <summary>The net days used when terms are missing or unreadable.</summary>
    public const int StandardNetDays = 30;

    /// <summary>
    /// The days after which the invoice is due: 0 for "Due on receipt", N for "Net N". For end-of-month terms the
    /// days are counted from the end of the invoice's month ("Net 30 EOM" → 30, "EOM" → 0). Null for terms it
    /// cannot read, and for none.
    /// </summary>
    public static int? NetDays(string? terms) => Parse(terms)?.Days;

    /// <summary>True for terms counted from the end of the invoice's month ("EOM", "Net 30 EOM").</summary>
    public static bool IsEndOfMonth(string? terms) => Parse(terms)?.EndOfMonth ?? false;

    /// <summary>True when the terms can be read (see <see cref="NetDays"/>).</summary>
    public static bool IsRecognised(string? terms) => Parse(terms) is not null;

    /// <summary>
    /// The due date of an invoice dated <paramref name="invoiceDate"/>: "Net 30" → 30 days later; "Net 30 EOM" → 30
    /// days after the last day of the invoice's month; "EOM" → the last day of the invoice's month; "Due on receipt" →
    /// the invoice date; missing or unreadable terms → Net 30.
    /// </summary>
    public static DateOnly DueDate(DateOnly invoiceDate, string? terms)
    {
        var parsed = Parse(terms);
        if (parsed is null)
            return invoiceDate.AddDays(StandardNetDays);
        var from = parsed.EndOfMonth
            ? new DateOnly(invoiceDate.Year, invoiceDate.Month, DateTime.DaysInMonth(invoiceDate.Year, invoiceDate.Month))
            : invoiceDate;
        return from.AddDays(parsed.Days);
    }

    private sealed record ParsedTerms(int Days, bool EndOfMonth);

    private static ParsedTerms? Parse(string? terms)
    {
        if (string.IsNullOrWhiteSpace(terms))
            return null;
        var text = Whitespace().Replace(terms.Trim(), " ").ToLowerInvariant();
        if (text is "due on receipt" or "due upon receipt" or "on receipt" or "upon receipt" or "receipt")
            return new ParsedTerms(0, EndOfMonth: false);
        if (text is "eom" or "net eom" or "due eom" or "due end of month" or "end of month")
            return new ParsedTerms(0, EndOfMonth: true);
        var match = NetTerms().Match(text);
        if (!match.Success)
            return null;
        if (!int.TryParse(match.Groups["days"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            return null;
        return new ParsedTerms(days, EndOfMonth: match.Groups["eom"].Success);
    }

    // Optional early-payment discount ("2% 10", "2/10", "2% 10 days,"), then "net 30" / "net30" / "net-30" / "30 days",
    // optional "days", optional "eom".
    [GeneratedRegex(@"^(?:\d+(?:\.\d+)?\s?(?:%|/)\s?\d+(?:\s?days?)?\s?,?\s)?(?:net\s?-?\s?(?<days>\d{1,4})|(?<days>\d{1,4})\s?days?)(?:\s?days?)?(?:\s?(?<eom>eom|end of month))?$", RegexOptions.CultureInvariant)]
    private static partial Regex NetTerms();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
