using System.Globalization;
using System.Text;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// The older way of writing billing terms: <c>key=value;key=value</c> in one CRM field (or the generic API's
/// <c>billingParameters</c>). Still read when a deal has no billing block. Keys are case-insensitive; unknown keys are
/// passed on untouched in <c>DealWon.BillingParameters</c>. Pure.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>milestones</term><description><c>Kickoff:30,Design:30,Go-live:40</c> — name:percent; the ID is the name in lower case with other characters as dashes (<c>go-live</c>).</description></item>
/// <item><term>instalments</term><description><c>signing:50,completion:50</c> or <c>2027-01-31:25</c> — when:percent; IDs are 1, 2, ….</description></item>
/// <item><term>rates</term><description><c>senior:180,junior:95</c> — role:hourly rate.</description></item>
/// <item><term>period</term><description><c>weekly</c>, <c>biweekly</c> or <c>monthly</c>.</description></item>
/// <item><term>cap</term><description>Not-to-exceed amount (also <c>nte</c>).</description></item>
/// <item><term>retainer, threshold, replenishment</term><description>Deposit, replenishment threshold and amount.</description></item>
/// <item><term>interval, seats, price, start, periods, product</term><description>Subscription: monthly|annually, quantity (also <c>quantity</c>), unit price, first day (yyyy-MM-dd), number of periods, CRM product.</description></item>
/// <item><term>po</term><description>The customer's purchase order.</description></item>
/// </list>
/// </remarks>
public static class LegacyBillingParameters
{
    /// <summary>"key=value;key=value" into a case-insensitive dictionary; the last of a repeated key wins.</summary>
    public static Dictionary<string, string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
                .Where(pair => pair.Length == 2 && pair[0].Length > 0)
                .GroupBy(pair => pair[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);

    /// <summary>The parameters as a billing block; a value that cannot be read is reported under <c>{field}.{key}</c>.</summary>
    public static BillingTermsInput ToInput(IReadOnlyDictionary<string, string> parameters, string field, Action<string, string> add)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in parameters)
            values[key] = value;
        string? Text(params string[] keys) => keys.Select(k => values.GetValueOrDefault(k)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
        string KeyOf(params string[] keys) => keys.FirstOrDefault(values.ContainsKey) ?? keys[0];
        decimal? Number(params string[] keys)
        {
            if (Text(keys) is not { } text)
                return null;
            if (TryNumber(text, out var number))
                return number;
            add($"{field}.{KeyOf(keys)}", $"'{text}' is not a number.");
            return null;
        }
        DateOnly? Date(string key)
        {
            if (Text(key) is not { } text)
                return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return date;
            add($"{field}.{key}", $"'{text}' is not a date (yyyy-MM-dd).");
            return null;
        }

        var milestones = Pairs(Text("milestones"), $"{field}.milestones", add)
            .Select(p => new MilestoneInput { Id = Slug(p.Name), Name = p.Name, Percent = p.Value })
            .ToList();
        var instalments = Pairs(Text("instalments", "installments"), $"{field}.{KeyOf("instalments", "installments")}", add)
            .Select((p, i) => DateOnly.TryParseExact(p.Name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on)
                ? new FeeInstalmentInput { Id = (i + 1).ToString(CultureInfo.InvariantCulture), Percent = p.Value, Trigger = "OnDate", Date = on }
                : new FeeInstalmentInput { Id = (i + 1).ToString(CultureInfo.InvariantCulture), Label = p.Name, Percent = p.Value, Trigger = p.Name })
            .ToList();
        var rates = Pairs(Text("rates"), $"{field}.rates", add)
            .Select(p => new RateCardInput { Role = p.Name, Rate = p.Value })
            .ToList();

        RetainerInput? retainer = null;
        if (Text("retainer", "deposit", "threshold", "replenishment", "topup") is not null)
            retainer = new RetainerInput { Deposit = Number("retainer", "deposit"), Threshold = Number("threshold"), Replenishment = Number("replenishment", "topup") };

        SubscriptionInput? subscription = null;
        if (Text("interval", "seats", "quantity", "price", "start", "periods") is not null)
        {
            var periods = Number("periods");
            if (periods is { } p && p != decimal.Truncate(p))
                add($"{field}.periods", $"'{Text("periods")}' is not a whole number of periods.");
            subscription = new SubscriptionInput
            {
                Interval = Text("interval"),
                Quantity = Number("seats", "quantity"),
                UnitPrice = Number("price"),
                StartDate = Date("start"),
                Periods = periods is { } whole && whole == decimal.Truncate(whole) && whole is >= int.MinValue and <= int.MaxValue ? (int)whole : null,
                Product = Text("product"),
            };
        }

        return new BillingTermsInput
        {
            Milestones = milestones.Count > 0 ? milestones : null,
            Instalments = instalments.Count > 0 ? instalments : null,
            RateCard = rates.Count > 0 ? rates : null,
            Period = Text("period"),
            NotToExceed = Number("cap", "nte", "notToExceed"),
            Retainer = retainer,
            Subscription = subscription,
            PurchaseOrder = Text("po", "purchaseOrder"),
        };
    }

    /// <summary>"Go-live" → "go-live", "Phase 2 / UAT" → "phase-2-uat".</summary>
    public static string Slug(string name)
    {
        var slug = new StringBuilder(name.Length);
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }
        return slug.ToString().TrimEnd('-');
    }

    /// <summary>"a:1,b:2" as (name, number) pairs; a pair without a readable number is reported and left out.</summary>
    private static List<(string Name, decimal Value)> Pairs(string? text, string field, Action<string, string> add)
    {
        var pairs = new List<(string, decimal)>();
        if (text is null)
            return pairs;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = item.LastIndexOf(':');
            var name = colon > 0 ? item[..colon].Trim() : string.Empty;
            var number = colon > 0 ? item[(colon + 1)..].Trim().TrimEnd('%').Trim() : string.Empty;
            if (name.Length == 0 || !TryNumber(number, out var value))
            {
                add(field, $"'{item}' is not name:number.");
                continue;
            }
            pairs.Add((name, value));
        }
        return pairs;
    }

    private static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
}
