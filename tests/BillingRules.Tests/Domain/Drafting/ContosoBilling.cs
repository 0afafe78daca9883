using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Testing.Scenarios;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

/// <summary>
/// The consulting firm's billing of Contoso: its ERP rollout (a fixed fee in instalments and three milestones), March
/// consulting hours and travel, with the firm's QuickBooks items, classes and locations.
/// </summary>
internal static class ContosoBilling
{
    public const string DealId = "deal-9001";
    public const string DealName = "Contoso ERP rollout, phase 1";
    public static readonly Guid Flow = ConsultingFirm.FlowOf(DealId);
    public static readonly Guid CustomerId = Guid.Parse("6f1c2b8e-0d44-4a57-9a3e-2b7d5c1e9f10");
    public static readonly DateOnly Today = new(2026, 3, 2);

    public static ItemTarget ErpImplementation => new() { ItemRef = "21", ItemName = "ERP implementation", IncomeAccountRef = "79", ClassRef = "300" };
    public static ItemTarget Consulting => new() { ItemRef = "22", ItemName = "Consulting", IncomeAccountRef = "80" };
    public static ItemTarget Travel => new() { ItemRef = "23", ItemName = "Travel", IncomeAccountRef = "81", TaxCodeRef = "NON", DepartmentRef = "7" };
    public static ItemTarget Services => new() { ItemRef = "1", ItemName = "Services", IncomeAccountRef = "79" };

    public static DraftContext Context(string currency = ConsultingFirm.Currency) => new()
    {
        FlowId = Flow,
        SourceSystem = ConsultingFirm.Crm,
        ExternalDealId = DealId,
        DealName = DealName,
        Currency = currency,
        CustomerId = CustomerId,
        AccountingCustomerRef = "58",
        PaymentTerms = "Net 30",
        Items = new Dictionary<string, ItemTarget>
        {
            ["sku:ERP-IMPL"] = ErpImplementation,
            ["sku:CONSULT"] = Consulting,
            ["sku:TRAVEL"] = Travel,
        },
        ClassRef = "100",
        DepartmentRef = "2",
        Today = Today,
    };

    public static DueInvoice GoLiveMilestone() => new()
    {
        Key = "milestone:m2",
        Kind = ChargeKind.Milestone,
        BillOn = new DateOnly(2026, 3, 16),
        Lines = [new ChargeLine { Description = "Milestone 2 of 3: Go-live", Product = "sku:ERP-IMPL", Quantity = 1, UnitPrice = 7_400m, Amount = 7_400m }],
    };

    /// <summary>The first half of the 18,500 fixed fee, due on signing: the line carries the full fee and the allocated half.</summary>
    public static DueInvoice DepositInstalment(decimal discountPercent = 0) => new()
    {
        Key = "fee:deposit",
        Kind = ChargeKind.FixedFee,
        BillOn = Today,
        Lines =
        [
            new ChargeLine
            {
                Description = "ERP rollout, phase 1: 50% on signing",
                Product = "sku:ERP-IMPL",
                Quantity = 1,
                UnitPrice = 18_500m,
                DiscountPercent = discountPercent,
                Amount = Math.Round(18_500m * (100 - discountPercent) / 100 / 2, 2, MidpointRounding.AwayFromZero),
            },
        ],
    };

    public static DueInvoice MarchTimeAndMaterials(params ChargeLine[] extra) => new()
    {
        Key = "tm:2026-03-01",
        Kind = ChargeKind.TimeAndMaterials,
        BillOn = new DateOnly(2026, 4, 1),
        Lines =
        [
            new ChargeLine
            {
                Description = "Consulting, senior", Product = "sku:CONSULT", Quantity = 37.5m, UnitPrice = 145m, Amount = 5_437.50m,
                ServiceFrom = new DateOnly(2026, 3, 1), ServiceTo = new DateOnly(2026, 3, 31),
            },
            new ChargeLine
            {
                Description = "Travel to Leeds", Product = "sku:TRAVEL", Quantity = 1, UnitPrice = 212.40m, Amount = 212.40m,
                ServiceFrom = new DateOnly(2026, 3, 9), ServiceTo = new DateOnly(2026, 3, 9),
            },
            .. extra,
        ],
        Notes = ["A time entry of 27 Feb (2.5 h) arrived after February was billed and is included here."],
    };

    /// <summary>Decimal places of the currency's minor unit (ISO 4217), the test's own table.</summary>
    public static int MinorUnits(string currency) => currency switch
    {
        "JPY" or "KRW" => 0,
        "KWD" or "BHD" or "JOD" or "OMR" or "TND" or "IQD" or "LYD" => 3,
        _ => 2,
    };

    /// <summary>Quantity × price less discount, rounded half away from zero: what QuickBooks checks a line against.</summary>
    public static decimal Extended(DraftLine line, string currency) =>
        Math.Round(line.Quantity * line.UnitPrice * (100 - line.DiscountPercent) / 100, MinorUnits(currency), MidpointRounding.AwayFromZero);
}
