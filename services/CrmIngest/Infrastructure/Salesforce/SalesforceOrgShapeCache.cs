namespace QuoteToCash.CrmIngest.Infrastructure.Salesforce;

/// <summary>Which optional fields and objects an org has, as describe tells it.</summary>
public sealed record SalesforceOrgShape(HashSet<string> OpportunityFields, HashSet<string> AccountFields, bool HasContactRoles);

/// <summary>
/// An org's shape per instance and token for ten minutes, so that each read does not describe the org again. One per
/// process (a singleton).
/// </summary>
public sealed class SalesforceOrgShapeCache(TimeProvider time)
    : ExpiringCache<string, SalesforceOrgShape>(time, TimeSpan.FromMinutes(10));
