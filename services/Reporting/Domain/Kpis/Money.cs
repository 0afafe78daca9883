using QuoteToCash.Reporting.Domain.ReadModels;

namespace QuoteToCash.Reporting.Domain.Kpis;

/// <summary>The arithmetic every KPI shares: an invoice's balance on a day, cash in a range, sales in a range, percentiles.</summary>
public static class Money
{
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    public static DateOnly MonthStart(DateOnly day) => new(day.Year, day.Month, 1);

    public static DateOnly MonthEnd(DateOnly day) => MonthStart(day).AddMonths(1).AddDays(-1);

    /// <summary>Posted to the books with an invoice date: only such invoices are receivables or sales.</summary>
    public static bool IsReceivable(InvoiceFact invoice) => invoice.PostedAt is not null && invoice.InvoiceDate is not null;

    public static bool VoidedBy(InvoiceFact invoice, DateOnly day) => invoice.VoidedAt is { } v && Day(v) <= day;

    /// <summary>What the customer owes at the end of <paramref name="day"/>: total − payments + reversals − applied credits, all dated on or before it.</summary>
    public static decimal BalanceAt(InvoiceFact invoice, DateOnly day)
    {
        if (!IsReceivable(invoice) || invoice.InvoiceDate > day || VoidedBy(invoice, day))
            return 0m;
        var balance = invoice.Total;
        foreach (var p in invoice.Payments)
            if (Day(p.At) <= day)
                balance -= p.Amount;
        foreach (var r in invoice.Reversals)
            if (Day(r.At) <= day)
                balance += r.Amount;
        foreach (var c in invoice.Credits)
            if (Day(c.At) <= day)
                balance -= c.Applied;
        return balance > 0m ? balance : 0m;
    }

    /// <summary>Cash received for the invoice between the two days (inclusive), net of reversals in that range.</summary>
    public static decimal CashIn(InvoiceFact invoice, DateOnly from, DateOnly to)
    {
        var cash = 0m;
        foreach (var p in invoice.Payments)
            if (Day(p.At) is var d && d >= from && d <= to)
                cash += p.Amount;
        foreach (var r in invoice.Reversals)
            if (Day(r.At) is var d && d >= from && d <= to)
                cash -= r.Amount;
        return cash;
    }

    /// <summary>Applied credit memos (write-offs only when asked) dated between the two days.</summary>
    public static decimal CreditsIn(InvoiceFact invoice, DateOnly from, DateOnly to, bool writeOffs)
    {
        var sum = 0m;
        foreach (var c in invoice.Credits)
            if (c.WriteOff == writeOffs && Day(c.At) is var d && d >= from && d <= to)
                sum += c.Applied;
        return sum;
    }

    /// <summary>Credit sales between the two days: totals of invoices dated in the range and not voided by its end, less credit memos applied in it.</summary>
    public static decimal SalesIn(IEnumerable<InvoiceFact> invoices, DateOnly from, DateOnly to)
    {
        var sales = 0m;
        foreach (var invoice in invoices)
        {
            if (!IsReceivable(invoice))
                continue;
            if (invoice.InvoiceDate >= from && invoice.InvoiceDate <= to && !VoidedBy(invoice, to))
                sales += invoice.Total;
            sales -= CreditsIn(invoice, from, to, writeOffs: false);
        }
        return sales;
    }

    /// <summary>The day the invoice's balance reached zero, when it is settled by payment (not void) and still is.</summary>
    public static DateOnly? PaidOn(InvoiceFact invoice)
    {
        if (!IsReceivable(invoice) || invoice.VoidedAt is not null || invoice.Total <= 0m || invoice.Payments.Count == 0)
            return null;
        var last = invoice.Payments.Select(p => p.At).Concat(invoice.Credits.Select(c => c.At)).Concat(invoice.Reversals.Select(r => r.At)).Max();
        return BalanceAt(invoice, Day(last)) == 0m ? Day(last) : null;
    }

    /// <summary>Nearest-rank percentile: the smallest value with at least p % of the values at or below it.</summary>
    public static decimal? Percentile(IReadOnlyList<decimal> sorted, int p)
    {
        if (sorted.Count == 0)
            return null;
        var rank = (int)Math.Ceiling(p / 100m * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    public static decimal DaysBetween(DateTimeOffset start, DateTimeOffset end) => (decimal)(end - start).Ticks / TimeSpan.TicksPerDay;

    public static decimal Round2(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    public static decimal? Percent(decimal part, decimal whole) => whole == 0m ? null : Round2(part / whole * 100m);
}
