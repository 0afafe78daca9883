namespace QuoteToCash.BillingRules.Domain;

/// <summary>What finance does to an invoice after it was posted.</summary>
public enum AdjustmentKind
{
    /// <summary>A credit memo for the customer, full or partial, applied to the invoice.</summary>
    Credit,
    /// <summary>Bad debt: a credit memo booked to the tenant's bad-debt item. Needs a finance manager's approval.</summary>
    WriteOff,
    /// <summary>Money paid back to the customer (a QuickBooks refund receipt), e.g. an overpayment.</summary>
    Refund,
}

public enum AdjustmentStatus
{
    AwaitingApproval,
    Requested,
    Posted,
    Failed,
    Rejected,
}

/// <summary>One credit, write-off or refund of a flow, from request to QuickBooks.</summary>
public sealed class Adjustment
{
    public Guid AdjustmentId { get; set; }
    public AdjustmentKind Kind { get; set; }
    public AdjustmentStatus Status { get; set; }
    public Guid? InvoiceId { get; set; }
    public decimal Amount { get; set; }
    public string Reason { get; set; } = string.Empty;
    public string RequestedBy { get; set; } = string.Empty;
    public DateTime RequestedAt { get; set; }
    public string? PaymentMethod { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? AccountingId { get; set; }
    public string? DocNumber { get; set; }
    /// <summary>For credits: how much QuickBooks applied to the invoice; the rest stays as customer credit.</summary>
    public decimal Applied { get; set; }
    public string? FailureKind { get; set; }
    public string? FailureMessage { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>The rules of adjustments. Pure.</summary>
public static class Adjustments
{
    /// <summary>
    /// The lines of a credit of <paramref name="amount"/> against an invoice: spread over the invoice's lines in
    /// proportion to their amounts (largest remainder, so they add up exactly), each keeping its item, tax code and class.
    /// </summary>
    public static List<DraftLine> CreditLines(InvoiceDraft invoice, decimal amount, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var lines = invoice.Lines.Where(l => l.Amount > 0m).ToList();
        if (lines.Count == 0)
            throw new InvalidOperationException("An invoice without a positive line cannot be credited line by line.");
        var parts = Money.Allocate(Money.Round(amount, invoice.Currency), lines.Select(l => l.Amount).ToList(), invoice.Currency);
        return lines.Select((line, i) => new DraftLine
        {
            Description = $"Credit: {reason} ({line.Description})",
            ItemRef = line.ItemRef,
            ProductKey = line.ProductKey,
            Quantity = 1,
            UnitPrice = parts[i],
            Amount = parts[i],
            TaxCodeRef = line.TaxCodeRef,
            ServiceDate = line.ServiceDate,
            ClassRef = line.ClassRef,
            DepartmentRef = line.DepartmentRef,
        }).Where(l => l.Amount > 0m).ToList();
    }

    /// <summary>
    /// Why a credit or write-off of <paramref name="amount"/> cannot be asked for against the invoice, or null when it can:
    /// the invoice must be in QuickBooks, and credits (with those still on their way) never exceed what it still owes.
    /// </summary>
    public static string? CreditRefusal(InvoiceStatus status, bool posted, decimal balance, decimal pendingCredits, decimal amount, string currency)
    {
        if (!posted || status is InvoiceStatus.Voided)
            return "Only an invoice that is in QuickBooks (and not voided) can be credited.";
        if (amount <= 0m || Money.Round(amount, currency) != amount)
            return $"The amount must be positive and in whole {currency} minor units.";
        var open = balance - pendingCredits;
        return amount > open ? $"The invoice owes {open:0.##} {currency} after credits already asked for; {amount:0.##} is more than that." : null;
    }

    /// <summary>Why a refund cannot be made, or null: refunds pay back what the customer has in credit with us, no more.</summary>
    public static string? RefundRefusal(decimal customerCredit, decimal pendingRefunds, decimal amount, string currency)
    {
        if (amount <= 0m || Money.Round(amount, currency) != amount)
            return $"The amount must be positive and in whole {currency} minor units.";
        var available = customerCredit - pendingRefunds;
        return amount > available ? $"The customer has {available:0.##} {currency} of credit to refund; {amount:0.##} is more than that." : null;
    }
}
