using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

/// <summary>Identity of a CRM customer.</summary>
public static class CustomerRules
{
    public static string CrmReference(string sourceSystem, string externalId) => $"{sourceSystem.Trim().ToLowerInvariant()}:{externalId.Trim()}";

    /// <summary>The golden ID first given to a CRM customer; stable, so a redelivered command cannot create a second customer.</summary>
    public static Guid CustomerIdFor(string tenantId, string sourceSystem, string externalId) =>
        DeterministicId.Create("customer", tenantId, CrmReference(sourceSystem, externalId));
}
