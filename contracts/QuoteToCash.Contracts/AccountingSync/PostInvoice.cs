namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// Command to accounting-sync: create the invoice in the tenant's QuickBooks company, exactly once. Everything a
/// QuickBooks invoice carries can be given; what is left out QuickBooks fills in (the number, the due date from the
/// terms). An invoice that failed can be asked for again (for instance with the next document number): it is posted
/// as a new attempt. One that is queued or posted is not posted twice.
/// </summary>
public sealed record PostInvoice : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required Guid CustomerId { get; init; }
    public string? AccountingCustomerRef { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<InvoiceLine> Lines { get; init; }
    public DateOnly InvoiceDate { get; init; }
    public DateOnly DueDate { get; init; }
    /// <summary>Earlier name of <see cref="PrivateNote"/>; used when PrivateNote is not given.</summary>
    public string? Memo { get; init; }
    /// <summary>The invoice number (at most 21 characters), e.g. the tenant's own sequence; null lets QuickBooks number it.</summary>
    public string? DocNumber { get; init; }
    /// <summary>Finance's note on the invoice, never shown to the customer (QuickBooks PrivateNote, at most 4000 characters).</summary>
    public string? PrivateNote { get; init; }
    /// <summary>The message printed on the invoice for the customer (QuickBooks CustomerMemo).</summary>
    public string? CustomerMemo { get; init; }
    /// <summary>The QuickBooks Term ID; wins over <see cref="PaymentTerms"/>.</summary>
    public string? SalesTermRef { get; init; }
    /// <summary>Payment terms by name ("Net 30"), resolved to the QuickBooks Term of that name.</summary>
    public string? PaymentTerms { get; init; }
    /// <summary>The QuickBooks Class ID of the whole invoice.</summary>
    public string? ClassRef { get; init; }
    /// <summary>The QuickBooks Department (location) ID.</summary>
    public string? DepartmentRef { get; init; }
    /// <summary>The customer's purchase order number; printed on the invoice at the top of the customer memo ("PO: …").</summary>
    public string? PurchaseOrder { get; init; }
    /// <summary>
    /// The tenant bills in sandbox mode: post only into a QuickBooks sandbox company. When the tenant's connection is a
    /// production company the invoice is refused with Kind "NotSandbox" and never reaches those books.
    /// </summary>
    public bool SandboxOnly { get; init; }
    /// <summary>What to do when the invoice date is in a period closed in QuickBooks; null means HoldForFinance.</summary>
    public ClosedBooksPolicy? ClosedBooks { get; init; }
}
