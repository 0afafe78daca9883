namespace QuoteToCash.Contracts;

/// <summary>A postal address as a finance system needs it.</summary>
public sealed record PostalAddress
{
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? PostalCode { get; init; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; init; }
}

public sealed record ContactPerson
{
    public string? ExternalId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    /// <summary>True for the person who receives invoices.</summary>
    public bool IsBillingContact { get; init; }
}

/// <summary>The customer as the CRM describes it at the moment of the event.</summary>
public sealed record CustomerSnapshot
{
    public required string ExternalId { get; init; }
    public required string LegalName { get; init; }
    public string? Domain { get; init; }
    public PostalAddress? BillingAddress { get; init; }
    public PostalAddress? ShippingAddress { get; init; }
    public string? TaxId { get; init; }
    public string? ParentExternalId { get; init; }
    public IReadOnlyList<ContactPerson> Contacts { get; init; } = [];
}

/// <summary>How a deal is billed; the parameters are read from deal properties by crm-ingest.</summary>
public enum BillingModel
{
    FixedFee,
    Milestones,
    TimeAndMaterials,
    Retainer,
    Subscription,
}

public sealed record DealLine
{
    public string? ExternalId { get; init; }
    public string? ProductId { get; init; }
    public string? Sku { get; init; }
    public required string Description { get; init; }
    public decimal Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    /// <summary>Discount as a percentage of the line (0–100).</summary>
    public decimal DiscountPercent { get; init; }
    public DateOnly? ServiceStart { get; init; }
    public DateOnly? ServiceEnd { get; init; }
    /// <summary>For recurring lines: "monthly", "quarterly", "annually".</summary>
    public string? RecurringPeriod { get; init; }
}

public sealed record InvoiceLine
{
    public required string Description { get; init; }
    public string? ItemRef { get; init; }
    public decimal Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    /// <summary>Quantity × unit price less discount, rounded to the currency's minor unit.</summary>
    public decimal Amount { get; init; }
    public string? TaxCode { get; init; }
    public DateOnly? ServiceDate { get; init; }
}
