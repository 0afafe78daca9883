namespace QuoteToCash.BillingRules.Domain;

/// <summary>One line of an <see cref="InvoiceFacts"/>: lines are compared by item, or by description when they have no item.</summary>
public sealed record InvoiceLineFacts(string? ItemRef, string Description, decimal Amount);
