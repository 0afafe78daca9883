using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>
/// A tenant's pipeline stages (HubSpot deal pipelines, Salesforce OpportunityStage) for five minutes: a burst of events
/// reads them once, and an admin's change to the stages is seen within minutes. One per process (a singleton).
/// </summary>
public sealed class PipelineStageCache(TimeProvider time)
    : ExpiringCache<(string Crm, string TenantId), IReadOnlyList<PipelineStage>>(time, TimeSpan.FromMinutes(5));
