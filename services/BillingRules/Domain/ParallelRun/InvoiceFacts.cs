namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// An invoice as the parallel run compares it, whether drafted by the platform or made by hand in QuickBooks.
/// <see cref="Reference"/> is its DocNumber, or for a draft without one the platform's key.
/// </summary>
public sealed record InvoiceFacts(string CustomerRef, DateOnly Date, decimal Total, IReadOnlyList<InvoiceLineFacts> Lines, string? Reference);
