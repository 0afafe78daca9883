namespace QuoteToCash.Contracts;

/// <summary>How a deal is billed; the parameters are read from deal properties by crm-ingest.</summary>
public enum BillingModel
{
    FixedFee,
    Milestones,
    TimeAndMaterials,
    Retainer,
    Subscription,
}
