using System.Text;
using System.Text.Json;
using QuoteToCash.Contracts;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// Where a deal's billing terms were written, and the names to report problems under: the generic API's body
/// (<c>billing</c>, <c>billingModel</c>, <c>billingParameters</c>) or a CRM's configured fields.
/// </summary>
public sealed record BillingTermsSource
{
    /// <summary>The terms as a block (the generic API).</summary>
    public BillingTermsInput? Block { get; init; }

    /// <summary>The terms as JSON text (a CRM field); read when there is no <see cref="Block"/>.</summary>
    public string? Json { get; init; }

    /// <summary>The billing model written on its own (the generic API's <c>billingModel</c>, a CRM's model field).</summary>
    public string? Model { get; init; }

    /// <summary>The older <c>key=value;…</c> parameters; used when neither a block nor JSON is given.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The purchase order written on its own (a CRM field).</summary>
    public string? PurchaseOrder { get; init; }

    public string JsonField { get; init; } = "billing";
    public string ModelField { get; init; } = "billingModel";
    public string ParametersField { get; init; } = "billingParameters";
}

/// <summary>The terms of one deal as they will be announced, and everything that keeps them from being billed.</summary>
public sealed record TermsReading(BillingTerms Terms, IReadOnlyList<TermsViolation> Violations)
{
    public bool IsValid => Violations.Count == 0;
}

/// <summary>
/// Reads a deal's billing terms from wherever they were written, fills what they leave out from the tenant's defaults,
/// and checks them with <see cref="BillingTermsRules.Validate"/>. Pure.
/// </summary>
/// <remarks>
/// Precedence: the block (or JSON) first; the model and purchase order written on their own next (a model that
/// contradicts the block's is refused); the older parameters only when there is no block; then the tenant's defaults:
/// model, period, and its rate card in the deal's currency under the deal's own rates.
/// </remarks>
public static class BillingTermsReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true };

    public static TermsReading Read(BillingTermsSource source, BillingDefaults defaults, string dealCurrency, decimal dealAmount)
    {
        var problems = new List<TermsViolation>();
        void Add(string field, string message) => problems.Add(new TermsViolation(field, message));

        var block = source.Block;
        if (block is null && !string.IsNullOrWhiteSpace(source.Json))
            block = ParseJson(source.Json, source.JsonField, Add);
        if (block is null && source.Parameters.Count > 0)
            block = LegacyBillingParameters.ToInput(source.Parameters, source.ParametersField, Add);
        block ??= new BillingTermsInput();

        var blockModel = ParseEnum(block.Model, "billing.model", ModelOf, Add);
        var fieldModel = ParseEnum(source.Model, source.ModelField, ModelOf, Add);
        if (blockModel is not null && fieldModel is not null && blockModel != fieldModel)
            Add("billing.model", $"{source.ModelField} says {fieldModel} but the billing terms say {blockModel}; make them agree or leave one out.");
        var model = blockModel ?? fieldModel ?? defaults.Model;
        var period = ParseEnum(block.Period, "billing.period", PeriodOf, Add) ?? defaults.Period;
        var currency = string.IsNullOrWhiteSpace(block.Currency) ? dealCurrency : block.Currency.Trim().ToUpperInvariant();

        // A null entry in a list (e.g. "milestones": [null]) is read as an empty one, so the rules name what it lacks.
        var dealRates = (block.RateCard ?? []).Select(r => r ?? new RateCardInput()).Select((r, i) =>
        {
            if (r.Rate is null)
                Add($"billing.rateCard[{i}].rate", "Every rate-card entry needs its hourly rate.");
            return new RateCardEntry { Role = r.Role?.Trim() ?? string.Empty, Person = Blank(r.Person), Rate = r.Rate ?? 0m, Product = Blank(r.Product) };
        }).ToList();

        var terms = new BillingTerms
        {
            Model = model,
            Currency = currency,
            Instalments = (block.Instalments ?? []).Select(p => p ?? new FeeInstalmentInput()).Select((p, i) => new FeeInstalment
            {
                Id = p.Id?.Trim() ?? string.Empty,
                Label = Blank(p.Label),
                Percent = p.Percent,
                Amount = p.Amount,
                Trigger = ParseEnum(p.Trigger, $"billing.instalments[{i}].trigger", TriggerOf, Add)
                          ?? (p.Date is null ? InstalmentTrigger.OnSigning : InstalmentTrigger.OnDate),
                Date = p.Date,
            }).ToList(),
            Milestones = (block.Milestones ?? []).Select(m => m ?? new MilestoneInput()).Select(m => new MilestoneTerm
            {
                Id = m.Id?.Trim() ?? string.Empty, Name = m.Name?.Trim() ?? string.Empty, Percent = m.Percent, Amount = m.Amount,
            }).ToList(),
            RateCard = BillingTermsRules.MergeRateCards(dealRates, defaults.RatesIn(currency)),
            Period = period,
            NotToExceed = block.NotToExceed,
            Retainer = block.Retainer is { } retainer
                ? new RetainerTerms
                {
                    Deposit = retainer.Deposit ?? 0m,
                    Threshold = retainer.Threshold ?? 0m,
                    Replenishment = retainer.Replenishment ?? retainer.Deposit,
                }
                : null,
            Subscription = block.Subscription is { } subscription
                ? new SubscriptionTerms
                {
                    Interval = ParseEnum(subscription.Interval, "billing.subscription.interval", IntervalOf, Add) ?? SubscriptionInterval.Monthly,
                    Quantity = subscription.Quantity ?? 1m,
                    UnitPrice = subscription.UnitPrice ?? 0m,
                    StartDate = subscription.StartDate,
                    Periods = subscription.Periods,
                    Product = Blank(subscription.Product),
                }
                : null,
            PurchaseOrder = Blank(block.PurchaseOrder) ?? Blank(source.PurchaseOrder),
        };
        problems.AddRange(BillingTermsRules.Validate(terms, dealCurrency, dealAmount));
        return new TermsReading(terms, problems);
    }

    /// <summary>"FixedFee", "fixed fee", "fixed-fee", "T&amp;M", … ; null for anything else.</summary>
    public static BillingModel? ModelOf(string value) => Key(value) switch
    {
        "fixedfee" or "fixed" => BillingModel.FixedFee,
        "milestones" or "milestone" => BillingModel.Milestones,
        "timeandmaterials" or "time&materials" or "t&m" or "tm" => BillingModel.TimeAndMaterials,
        "retainer" => BillingModel.Retainer,
        "subscription" or "recurring" => BillingModel.Subscription,
        _ => null,
    };

    public static BillingPeriod? PeriodOf(string value) => Key(value) switch
    {
        "weekly" or "week" => BillingPeriod.Weekly,
        "biweekly" or "fortnightly" => BillingPeriod.Biweekly,
        "monthly" or "month" => BillingPeriod.Monthly,
        _ => null,
    };

    public static InstalmentTrigger? TriggerOf(string value) => Key(value) switch
    {
        "onsigning" or "signing" => InstalmentTrigger.OnSigning,
        "oncompletion" or "completion" => InstalmentTrigger.OnCompletion,
        "ondate" or "date" => InstalmentTrigger.OnDate,
        _ => null,
    };

    public static SubscriptionInterval? IntervalOf(string value) => Key(value) switch
    {
        "monthly" or "month" => SubscriptionInterval.Monthly,
        "annually" or "annual" or "yearly" or "year" => SubscriptionInterval.Annually,
        _ => null,
    };

    private static TEnum? ParseEnum<TEnum>(string? value, string field, Func<string, TEnum?> parse, Action<string, string> add) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (parse(value) is { } parsed)
            return parsed;
        add(field, $"'{value}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        return null;
    }

    private static BillingTermsInput? ParseJson(string json, string field, Action<string, string> add)
    {
        try
        {
            var input = JsonSerializer.Deserialize<BillingTermsInput>(json, Json);
            if (input is null)
                add(field, "The billing terms are empty (null); write a JSON object or leave the field empty.");
            return input;
        }
        catch (JsonException exception)
        {
            add(field, $"The billing terms are not a JSON object of the documented shape: {exception.Message}");
            return null;
        }
    }

    private static string Key(string value)
    {
        var key = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            if (c is not (' ' or '-' or '_'))
                key.Append(char.ToLowerInvariant(c));
        }
        return key.ToString();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
