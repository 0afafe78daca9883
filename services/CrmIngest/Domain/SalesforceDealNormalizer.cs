using System.Globalization;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// Turns Salesforce records into the platform's normalized deal events. Pure. Won-ness is never read from a
/// stage label: the stage becomes a <see cref="PipelineStage"/> from OpportunityStage metadata and
/// <see cref="BillingTrigger"/> decides.
/// </summary>
public static class SalesforceDealNormalizer
{
    public const string Source = "salesforce";

    /// <summary>Salesforce has one stage picklist for all opportunities: every stage lives in this pipeline.</summary>
    public const string Pipeline = "Opportunity";

    /// <summary>
    /// The opportunity as <see cref="DealWon"/>, its billing terms read from the tenant's configured Opportunity fields
    /// (the terms JSON, the model, payment terms and purchase order, or the older parameters) with the tenant's defaults applied.
    /// </summary>
    public static NormalizedDeal Normalize(string tenantId, SalesforceOpportunity opportunity, DateTimeOffset wonAt, BillingDefaults defaults)
    {
        var record = opportunity.Opportunity;
        var id = record.Id ?? throw new ArgumentException("The Opportunity has no Id.", nameof(opportunity));
        var lines = opportunity.LineItems.Select(ToLine).ToList();
        var amount = Decimal(record["Amount"]) ?? lines.Sum(GenericDealNormalizer.LineAmount);
        var currency = NullIfBlank(record["CurrencyIsoCode"])?.ToUpperInvariant() ?? "USD";
        var fields = defaults.Salesforce;
        var parameters = LegacyBillingParameters.Parse(record[fields.Parameters]);
        var reading = BillingTermsReader.Read(new BillingTermsSource
        {
            Json = NullIfBlank(record[fields.Terms]),
            Model = NullIfBlank(record[fields.Model]),
            Parameters = parameters,
            PurchaseOrder = NullIfBlank(record[fields.PurchaseOrder]),
            JsonField = fields.Terms,
            ModelField = fields.Model,
            ParametersField = fields.Parameters,
        }, defaults, currency, amount);
        var won = new DealWon
        {
            TenantId = tenantId,
            FlowId = FlowId.For(tenantId, Source, id),
            SourceSystem = Source,
            ExternalDealId = id,
            DealName = NullIfBlank(record["Name"]) ?? $"Salesforce opportunity {id}",
            Customer = ToCustomer(opportunity.Account ?? record.Parent("Account"), opportunity.Contacts, record),
            Lines = lines,
            Currency = currency,
            Amount = amount,
            BillingModel = reading.Terms.Model,
            BillingParameters = parameters,
            Billing = reading.Terms,
            PaymentTerms = NullIfBlank(record[fields.PaymentTerms]) ?? defaults.PaymentTerms,
            BusinessUnit = NullIfBlank(record["Q2C_Business_Unit__c"]),
            Region = NullIfBlank(record["Q2C_Region__c"]),
            Segment = DealSegment.Normalize(record[DealSegment.SalesforceField]),
            OwnerEmail = NullIfBlank(record["Owner.Email"]),
            WonAt = wonAt,
        };
        return new NormalizedDeal(won, reading.Violations);
    }

    /// <summary>The customer from the Account; without an Account the opportunity itself stands in ("opportunity-" + Id).</summary>
    public static CustomerSnapshot ToCustomer(SalesforceRecord? account, IReadOnlyList<SalesforceRecord> contacts, SalesforceRecord? opportunity)
    {
        var billingContact = contacts.FirstOrDefault(c => (c["Role"] ?? string.Empty).Contains("billing", StringComparison.OrdinalIgnoreCase))
            ?? contacts.FirstOrDefault(c => c["IsPrimary"] == "true")
            ?? contacts.FirstOrDefault();
        var accountId = account?.Id ?? opportunity?["AccountId"];
        return new CustomerSnapshot
        {
            ExternalId = accountId ?? "opportunity-" + opportunity?.Id,
            LegalName = NullIfBlank(account?["Name"]) ?? NullIfBlank(opportunity?["Name"]) ?? "Unknown customer",
            Domain = DomainOf(account?["Website"]),
            TaxId = NullIfBlank(account?["Q2C_Tax_Id__c"]),
            ParentExternalId = NullIfBlank(account?["ParentId"]),
            BillingAddress = account is null ? null : Address(account["BillingStreet"], account["BillingCity"], account["BillingState"], account["BillingPostalCode"], account["BillingCountry"]),
            Contacts = contacts.Select(c => new ContactPerson
            {
                ExternalId = c.Id,
                FirstName = NullIfBlank(c["FirstName"]),
                LastName = NullIfBlank(c["LastName"]),
                Email = NullIfBlank(c["Email"]),
                Phone = NullIfBlank(c["Phone"]),
                IsBillingContact = ReferenceEquals(c, billingContact),
            }).ToList(),
        };
    }

    public static DealLine ToLine(SalesforceRecord item) => new()
    {
        ExternalId = item.Id,
        ProductId = NullIfBlank(item["Product2Id"]),
        Sku = NullIfBlank(item["ProductCode"]),
        Description = NullIfBlank(item["Name"]) ?? NullIfBlank(item["Description"]) ?? "Line item " + item.Id,
        Quantity = Decimal(item["Quantity"]) ?? 1m,
        UnitPrice = Decimal(item["UnitPrice"]) ?? 0m,
        DiscountPercent = Decimal(item["Discount"]) ?? 0m,
        ServiceStart = DateOnly.TryParseExact(item["ServiceDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
    };

    /// <summary>The opportunity's stage as a pipeline stage: the stage picklist value (ApiName) in the single "Opportunity" pipeline.</summary>
    public static string StageOf(SalesforceRecord opportunity) => opportunity["StageName"] ?? string.Empty;

    /// <summary>
    /// The stage metadata row for the opportunity's stage: by ApiName (the picklist value), then by MasterLabel for
    /// orgs where the two differ. Null when the stage is not in the metadata.
    /// </summary>
    public static PipelineStage? FindStage(IReadOnlyCollection<PipelineStage> stages, string stageName) =>
        stages.FirstOrDefault(s => s.PipelineId == Pipeline && s.StageId == stageName)
        ?? stages.FirstOrDefault(s => s.PipelineId == Pipeline && string.Equals(s.Label, stageName, StringComparison.Ordinal));

    public static DealLost ToDealLost(string tenantId, string opportunityId, DateTimeOffset lostAt) =>
        new() { TenantId = tenantId, FlowId = FlowId.For(tenantId, Source, opportunityId), ExternalDealId = opportunityId, LostAt = lostAt };

    public static CustomerChangedInCrm ToCustomerChanged(string tenantId, SalesforceRecord account, IReadOnlyList<SalesforceRecord> contacts, DateTimeOffset changedAt) =>
        new()
        {
            TenantId = tenantId,
            FlowId = FlowId.For(tenantId, Source, "company:" + account.Id),
            SourceSystem = Source,
            Customer = ToCustomer(account, contacts, null),
            ChangedAt = changedAt,
        };

    /// <summary>"https://www.northwind.test/path" → "northwind.test"; a bare host is kept.</summary>
    public static string? DomainOf(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
            return null;
        var text = website.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
            text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            return website.Trim();
        var host = uri.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    private static PostalAddress? Address(string? street, string? city, string? state, string? postalCode, string? country)
    {
        if (new[] { street, city, state, postalCode, country }.All(string.IsNullOrWhiteSpace))
            return null;
        // BillingStreet is a textarea: its first line is Line1, the rest Line2.
        var streetLines = (street ?? string.Empty).Replace("\r\n", "\n").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new PostalAddress
        {
            Line1 = streetLines.FirstOrDefault(),
            Line2 = streetLines.Length > 1 ? string.Join(", ", streetLines.Skip(1)) : null,
            City = NullIfBlank(city),
            Region = NullIfBlank(state),
            PostalCode = NullIfBlank(postalCode),
            Country = NullIfBlank(country),
        };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static decimal? Decimal(string? value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}
