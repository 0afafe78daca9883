namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// Command to accounting-sync: credit all or part of a posted invoice in QuickBooks, exactly once per
/// <see cref="CreditMemoId"/>. A credit memo is created for the customer and applied to the invoice (QuickBooks links
/// the two through a zero-amount payment), so the invoice's balance drops. A write-off books every line to the
/// tenant's bad-debt item (an accounting-sync setting, <c>PUT /api/accounting/{tenant}/adjustment-settings</c>).
/// Answered with <see cref="CreditMemoPosted"/> or <see cref="AdjustmentFailed"/>.
/// </summary>
public sealed record PostCreditMemo : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    /// <summary>Stable ID of this credit; the QuickBooks requestids derive from it.</summary>
    public required Guid CreditMemoId { get; init; }
    /// <summary>The platform's invoice being credited.</summary>
    public required Guid InvoiceId { get; init; }
    /// <summary>The QuickBooks Invoice.Id; when null, the invoice accounting-sync posted for <see cref="InvoiceId"/>.</summary>
    public string? AccountingInvoiceId { get; init; }
    /// <summary>The QuickBooks customer ID (it must be the invoice's customer).</summary>
    public required string CustomerRef { get; init; }
    public required string Currency { get; init; }
    /// <summary>What is credited; amounts are positive and already rounded.</summary>
    public required IReadOnlyList<InvoiceLine> Lines { get; init; }
    /// <summary>Why, in finance's words; it heads the credit memo's private note.</summary>
    public required string Reason { get; init; }
    /// <summary>Bad debt written off rather than a credit for the customer: the lines go to the bad-debt item.</summary>
    public bool WriteOff { get; init; }
    public string? PrivateNote { get; init; }
    /// <summary>The credit memo number; null lets QuickBooks number it.</summary>
    public string? DocNumber { get; init; }
}
