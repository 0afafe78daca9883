using System.Globalization;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>Service periods as an invoice line shows them: "1–31 Mar 2026", "15 Mar – 14 Apr 2026", "15 Dec 2025 – 14 Jan 2026".</summary>
internal static class ServicePeriod
{
    public static string? Describe(DateOnly? from, DateOnly? to)
    {
        var culture = CultureInfo.InvariantCulture;
        return (from, to) switch
        {
            (null, null) => null,
            ({ } f, null) => "from " + f.ToString("d MMM yyyy", culture),
            (null, { } t) => "until " + t.ToString("d MMM yyyy", culture),
            ({ } f, { } t) when f == t => f.ToString("d MMM yyyy", culture),
            ({ } f, { } t) when f > t => f.ToString("d MMM yyyy", culture) + " – " + t.ToString("d MMM yyyy", culture),
            ({ } f, { } t) when f.Year == t.Year && f.Month == t.Month => f.ToString("%d", culture) + "–" + t.ToString("d MMM yyyy", culture),
            ({ } f, { } t) when f.Year == t.Year => f.ToString("d MMM", culture) + " – " + t.ToString("d MMM yyyy", culture),
            ({ } f, { } t) => f.ToString("d MMM yyyy", culture) + " – " + t.ToString("d MMM yyyy", culture),
        };
    }
}
