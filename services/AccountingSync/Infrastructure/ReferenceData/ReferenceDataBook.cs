using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.ReferenceData;

/// <summary>
/// Reads and keeps the tenant's <see cref="ReferenceDataSnapshot"/>: the lists the reference-data refresh reads, terms
/// looked up by name (QuickBooks is asked when the snapshot does not know the name), and the closing date, read again
/// from Preferences when the kept one is older than asked for or QuickBooks has just refused a date.
/// </summary>
public sealed class ReferenceDataBook(IDocumentStore store, QboClient qbo, TimeProvider time)
{
    public async Task<ReferenceDataSnapshot?> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        (await store.Collection<ReferenceDataSnapshot>(ReferenceDataSnapshot.CollectionName).GetAsync(tenantId, cancellationToken))?.Value;

    /// <summary>Keeps what a reference-data refresh read.</summary>
    public async Task SaveAsync(AccountingReferenceDataChanged lists, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await SaveAsync(lists.TenantId, snapshot =>
        {
            snapshot.RealmId = lists.RealmId;
            snapshot.Items = lists.Items.ToList();
            snapshot.Classes = lists.Classes.ToList();
            snapshot.Departments = lists.Departments.ToList();
            snapshot.TaxCodes = lists.TaxCodes.ToList();
            snapshot.Terms = lists.Terms.ToList();
            snapshot.ListsReadAt = now;
            snapshot.ClosingDate = lists.ClosingDate;
            snapshot.ClosingDateReadAt = now;
        }, cancellationToken);
    }

    /// <summary>The closing date, read from QuickBooks when the kept one is older than <paramref name="maxAge"/> (or missing).</summary>
    public async Task<DateOnly?> ClosingDateAsync(string tenantId, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(tenantId, cancellationToken);
        if (snapshot?.ClosingDateReadAt is { } readAt && time.GetUtcNow().UtcDateTime - readAt <= maxAge)
            return snapshot.ClosingDate;
        return await RefreshClosingDateAsync(tenantId, cancellationToken);
    }

    /// <summary>Reads the closing date from QuickBooks' Preferences now and keeps it.</summary>
    public async Task<DateOnly?> RefreshClosingDateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var preferences = await qbo.ReadPreferencesAsync(tenantId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await SaveAsync(tenantId, snapshot =>
        {
            snapshot.ClosingDate = preferences.ClosingDate;
            snapshot.ClosingDateReadAt = now;
        }, cancellationToken);
        return preferences.ClosingDate;
    }

    /// <summary>The active QuickBooks Term of that name (case-insensitive), from the snapshot or else from QuickBooks; null when there is none.</summary>
    public async Task<QboRef?> FindTermAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var wanted = name.Trim();
        var snapshot = await GetAsync(tenantId, cancellationToken);
        if (snapshot?.Terms.FirstOrDefault(t => t.Active && string.Equals(t.Name.Trim(), wanted, StringComparison.OrdinalIgnoreCase)) is { } known)
            return QboRef.To(known.Id, known.Name);
        var found = await qbo.QueryAsync<QboTerm>(tenantId, QboQuery.From("Term").Where("Name", "=", wanted), cancellationToken);
        return found.Items.FirstOrDefault() is { Id: { } id } term ? QboRef.To(id, term.Name) : null;
    }

    private async Task SaveAsync(string tenantId, Action<ReferenceDataSnapshot> change, CancellationToken cancellationToken)
    {
        // A concurrent write is read again and the change applied on top: both writers store what QuickBooks said a moment ago.
        var collection = store.Collection<ReferenceDataSnapshot>(ReferenceDataSnapshot.CollectionName);
        for (var attempt = 1; ; attempt++)
        {
            var current = await collection.GetAsync(tenantId, cancellationToken);
            var snapshot = current?.Value ?? new ReferenceDataSnapshot { TenantId = tenantId };
            change(snapshot);
            try
            {
                await store.CommitAsync([current is null
                    ? DocumentWrite.Insert(ReferenceDataSnapshot.CollectionName, tenantId, snapshot)
                    : DocumentWrite.Replace(ReferenceDataSnapshot.CollectionName, tenantId, snapshot, current.Version)], cancellationToken);
                return;
            }
            catch (DocumentStoreException) when (attempt < 3)
            {
            }
        }
    }
}
