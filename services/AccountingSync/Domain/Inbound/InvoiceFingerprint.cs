using System.Globalization;
using System.Text;

namespace QuoteToCash.AccountingSync.Domain.Inbound;

/// <summary>
/// What finance would call "the invoice" as the platform posted it, and nothing QuickBooks changes on its own: the customer,
/// the invoice and due dates, the sales lines (item, amount, quantity, in line order) and the total. A payment or a credit
/// memo applied to the invoice changes its balance and SyncToken, never these, so our own writes are not edits; an edit by
/// someone working in QuickBooks changes at least one of them.
/// </summary>
public sealed record InvoiceFingerprint
{
    public string? CustomerRef { get; init; }
    public DateOnly? TxnDate { get; init; }
    public DateOnly? DueDate { get; init; }
    public List<FingerprintLine> Lines { get; init; } = [];
    public decimal Total { get; init; }

    /// <summary>One canonical string per distinct fingerprint, so the same edited state seen again is recognised.</summary>
    public string Key()
    {
        var builder = new StringBuilder();
        builder.Append(CustomerRef).Append('|').Append(Date(TxnDate)).Append('|').Append(Date(DueDate)).Append('|').Append(Amount(Total));
        foreach (var line in Lines)
            builder.Append('|').Append(line.ItemRef).Append(';').Append(Amount(line.Amount)).Append(';').Append(line.Quantity is { } q ? Amount(q) : "");
        return builder.ToString();
    }

    /// <summary>
    /// What differs between the invoice as posted (this) and as QuickBooks holds it now, field by field, in the order finance
    /// reads an invoice. Amounts compare to the cent; an item or quantity the platform did not send is not compared.
    /// </summary>
    public IReadOnlyList<InvoiceEdit> EditsIn(InvoiceFingerprint now)
    {
        var edits = new List<InvoiceEdit>();
        if (!string.Equals(CustomerRef, now.CustomerRef, StringComparison.Ordinal))
            edits.Add(new InvoiceEdit(InvoiceEditField.Customer, null, CustomerRef, now.CustomerRef));
        if (TxnDate != now.TxnDate)
            edits.Add(new InvoiceEdit(InvoiceEditField.InvoiceDate, null, Date(TxnDate), Date(now.TxnDate)));
        if (DueDate != now.DueDate)
            edits.Add(new InvoiceEdit(InvoiceEditField.DueDate, null, Date(DueDate), Date(now.DueDate)));
        if (Round(Total) != Round(now.Total))
            edits.Add(new InvoiceEdit(InvoiceEditField.Total, null, Amount(Total), Amount(now.Total)));
        if (Lines.Count != now.Lines.Count)
            edits.Add(new InvoiceEdit(InvoiceEditField.LineCount, null, Lines.Count.ToString(CultureInfo.InvariantCulture),
                now.Lines.Count.ToString(CultureInfo.InvariantCulture)));
        for (var i = 0; i < Math.Min(Lines.Count, now.Lines.Count); i++)
        {
            var (posted, current) = (Lines[i], now.Lines[i]);
            if (posted.ItemRef is not null && !string.Equals(posted.ItemRef, current.ItemRef, StringComparison.Ordinal))
                edits.Add(new InvoiceEdit(InvoiceEditField.LineItem, i + 1, posted.ItemRef, current.ItemRef));
            if (Round(posted.Amount) != Round(current.Amount))
                edits.Add(new InvoiceEdit(InvoiceEditField.LineAmount, i + 1, Amount(posted.Amount), Amount(current.Amount)));
            if (posted.Quantity is { } quantity && quantity != current.Quantity)
                edits.Add(new InvoiceEdit(InvoiceEditField.LineQuantity, i + 1, Amount(quantity), current.Quantity is { } q ? Amount(q) : null));
        }
        return edits;
    }

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static string Amount(decimal amount) => Round(amount).ToString("0.00##", CultureInfo.InvariantCulture);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A sales line as the fingerprint keeps it.</summary>
public sealed record FingerprintLine
{
    public string? ItemRef { get; init; }
    public decimal Amount { get; init; }
    public decimal? Quantity { get; init; }
}

public enum InvoiceEditField
{
    Customer,
    InvoiceDate,
    DueDate,
    Total,
    LineCount,
    LineItem,
    LineAmount,
    LineQuantity,
}

/// <summary>One field that differs: its value as posted and as QuickBooks holds it now (invariant text: amounts, dates, IDs).</summary>
public sealed record InvoiceEdit(InvoiceEditField Field, int? Line, string? Posted, string? Now)
{
    /// <summary>The change in finance's words, e.g. "total 4200.00 → 3900.00" or "line 2 amount 150.00 → 120.00".</summary>
    public string Describe()
    {
        var what = Field switch
        {
            InvoiceEditField.Customer => "customer",
            InvoiceEditField.InvoiceDate => "invoice date",
            InvoiceEditField.DueDate => "due date",
            InvoiceEditField.Total => "total",
            InvoiceEditField.LineCount => "number of lines",
            InvoiceEditField.LineItem => $"line {Line} product/service",
            InvoiceEditField.LineAmount => $"line {Line} amount",
            _ => $"line {Line} quantity",
        };
        return $"{what} {Posted ?? "(none)"} → {Now ?? "(none)"}";
    }
}
