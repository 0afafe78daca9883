namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>The credit memo exists in QuickBooks and is applied to the invoice.</summary>
public sealed record CreditMemoPosted : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid CreditMemoId { get; init; }
    public required Guid InvoiceId { get; init; }
    /// <summary>QuickBooks CreditMemo.Id.</summary>
    public required string AccountingCreditMemoId { get; init; }
    public required string AccountingInvoiceId { get; init; }
    public required string DocNumber { get; init; }
    /// <summary>The credit memo's total.</summary>
    public decimal Amount { get; init; }
    /// <summary>How much of it was applied to the invoice (at most what the invoice still owed).</summary>
    public decimal AppliedAmount { get; init; }
    /// <summary>Credit left on the customer's account in QuickBooks when the invoice owed less than the credit.</summary>
    public decimal UnappliedCredit { get; init; }
    /// <summary>The invoice's balance in QuickBooks after the credit.</summary>
    public decimal InvoiceBalance { get; init; }
    /// <summary>The zero-amount QuickBooks Payment that links the credit memo to the invoice, when anything was applied.</summary>
    public string? AccountingPaymentId { get; init; }
    public bool WriteOff { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}
