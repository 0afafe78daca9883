using QuoteToCash.Reporting.Domain.ReadModels;
using static QuoteToCash.Reporting.Domain.Kpis.Money;

namespace QuoteToCash.Reporting.Domain.Kpis;

/// <summary>
/// Day-by-day totals of a set of invoices, built in one pass and kept with the tenant's cached read models: receivables, invoiced,
/// voided, credited, written off, cash received and amounts falling due, each as a running sum, so any range's figure is two lookups
/// instead of a scan of every invoice.
/// </summary>
public sealed class Ledger
{
    private readonly int _firstDay;
    private readonly decimal[] _receivables;
    private readonly decimal[] _invoiced;
    private readonly decimal[] _voided;
    private readonly decimal[] _credited;
    private readonly decimal[] _writtenOff;
    private readonly decimal[] _cash;
    private readonly decimal[] _falling;

    public Ledger(IEnumerable<InvoiceFact> invoices)
    {
        var list = invoices.ToList();
        var days = list.SelectMany(Days).DefaultIfEmpty(DateOnly.FromDayNumber(0).DayNumber).ToList();
        _firstDay = days.Min() - 1;
        var length = days.Max() - _firstDay + 2;
        (_receivables, _invoiced, _voided, _credited, _writtenOff, _cash, _falling) =
            (new decimal[length], new decimal[length], new decimal[length], new decimal[length], new decimal[length], new decimal[length], new decimal[length]);
        foreach (var invoice in list)
            Add(invoice);
        foreach (var series in new[] { _receivables, _invoiced, _voided, _credited, _writtenOff, _cash, _falling })
            for (var i = 1; i < series.Length; i++)
                series[i] += series[i - 1];
    }

    private static IEnumerable<int> Days(InvoiceFact invoice)
    {
        if (invoice.InvoiceDate is { } date)
            yield return date.DayNumber;
        if (invoice.DueDate is { } due)
            yield return due.DayNumber;
        if (invoice.VoidedAt is { } voided)
            yield return Day(voided).DayNumber;
        foreach (var p in invoice.Payments)
            yield return Day(p.At).DayNumber;
        foreach (var r in invoice.Reversals)
            yield return Day(r.At).DayNumber;
        foreach (var c in invoice.Credits)
            yield return Day(c.At).DayNumber;
    }

    private int Index(int dayNumber) => dayNumber - _firstDay;

    private void Add(InvoiceFact invoice)
    {
        foreach (var p in invoice.Payments)
            _cash[Index(Day(p.At).DayNumber)] += p.Amount;
        foreach (var r in invoice.Reversals)
            _cash[Index(Day(r.At).DayNumber)] -= r.Amount;
        if (!IsReceivable(invoice))
            return;
        var date = invoice.InvoiceDate!.Value.DayNumber;
        _invoiced[Index(date)] += invoice.Total;
        int? voidDay = invoice.VoidedAt is { } v ? Day(v).DayNumber : null;
        if (voidDay is { } vd)
            _voided[Index(vd)] += invoice.Total;
        foreach (var c in invoice.Credits)
            (c.WriteOff ? _writtenOff : _credited)[Index(Day(c.At).DayNumber)] += c.Applied;
        if (invoice.VoidedAt is null && invoice.DueDate is { } due)
            _falling[Index(due.DayNumber)] += invoice.Total - invoice.Credits.Sum(c => c.Applied);

        // The balance as Money.BalanceAt sees it (never below zero, nothing once voided), written as its changes.
        var movements = invoice.Payments.Select(p => (Day: Day(p.At).DayNumber, Delta: -p.Amount))
            .Concat(invoice.Reversals.Select(r => (Day: Day(r.At).DayNumber, Delta: r.Amount)))
            .Concat(invoice.Credits.Select(c => (Day: Day(c.At).DayNumber, Delta: -c.Applied)))
            .GroupBy(m => Math.Max(m.Day, date)).OrderBy(g => g.Key);
        var raw = invoice.Total;
        var balance = 0m;
        var started = false;
        foreach (var day in movements)
        {
            if (!started && day.Key > date)
                Step(date, ref balance, raw);
            started = true;
            if (voidDay is { } stop && day.Key >= stop)
                break;
            raw += day.Sum(m => m.Delta);
            Step(day.Key, ref balance, raw);
        }
        if (!started)
            Step(date, ref balance, raw);
        if (voidDay is { } end)
            _receivables[Index(Math.Max(end, date))] -= balance;

        void Step(int day, ref decimal current, decimal rawBalance)
        {
            var next = rawBalance > 0m ? rawBalance : 0m;
            _receivables[Index(day)] += next - current;
            current = next;
        }
    }

    private decimal At(decimal[] running, DateOnly day)
    {
        var i = Index(day.DayNumber);
        return i < 0 ? 0m : running[Math.Min(i, running.Length - 1)];
    }

    private decimal Between(decimal[] running, DateOnly from, DateOnly to) => from > to ? 0m : At(running, to) - At(running, from.AddDays(-1));

    /// <summary>Open receivables at the end of the day.</summary>
    public decimal ReceivablesAt(DateOnly day) => At(_receivables, day);

    /// <summary>Credit sales: invoiced − voided − credit memos (not write-offs) between the two days.</summary>
    public decimal SalesIn(DateOnly from, DateOnly to) => Between(_invoiced, from, to) - Between(_voided, from, to) - Between(_credited, from, to);

    public decimal InvoicedIn(DateOnly from, DateOnly to) => Between(_invoiced, from, to);

    public decimal VoidedIn(DateOnly from, DateOnly to) => Between(_voided, from, to);

    public decimal CreditedIn(DateOnly from, DateOnly to) => Between(_credited, from, to);

    public decimal WrittenOffIn(DateOnly from, DateOnly to) => Between(_writtenOff, from, to);

    /// <summary>Cash received (net of reversals) between the two days.</summary>
    public decimal CashIn(DateOnly from, DateOnly to) => Between(_cash, from, to);

    /// <summary>Invoiced amounts (net of credits, voids left out) falling due between the two days.</summary>
    public decimal FallingDueIn(DateOnly from, DateOnly to) => Between(_falling, from, to);
}
