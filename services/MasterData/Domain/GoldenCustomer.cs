using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

public enum CustomerStatus
{
    /// <summary>Missing required billing fields or awaiting review; not synced to accounting.</summary>
    Draft,

    /// <summary>Complete and approved: may be billed and synced.</summary>
    Approved,
}

/// <summary>The golden customer record (MD-1). Its ID never changes; CRM IDs are cross-references.</summary>
public sealed class GoldenCustomer
{
    public const string CollectionName = "customers";

    public Guid CustomerId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string DisplayName { get; set; } = string.Empty;
    public string LegalName { get; set; } = string.Empty;
    public string? Domain { get; set; }
    public string? TaxId { get; set; }
    public PostalAddress? BillingAddress { get; set; }
    public PostalAddress? ShippingAddress { get; set; }
    public List<ContactPerson> Contacts { get; set; } = [];
    /// <summary>"source:externalId" of every CRM record that is this customer.</summary>
    public List<string> CrmReferences { get; set; } = [];
    public string? ParentCrmReference { get; set; }
    public string? AccountingCustomerRef { get; set; }
    public string? PaymentTerms { get; set; }
    public string? Currency { get; set; }
    public CustomerStatus Status { get; set; }
    /// <summary>How many CRM updates were applied to the record; a redelivered command never bumps it.</summary>
    public int Revision { get; set; }
    public List<string> MissingFields { get; set; } = [];
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }
}
