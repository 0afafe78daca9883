using QuoteToCash.Contracts;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// A change to a tenant's billing defaults (<c>PUT …/billing-defaults</c>): the fields given replace the current ones,
/// the rest stays. <c>paymentTerms: ""</c> clears the default terms; a rate card given replaces the whole card.
/// </summary>
public sealed record BillingDefaultsRequest
{
    public string? Model { get; init; }
    public string? Period { get; init; }
    public string? PaymentTerms { get; init; }
    public List<TenantRateInput>? RateCard { get; init; }
    public CrmFieldsInput? HubSpotFields { get; init; }
    public CrmFieldsInput? SalesforceFields { get; init; }
}

/// <summary>One role's standard rate as finance writes it.</summary>
public sealed record TenantRateInput
{
    public string? Role { get; init; }
    public decimal? Rate { get; init; }
    public string? Currency { get; init; }
    public string? Product { get; init; }
}

/// <summary>CRM field names as finance writes them; the names not given stay.</summary>
public sealed record CrmFieldsInput
{
    public string? Model { get; init; }
    public string? Terms { get; init; }
    public string? PaymentTerms { get; init; }
    public string? PurchaseOrder { get; init; }
    public string? Parameters { get; init; }
}

/// <summary>Checks and applies a change to a tenant's billing defaults. Pure.</summary>
public static class BillingDefaultsRules
{
    /// <summary>QuickBooks names terms with at most 31 characters.</summary>
    public const int MaxPaymentTermsLength = 31;

    /// <summary>The defaults after the change, or the field errors that keep it from being applied (then nothing changes).</summary>
    public static (BillingDefaults Defaults, Dictionary<string, string[]> Errors) Apply(BillingDefaults current, BillingDefaultsRequest request)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
                errors[field] = list = [];
            list.Add(message);
        }

        var model = current.Model;
        if (request.Model is not null)
        {
            if (BillingTermsReader.ModelOf(request.Model) is { } parsed)
                model = parsed;
            else
                Add("model", $"'{request.Model}' is not one of {string.Join(", ", Enum.GetNames<BillingModel>())}.");
        }
        var period = current.Period;
        if (request.Period is not null)
        {
            if (BillingTermsReader.PeriodOf(request.Period) is { } parsed)
                period = parsed;
            else
                Add("period", $"'{request.Period}' is not one of {string.Join(", ", Enum.GetNames<BillingPeriod>())}.");
        }
        var paymentTerms = current.PaymentTerms;
        if (request.PaymentTerms is not null)
        {
            paymentTerms = string.IsNullOrWhiteSpace(request.PaymentTerms) ? null : request.PaymentTerms.Trim();
            if (paymentTerms is { Length: > MaxPaymentTermsLength })
                Add("paymentTerms", $"Payment terms are named as in the accounting system, at most {MaxPaymentTermsLength} characters.");
        }

        var rateCard = current.RateCard;
        if (request.RateCard is not null)
        {
            var entries = request.RateCard.Select(r => r ?? new TenantRateInput()).ToList();
            rateCard = entries.Select(r => new TenantRate(r.Role?.Trim() ?? string.Empty, r.Rate ?? 0m,
                r.Currency?.Trim().ToUpperInvariant() ?? string.Empty, string.IsNullOrWhiteSpace(r.Product) ? null : r.Product.Trim())).ToList();
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Rate is null)
                    Add($"rateCard[{i}].rate", "Every rate needs its hourly amount.");
                var currency = rateCard[i].Currency;
                if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
                    Add($"rateCard[{i}].currency", "The rate's ISO 4217 currency, such as USD; it applies to deals in that currency.");
            }
            // The card's own rules, per currency: a role has one rate in each.
            foreach (var group in rateCard.Select((rate, index) => (rate, index)).GroupBy(x => x.rate.Currency, StringComparer.Ordinal))
            {
                var inCurrency = group.ToList();
                BillingTermsRules.ValidateRateCard(inCurrency.Select(x => new RateCardEntry { Role = x.rate.Role, Rate = x.rate.Rate, Product = x.rate.Product }).ToList(),
                    "rateCard", (field, message) => Add(Reindex(field, inCurrency.Select(x => x.index).ToList()), message));
            }
        }

        var hubSpot = Fields(current.HubSpot, request.HubSpotFields, "hubSpotFields", IsHubSpotName,
            "HubSpot property names are lower-case letters, digits and underscores, starting with a letter (at most 100).", Add);
        var salesforce = Fields(current.Salesforce, request.SalesforceFields, "salesforceFields", IsSalesforceName,
            "Salesforce field API names are letters, digits and underscores, starting with a letter (at most 80), e.g. Q2C_Billing_Terms__c.", Add);

        var defaults = current with
        {
            Model = model, Period = period, PaymentTerms = paymentTerms, RateCard = rateCard, HubSpot = hubSpot, Salesforce = salesforce,
        };
        return (defaults, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }

    public static bool IsHubSpotName(string name) =>
        name.Length is > 0 and <= 100 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    public static bool IsSalesforceName(string name) =>
        name.Length is > 0 and <= 80 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static CrmBillingFields Fields(CrmBillingFields current, CrmFieldsInput? input, string path, Func<string, bool> valid, string rule,
        Action<string, string> add)
    {
        if (input is null)
            return current;
        string Name(string? given, string currentName, string field)
        {
            if (given is null)
                return currentName;
            var name = given.Trim();
            if (!valid(name))
                add($"{path}.{field}", rule);
            return name;
        }
        var fields = new CrmBillingFields(
            Name(input.Model, current.Model, "model"),
            Name(input.Terms, current.Terms, "terms"),
            Name(input.PaymentTerms, current.PaymentTerms, "paymentTerms"),
            Name(input.PurchaseOrder, current.PurchaseOrder, "purchaseOrder"),
            Name(input.Parameters, current.Parameters, "parameters"));
        if (fields.All.Distinct(StringComparer.OrdinalIgnoreCase).Count() != fields.All.Count)
            add(path, "Each billing value needs a field of its own; two of them name the same field.");
        return fields;
    }

    /// <summary>"rateCard[1].role" within one currency's entries → the same entry's position in the whole card.</summary>
    private static string Reindex(string field, IReadOnlyList<int> positions)
    {
        var open = field.IndexOf('[', StringComparison.Ordinal);
        var close = field.IndexOf(']', StringComparison.Ordinal);
        if (open < 0 || close < open || !int.TryParse(field.AsSpan(open + 1, close - open - 1), out var local) || local >= positions.Count)
            return field;
        return $"{field[..(open + 1)]}{positions[local]}{field[close..]}";
    }
}
