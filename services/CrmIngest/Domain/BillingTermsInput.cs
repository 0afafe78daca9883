namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// A deal's billing terms as a caller writes them: the generic ingest API's <c>billing</c> block, or the JSON in a
/// HubSpot deal property or Salesforce Opportunity field. Everything is optional; what is left out comes from the
/// tenant's defaults. Names of models, periods, triggers and intervals are text, so that a wrong one is reported
/// against its field instead of failing the whole body.
/// </summary>
public sealed record BillingTermsInput
{
    /// <summary>FixedFee, Milestones, TimeAndMaterials, Retainer or Subscription.</summary>
    public string? Model { get; init; }
    public string? Currency { get; init; }
    public List<FeeInstalmentInput>? Instalments { get; init; }
    public List<MilestoneInput>? Milestones { get; init; }
    public List<RateCardInput>? RateCard { get; init; }
    /// <summary>Weekly, Biweekly or Monthly.</summary>
    public string? Period { get; init; }
    public decimal? NotToExceed { get; init; }
    public RetainerInput? Retainer { get; init; }
    public SubscriptionInput? Subscription { get; init; }
    public string? PurchaseOrder { get; init; }
}

/// <summary>One part of a fixed fee as written by the caller.</summary>
public sealed record FeeInstalmentInput
{
    public string? Id { get; init; }
    public string? Label { get; init; }
    public decimal? Percent { get; init; }
    public decimal? Amount { get; init; }
    /// <summary>OnSigning, OnCompletion or OnDate; OnDate when only a date is given, else OnSigning.</summary>
    public string? Trigger { get; init; }
    public DateOnly? Date { get; init; }
}

/// <summary>One milestone of a plan as written by the caller.</summary>
public sealed record MilestoneInput
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public decimal? Percent { get; init; }
    public decimal? Amount { get; init; }
}

/// <summary>One rate of the deal's rate card as written by the caller.</summary>
public sealed record RateCardInput
{
    public string? Role { get; init; }
    public string? Person { get; init; }
    public decimal? Rate { get; init; }
    public string? Product { get; init; }
}

/// <summary>A retainer as written by the caller.</summary>
public sealed record RetainerInput
{
    public decimal? Deposit { get; init; }
    public decimal? Threshold { get; init; }
    public decimal? Replenishment { get; init; }
}

/// <summary>A subscription as written by the caller.</summary>
public sealed record SubscriptionInput
{
    /// <summary>Monthly or Annually.</summary>
    public string? Interval { get; init; }
    public decimal? Quantity { get; init; }
    public decimal? UnitPrice { get; init; }
    public DateOnly? StartDate { get; init; }
    public int? Periods { get; init; }
    public string? Product { get; init; }
}
