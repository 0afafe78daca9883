using Microsoft.AspNetCore.DataProtection;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>The tenant's CRM connection as a write-back target: a <see cref="HubSpotTarget"/>, a <see cref="SalesforceTarget"/>, or null.</summary>
public sealed class CrmWriteBackTargets(IDocumentStore store, IDataProtectionProvider dataProtection)
{
    /// <returns>
    /// The target when the tenant has a CRM connection of the kind <paramref name="sourceSystem"/> names ("hubspot" or "salesforce");
    /// null when the source is another system (generic ingest) or the tenant has no such connection: nothing to write.
    /// </returns>
    public async Task<object?> ResolveAsync(string tenantId, string sourceSystem, CancellationToken cancellationToken)
    {
        var kind = sourceSystem.Trim().ToLowerInvariant();
        if (kind is not ("hubspot" or "salesforce"))
            return null;
        var connection = (await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(tenantId, cancellationToken))?.Value;
        if (connection is null || !string.Equals(connection.Kind, kind, StringComparison.OrdinalIgnoreCase)
                               || string.IsNullOrEmpty(connection.BaseUrl) || string.IsNullOrEmpty(connection.ProtectedAccessToken))
            return null;
        var token = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedAccessToken);
        return kind == "hubspot"
            ? new HubSpotTarget(tenantId, connection.BaseUrl, token)
            : new SalesforceTarget(tenantId, connection.BaseUrl, token);
    }
}
