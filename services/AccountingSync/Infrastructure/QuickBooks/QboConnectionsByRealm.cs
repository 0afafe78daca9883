using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>The connections of one QuickBooks company (realmId) that can authenticate its webhooks (they hold a verifier token).</summary>
public static class QboConnectionsByRealm
{
    public static async Task<IReadOnlyList<QboConnection>> FindAsync(IDocumentStore store, string realmId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(realmId))
            return [];
        var found = await store.Collection<QboConnection>(QboConnection.CollectionName)
            .FindAsync(c => c.RealmId == realmId && c.ProtectedVerifierToken != null, cancellationToken: cancellationToken);
        return found.Select(d => d.Value).ToList();
    }
}
