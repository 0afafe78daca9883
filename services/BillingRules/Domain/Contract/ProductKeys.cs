using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Product keys as master data's item mappings know them: "id:{CRM product ID}" or "sku:{SKU in upper case}".
/// </summary>
internal static class ProductKeys
{
    public static string? Of(DealLine line) =>
        !string.IsNullOrWhiteSpace(line.ProductId) ? $"id:{line.ProductId.Trim()}"
        : !string.IsNullOrWhiteSpace(line.Sku) ? $"sku:{line.Sku.Trim().ToUpperInvariant()}"
        : null;

    /// <summary>
    /// A product named by the billing terms, which may be either a SKU or a CRM product ID: a deal line with that ID or
    /// SKU decides; a value already in key form is kept; otherwise it is taken as a SKU.
    /// </summary>
    public static string? Of(string? product, IReadOnlyList<DealLine> lines)
    {
        if (string.IsNullOrWhiteSpace(product))
            return null;
        var value = product.Trim();
        if (value.StartsWith("id:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("sku:", StringComparison.OrdinalIgnoreCase))
            return value.StartsWith("id:", StringComparison.OrdinalIgnoreCase) ? $"id:{value[3..].Trim()}" : $"sku:{value[4..].Trim().ToUpperInvariant()}";
        if (lines.Any(l => string.Equals(l.ProductId?.Trim(), value, StringComparison.Ordinal)))
            return $"id:{value}";
        return $"sku:{value.ToUpperInvariant()}";
    }

    public static List<ContractRate> RateCard(IReadOnlyList<RateCardEntry> entries, IReadOnlyList<DealLine> lines) =>
        entries.Select(e => new ContractRate
        {
            Role = e.Role.Trim(),
            Person = string.IsNullOrWhiteSpace(e.Person) ? null : e.Person.Trim(),
            Rate = e.Rate,
            Product = Of(e.Product, lines),
        }).ToList();
}
