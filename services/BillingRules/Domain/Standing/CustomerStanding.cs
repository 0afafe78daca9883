namespace QuoteToCash.BillingRules.Domain.Standing;

/// <summary>
/// One customer's account standing across all of its flows (deals), kept by billing-rules in its own collection:
/// the standing last announced and, per invoice, whether it is more than 30 days late. Plain settable properties so
/// that it stores as it is in LiteDB and MongoDB.
/// </summary>
public sealed class CustomerStanding
{
    public const string CollectionName = "customer-standings";

    public string TenantId { get; set; } = string.Empty;
    public Guid CustomerId { get; set; }
    /// <summary>The customer's CRM company as "source:externalId"; the latest an invoice named.</summary>
    public string CrmCompanyRef { get; set; } = string.Empty;
    /// <summary><see cref="AccountStandings.Good"/> or <see cref="AccountStandings.PastDue30"/>; Good until an invoice says otherwise.</summary>
    public string Standing { get; set; } = AccountStandings.Good;
    public DateTime? StandingSince { get; set; }
    public List<InvoiceLateness> Invoices { get; set; } = [];
    public DateTime Updated { get; set; }

    public static string KeyFor(string tenantId, Guid customerId) => $"{tenantId}|{customerId:D}";
}

/// <summary>Whether one of the customer's invoices is more than 30 days late, as of <see cref="ChangedAt"/>.</summary>
public sealed class InvoiceLateness
{
    public Guid FlowId { get; set; }
    public Guid InvoiceId { get; set; }
    public string? DocNumber { get; set; }
    public bool PastDue30 { get; set; }
    public DateTime ChangedAt { get; set; }
}
