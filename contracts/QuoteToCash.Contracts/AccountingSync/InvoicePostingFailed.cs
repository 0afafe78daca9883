namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>QuickBooks refused an invoice for a reason a retry cannot fix; finance must act.</summary>
public sealed record InvoicePostingFailed : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    /// <summary>
    /// The platform's error kind, e.g. Validation, NotFound, Authentication; "ClosedPeriod" when the invoice date is in
    /// a period closed in QuickBooks and the command said to hold it; "DuplicateDocNumber" when the number is taken
    /// (the message names it), so the invoice can be asked for again with the next number.
    /// </summary>
    public required string Kind { get; init; }
    public string? Code { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
    /// <summary>The document number that was refused, with Kind "DuplicateDocNumber".</summary>
    public string? DocNumber { get; init; }
    /// <summary>The company's closing date, with Kind "ClosedPeriod".</summary>
    public DateOnly? ClosingDate { get; init; }
}
