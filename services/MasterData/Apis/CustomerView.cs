using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain;

namespace QuoteToCash.MasterData.Apis;

/// <summary>A golden customer as the API shows it: the tax ID masked, no storage internals.</summary>
public sealed record CustomerView(
    Guid CustomerId,
    string TenantId,
    string DisplayName,
    string LegalName,
    string? Domain,
    string? TaxId,
    PostalAddress? BillingAddress,
    PostalAddress? ShippingAddress,
    IReadOnlyList<ContactPerson> Contacts,
    IReadOnlyList<string> CrmReferences,
    string? ParentCrmReference,
    string? AccountingCustomerRef,
    string? PaymentTerms,
    string? Currency,
    CustomerStatus Status,
    IReadOnlyList<string> MissingFields,
    int Revision,
    DateTime Created,
    DateTime Updated)
{
    public static CustomerView From(GoldenCustomer customer) => new(
        customer.CustomerId, customer.TenantId, customer.DisplayName, customer.LegalName, customer.Domain,
        TaxIdentifier.Mask(customer.TaxId), customer.BillingAddress, customer.ShippingAddress, customer.Contacts.ToList(),
        customer.CrmReferences.ToList(), customer.ParentCrmReference, customer.AccountingCustomerRef, customer.PaymentTerms,
        customer.Currency, customer.Status, customer.MissingFields.ToList(), customer.Revision, customer.Created, customer.Updated);
}
