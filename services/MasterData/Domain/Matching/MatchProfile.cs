using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>What a customer looks like to duplicate detection, before normalization.</summary>
public sealed record MatchSubject
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string LegalName { get; init; }
    public string? DisplayName { get; init; }
    /// <summary>Website or company domain as the CRM holds it ("https://www.contoso.com", "contoso.com").</summary>
    public string? Domain { get; init; }
    public IReadOnlyList<string?> ContactEmails { get; init; } = [];
    public string? TaxId { get; init; }
    public PostalAddress? BillingAddress { get; init; }
    /// <summary>Overrides the billing address's country when given.</summary>
    public string? Country { get; init; }
}

/// <summary>
/// The normalized facts of one customer that duplicate detection compares: normalized names, company
/// domains (free-mail dropped), tax ID, billing-address key and country. Also stored, so that candidates
/// can be scored without reading their customer records.
/// </summary>
public sealed class MatchProfile
{
    public string TenantId { get; init; } = string.Empty;
    public Guid CustomerId { get; init; }
    /// <summary>The legal name as entered, for reviewers.</summary>
    public string Name { get; init; } = string.Empty;
    /// <summary>Normalized legal name first, then a different normalized display name if there is one.</summary>
    public string[] Names { get; init; } = [];
    public string[] Domains { get; init; } = [];
    public string? TaxCountry { get; init; }
    public string? TaxNumber { get; init; }
    public string? AddressKey { get; init; }
    public string? Country { get; init; }

    public NormalizedTaxId? TaxRegistration() => TaxNumber is null ? null : new NormalizedTaxId(TaxCountry ?? string.Empty, TaxNumber);

    public static MatchProfile Of(MatchSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var country = Countries.Normalize(subject.Country) ?? Countries.Normalize(subject.BillingAddress?.Country);
        var taxId = TaxIds.Normalize(subject.TaxId, country);
        var names = new[] { subject.LegalName, subject.DisplayName }
            .Select(CompanyName.Normalize)
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new MatchProfile
        {
            TenantId = subject.TenantId,
            CustomerId = subject.CustomerId,
            Name = subject.LegalName.Trim(),
            Names = names,
            Domains = [.. EmailDomains.CompanyDomains(subject.Domain, subject.ContactEmails)],
            TaxCountry = taxId?.Country,
            TaxNumber = taxId?.Number,
            AddressKey = BillingAddresses.KeyOf(subject.BillingAddress),
            Country = country,
        };
    }

    /// <summary>The profile of a golden customer, as the ResolveCustomer consumer holds it.</summary>
    public static MatchProfile Of(GoldenCustomer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return Of(new MatchSubject
        {
            TenantId = customer.TenantId,
            CustomerId = customer.CustomerId,
            LegalName = customer.LegalName,
            DisplayName = customer.DisplayName,
            Domain = customer.Domain,
            ContactEmails = customer.Contacts.Select(c => c.Email).ToList(),
            TaxId = customer.TaxId,
            BillingAddress = customer.BillingAddress,
        });
    }
}
