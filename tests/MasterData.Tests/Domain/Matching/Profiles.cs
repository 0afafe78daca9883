using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain.Matching;

namespace QuoteToCash.MasterData.Tests.Domain.Matching;

/// <summary>Customers of the consulting firm's tenant, as duplicate detection sees them.</summary>
internal static class Profiles
{
    public const string Tenant = "northwind-consulting";

    public static MatchProfile Of(string legalName, string? domain = null, string? email = null, string? taxId = null,
        string? street = null, string? postalCode = null, string? country = "GB", string? city = "Leeds", string tenant = Tenant,
        string? displayName = null) =>
        MatchProfile.Of(new MatchSubject
        {
            TenantId = tenant,
            CustomerId = Guid.NewGuid(),
            LegalName = legalName,
            DisplayName = displayName,
            Domain = domain,
            ContactEmails = email is null ? [] : [email],
            TaxId = taxId,
            BillingAddress = new PostalAddress { Line1 = street, PostalCode = postalCode, City = city, Country = country },
        });
}
