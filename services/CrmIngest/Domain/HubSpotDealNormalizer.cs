using System.Globalization;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>Turns HubSpot objects into the platform's normalized deal events. Pure.</summary>
public static class HubSpotDealNormalizer
{
    public const string Source = "hubspot";

    /// <summary>
    /// The deal as <see cref="DealWon"/>, its billing terms read from the tenant's configured deal properties (the terms
    /// JSON, the model, payment terms and purchase order, or the older parameters) with the tenant's defaults applied.
    /// </summary>
    public static NormalizedDeal Normalize(string tenantId, HubSpotObject deal, HubSpotObject? company, IReadOnlyList<HubSpotObject> contacts,
        IReadOnlyList<HubSpotObject> lineItems, DateTimeOffset wonAt, BillingDefaults defaults)
    {
        var lines = lineItems.Select(ToLine).ToList();
        var amount = Decimal(deal["amount"]) ?? lines.Sum(GenericDealNormalizer.LineAmount);
        var currency = string.IsNullOrWhiteSpace(deal["deal_currency_code"]) ? "USD" : deal["deal_currency_code"]!.Trim().ToUpperInvariant();
        var fields = defaults.HubSpot;
        var parameters = LegacyBillingParameters.Parse(deal[fields.Parameters]);
        var reading = BillingTermsReader.Read(new BillingTermsSource
        {
            Json = deal[fields.Terms],
            Model = deal[fields.Model],
            Parameters = parameters,
            PurchaseOrder = deal[fields.PurchaseOrder],
            JsonField = fields.Terms,
            ModelField = fields.Model,
            ParametersField = fields.Parameters,
        }, defaults, currency, amount);
        var won = new DealWon
        {
            TenantId = tenantId,
            FlowId = FlowId.For(tenantId, Source, deal.Id),
            SourceSystem = Source,
            ExternalDealId = deal.Id,
            DealName = deal["dealname"] ?? $"HubSpot deal {deal.Id}",
            Customer = ToCustomer(company, contacts, deal),
            Lines = lines,
            Currency = currency,
            Amount = amount,
            BillingModel = reading.Terms.Model,
            BillingParameters = parameters,
            Billing = reading.Terms,
            PaymentTerms = string.IsNullOrWhiteSpace(deal[fields.PaymentTerms]) ? defaults.PaymentTerms : deal[fields.PaymentTerms]!.Trim(),
            BusinessUnit = deal["q2c_business_unit"],
            Region = deal["q2c_region"],
            Segment = DealSegment.Normalize(deal[DealSegment.HubSpotProperty]),
            OwnerEmail = deal["hubspot_owner_id"],
            WonAt = wonAt,
        };
        return new NormalizedDeal(won, reading.Violations);
    }

    public static CustomerSnapshot ToCustomer(HubSpotObject? company, IReadOnlyList<HubSpotObject> contacts, HubSpotObject deal)
    {
        var billingContact = contacts.FirstOrDefault(c => string.Equals(c["q2c_billing_contact"], "true", StringComparison.OrdinalIgnoreCase)) ?? contacts.FirstOrDefault();
        return new CustomerSnapshot
        {
            ExternalId = company?.Id ?? "deal-" + deal.Id,
            LegalName = company?["name"] ?? deal["dealname"] ?? "Unknown customer",
            Domain = company?["domain"],
            TaxId = company?["q2c_tax_id"],
            BillingAddress = company is null ? null : new PostalAddress
            {
                Line1 = company["address"],
                Line2 = company["address2"],
                City = company["city"],
                Region = company["state"],
                PostalCode = company["zip"],
                Country = company["country"],
            },
            Contacts = contacts.Select(c => new ContactPerson
            {
                ExternalId = c.Id,
                FirstName = c["firstname"],
                LastName = c["lastname"],
                Email = c["email"],
                Phone = c["phone"],
                IsBillingContact = ReferenceEquals(c, billingContact),
            }).ToList(),
        };
    }

    public static DealLine ToLine(HubSpotObject item)
    {
        var discount = Decimal(item["hs_discount_percentage"]) ?? 0m;
        return new DealLine
        {
            ExternalId = item.Id,
            ProductId = item["hs_product_id"],
            Sku = item["hs_sku"],
            Description = item["name"] ?? item["description"] ?? "Line item " + item.Id,
            Quantity = Decimal(item["quantity"]) ?? 1m,
            UnitPrice = Decimal(item["price"]) ?? 0m,
            DiscountPercent = discount,
            ServiceStart = Date(item["hs_recurring_billing_start_date"]),
            ServiceEnd = Date(item["hs_recurring_billing_end_date"]),
            RecurringPeriod = item["hs_recurring_billing_period"],
        };
    }

    private static decimal? Decimal(string? value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static DateOnly? Date(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? DateOnly.FromDateTime(d.UtcDateTime)
        : long.TryParse(value, out var ms) ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime) : null;
}
