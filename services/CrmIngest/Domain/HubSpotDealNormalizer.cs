using System.Globalization;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>Turns HubSpot objects into the platform's normalized deal events. Pure.</summary>
public static class HubSpotDealNormalizer
{
    public const string Source = "hubspot";

    public static DealWon ToDealWon(string tenantId, HubSpotObject deal, HubSpotObject? company, IReadOnlyList<HubSpotObject> contacts,
        IReadOnlyList<HubSpotObject> lineItems, DateTimeOffset wonAt)
    {
        var lines = lineItems.Select(ToLine).ToList();
        var amount = Decimal(deal["amount"]) ?? lines.Sum(GenericDealNormalizer.LineAmount);
        return new DealWon
        {
            TenantId = tenantId,
            FlowId = FlowId.For(tenantId, Source, deal.Id),
            SourceSystem = Source,
            ExternalDealId = deal.Id,
            DealName = deal["dealname"] ?? $"HubSpot deal {deal.Id}",
            Customer = ToCustomer(company, contacts, deal),
            Lines = lines,
            Currency = string.IsNullOrWhiteSpace(deal["deal_currency_code"]) ? "USD" : deal["deal_currency_code"]!.Trim().ToUpperInvariant(),
            Amount = amount,
            BillingModel = BillingModelOf(deal["q2c_billing_model"]),
            BillingParameters = ParseParameters(deal["q2c_billing_parameters"]),
            PaymentTerms = deal["q2c_payment_terms"],
            BusinessUnit = deal["q2c_business_unit"],
            Region = deal["q2c_region"],
            OwnerEmail = deal["hubspot_owner_id"],
            WonAt = wonAt,
        };
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

    public static BillingModel BillingModelOf(string? value) => value?.Trim().ToLowerInvariant().Replace("-", "_").Replace(" ", "_") switch
    {
        "milestones" or "milestone" => BillingModel.Milestones,
        "time_and_materials" or "t&m" or "tm" => BillingModel.TimeAndMaterials,
        "retainer" => BillingModel.Retainer,
        "subscription" or "recurring" => BillingModel.Subscription,
        _ => BillingModel.FixedFee,
    };

    /// <summary>"key=value;key=value" from a deal property into billing parameters.</summary>
    public static Dictionary<string, string> ParseParameters(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
                .Where(pair => pair.Length == 2 && pair[0].Length > 0)
                .GroupBy(pair => pair[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);

    private static decimal? Decimal(string? value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static DateOnly? Date(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? DateOnly.FromDateTime(d.UtcDateTime)
        : long.TryParse(value, out var ms) ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime) : null;
}
