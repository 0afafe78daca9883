namespace QuoteToCash.Contracts;

/// <summary>
/// How and when one deal is billed, as agreed in the CRM. crm-ingest reads it from the generic ingest API's
/// <c>billing</c> block or from the tenant's mapped HubSpot/Salesforce fields, validates it, and fills the gaps
/// from the tenant's defaults; billing-rules turns it into invoices. Amounts are in the deal's currency.
/// </summary>
public sealed record BillingTerms
{
    public BillingModel Model { get; init; } = BillingModel.FixedFee;

    /// <summary>ISO 4217; when given it must equal the deal's currency.</summary>
    public string? Currency { get; init; }

    /// <summary>Fixed fee: the parts of the fee. Empty means the whole fee on signing.</summary>
    public IReadOnlyList<FeeInstalment> Instalments { get; init; } = [];

    /// <summary>Milestones: the plan; amounts or percentages that together make the contract value.</summary>
    public IReadOnlyList<MilestoneTerm> Milestones { get; init; } = [];

    /// <summary>Time and materials, retainer drawdown and overage: the deal's rates, overriding the tenant's rate card.</summary>
    public IReadOnlyList<RateCardEntry> RateCard { get; init; } = [];

    /// <summary>Time and materials and retainer: the period after which logged time is billed.</summary>
    public BillingPeriod Period { get; init; } = BillingPeriod.Monthly;

    /// <summary>Time and materials: billing stops at this amount and finance is told.</summary>
    public decimal? NotToExceed { get; init; }

    public RetainerTerms? Retainer { get; init; }

    public SubscriptionTerms? Subscription { get; init; }

    /// <summary>The customer's purchase order, printed on the invoice; lines with their own PO are invoiced separately.</summary>
    public string? PurchaseOrder { get; init; }
}

/// <summary>How often time-based billing closes a period.</summary>
public enum BillingPeriod
{
    Weekly,
    Biweekly,
    Monthly,
}
