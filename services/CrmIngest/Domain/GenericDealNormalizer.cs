using System.Globalization;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.ServiceDefaults.Validation;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>The body of the generic ingest API (ING-3): a won deal from any CRM or iPaaS.</summary>
public sealed record GenericDealRequest
{
    public string? SourceSystem { get; init; }
    public string? ExternalDealId { get; init; }
    public string? DealName { get; init; }
    public CustomerSnapshot? Customer { get; init; }
    public List<DealLine>? Lines { get; init; }
    public string? Currency { get; init; }
    public decimal? Amount { get; init; }
    /// <summary>The billing terms (see <see cref="BillingTermsInput"/>); what they leave out comes from the tenant's defaults.</summary>
    public BillingTermsInput? Billing { get; init; }
    /// <summary>The older way to give the model; must agree with <c>billing.model</c> when both are given.</summary>
    public BillingModel? BillingModel { get; init; }
    /// <summary>The older <c>key=value</c> terms (see <see cref="LegacyBillingParameters"/>); read only when there is no <see cref="Billing"/> block.</summary>
    public Dictionary<string, string>? BillingParameters { get; init; }
    public string? PaymentTerms { get; init; }
    public string? BusinessUnit { get; init; }
    public string? Region { get; init; }
    /// <summary>The customer segment the deal is reported under (e.g. "Enterprise"), when the caller knows it.</summary>
    public string? Segment { get; init; }
    public string? OwnerEmail { get; init; }
    public DateTimeOffset? WonAt { get; init; }
}

/// <summary>Validation and normalization of a generic deal into <see cref="DealWon"/>. Pure: no I/O.</summary>
public static class GenericDealNormalizer
{
    public const string DefaultSource = "generic";

    /// <summary>Field errors in the shape of a validation problem, the billing terms' included; empty when the deal can be ingested.</summary>
    public static Dictionary<string, string[]> Validate(GenericDealRequest request, BillingDefaults defaults)
    {
        var own = Validate(request);
        // Terms are checked against the deal amount; a deal whose amount cannot be worked out has nothing to check them against.
        return TryAmountOf(request, out _) ? TermsViolation.Merge(own, ReadTerms(request, defaults).Violations) : own;
    }

    /// <summary>The deal's own field errors (identity, customer, currency, lines), without its billing terms.</summary>
    public static Dictionary<string, string[]> Validate(GenericDealRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
                errors[field] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(request.ExternalDealId))
            Add("externalDealId", "The CRM's deal ID is required; it makes re-sent deals land on the same flow.");
        else if (InputLimits.KeyProblem(request.ExternalDealId) is { } tooLong)
            Add("externalDealId", tooLong);
        if (string.IsNullOrWhiteSpace(request.DealName))
            Add("dealName", "A deal name is required; it becomes the invoice memo.");
        if (request.SourceSystem is { } source && (source.Length > 50 || source.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')))
            Add("sourceSystem", "Use letters, digits, '-' or '_' (at most 50).");
        if (request.Customer is null)
            Add("customer", "The customer is required.");
        else
        {
            if (string.IsNullOrWhiteSpace(request.Customer.ExternalId))
                Add("customer.externalId", "The CRM's company ID is required.");
            else if (InputLimits.KeyProblem(request.Customer.ExternalId) is { } tooLong)
                Add("customer.externalId", tooLong);
            if (InputLimits.KeyProblem(request.Customer.ParentExternalId) is { } parentTooLong)
                Add("customer.parentExternalId", parentTooLong);
            if (string.IsNullOrWhiteSpace(request.Customer.LegalName))
                Add("customer.legalName", "The customer's legal name is required.");
            // JSON null where the contract has a list or an entry: master-data reads every one of them.
            if (request.Customer.Contacts is null)
                Add("customer.contacts", "Give a list of contacts (it may be empty), not null.");
            else
                for (var i = 0; i < request.Customer.Contacts.Count; i++)
                    if (request.Customer.Contacts[i] is null)
                        Add($"customer.contacts[{i}]", "A contact cannot be null.");
        }
        if (string.IsNullOrWhiteSpace(request.Currency) || request.Currency.Length != 3 || !request.Currency.All(char.IsAsciiLetterUpper))
            Add("currency", "An ISO 4217 currency code such as USD is required.");
        if (request.Amount is < 0)
            Add("amount", "The amount cannot be negative.");
        for (var i = 0; i < (request.Lines?.Count ?? 0); i++)
        {
            var line = request.Lines![i];
            if (line is null)
            {
                Add($"lines[{i}]", "A line cannot be null.");
                continue;
            }
            foreach (var (field, key) in new[] { ("externalId", line.ExternalId), ("productId", line.ProductId), ("sku", line.Sku) })
                if (InputLimits.KeyProblem(key) is { } keyTooLong)
                    Add($"lines[{i}].{field}", keyTooLong);
            if (line.Quantity > 0 && line.UnitPrice >= 0 && line.DiscountPercent is >= 0 and <= 100 && TryLineAmount(line, out _) is false)
                Add($"lines[{i}]", "Quantity × unit price is too large to be an amount.");
            if (string.IsNullOrWhiteSpace(line.Description))
                Add($"lines[{i}].description", "Each line needs a description.");
            if (line.Quantity <= 0)
                Add($"lines[{i}].quantity", "The quantity must be greater than zero.");
            if (line.UnitPrice < 0)
                Add($"lines[{i}].unitPrice", "The unit price cannot be negative.");
            if (line.DiscountPercent is < 0 or > 100)
                Add($"lines[{i}].discountPercent", "The discount is a percentage between 0 and 100.");
        }
        if (!errors.Keys.Any(k => k.StartsWith("lines[", StringComparison.Ordinal)) && request.Amount is null && !TryAmountOf(request, out _))
            Add("lines", "The lines add up to more than any amount can be; give smaller lines or the deal's amount.");
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>The deal as <see cref="DealWon"/> with its billing terms completed from the tenant's defaults. Expects a request <see cref="Validate(GenericDealRequest)"/> accepted.</summary>
    public static NormalizedDeal Normalize(string tenantId, GenericDealRequest request, DateTimeOffset receivedAt, BillingDefaults defaults)
    {
        var source = string.IsNullOrWhiteSpace(request.SourceSystem) ? DefaultSource : request.SourceSystem.Trim().ToLowerInvariant();
        var reading = ReadTerms(request, defaults);
        var won = new DealWon
        {
            TenantId = tenantId,
            FlowId = FlowId.For(tenantId, source, request.ExternalDealId!),
            SourceSystem = source,
            ExternalDealId = request.ExternalDealId!.Trim(),
            DealName = request.DealName!.Trim(),
            Customer = request.Customer!,
            Lines = request.Lines ?? [],
            Currency = request.Currency!,
            Amount = AmountOf(request),
            BillingModel = reading.Terms.Model,
            BillingParameters = request.BillingParameters ?? [],
            Billing = reading.Terms,
            PaymentTerms = string.IsNullOrWhiteSpace(request.PaymentTerms) ? defaults.PaymentTerms : request.PaymentTerms.Trim(),
            BusinessUnit = request.BusinessUnit,
            Region = request.Region,
            Segment = DealSegment.Normalize(request.Segment),
            OwnerEmail = request.OwnerEmail,
            WonAt = request.WonAt ?? receivedAt,
        };
        return new NormalizedDeal(won, reading.Violations);
    }

    /// <summary>The request's billing block (or its older model and parameters) with the tenant's defaults applied, and what is wrong with it.</summary>
    public static TermsReading ReadTerms(GenericDealRequest request, BillingDefaults defaults) =>
        BillingTermsReader.Read(new BillingTermsSource
        {
            Block = request.Billing,
            Model = request.BillingModel?.ToString(),
            Parameters = request.BillingParameters ?? [],
        }, defaults, request.Currency?.Trim() ?? string.Empty, AmountOf(request));

    /// <summary>The amount given, else the sum of the lines.</summary>
    public static decimal AmountOf(GenericDealRequest request) => request.Amount ?? (request.Lines ?? []).Where(l => l is not null).Sum(LineAmount);

    /// <summary>
    /// The amount given, else the sum of the lines; false when a line or the sum is beyond <see cref="decimal"/>
    /// (e.g. a quantity of 1e30 at any price), which <see cref="AmountOf"/> would throw on.
    /// </summary>
    public static bool TryAmountOf(GenericDealRequest request, out decimal amount)
    {
        try
        {
            amount = AmountOf(request);
            return true;
        }
        catch (OverflowException)
        {
            amount = 0;
            return false;
        }
    }

    /// <summary>Quantity × unit price less the discount, rounded half away from zero to cents.</summary>
    public static decimal LineAmount(DealLine line) =>
        Math.Round(line.Quantity * line.UnitPrice * (100m - line.DiscountPercent) / 100m, 2, MidpointRounding.AwayFromZero);

    /// <summary><see cref="LineAmount"/>, or false when the line's amount is beyond <see cref="decimal"/>.</summary>
    public static bool TryLineAmount(DealLine line, out decimal amount)
    {
        try
        {
            amount = LineAmount(line);
            return true;
        }
        catch (OverflowException)
        {
            amount = 0;
            return false;
        }
    }

    public static string Hash(string payload) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(payload))).ToLower(CultureInfo.InvariantCulture);
}
