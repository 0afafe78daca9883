namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>The invoice facts written back to a CRM deal (HubSpot) or Opportunity (Salesforce); a null member is left as it is in the CRM.</summary>
public sealed record InvoiceWriteBack(string? InvoiceNumber, string? Status, decimal? BalanceDue, DateOnly? PaidDate)
{
    public bool IsEmpty => InvoiceNumber is null && Status is null && BalanceDue is null && PaidDate is null;
}
