namespace QuoteToCash.Contracts;

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
