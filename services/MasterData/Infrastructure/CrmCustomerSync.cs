using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Infrastructure;

/// <param name="DuplicateReasons">Set when this snapshot created a customer that may duplicate an existing one.</param>
public sealed record SyncedCustomer(GoldenCustomer Customer, MasterDataPolicy Policy, IReadOnlyList<string>? DuplicateReasons);

/// <summary>What a CRM snapshot does to the golden customer: match by cross-reference or create, then apply under ownership.</summary>
public static class CrmCustomerSync
{
    public static async Task<SyncedCustomer> ApplyAsync(CustomerBook book, string tenant, string sourceSystem, CustomerSnapshot snapshot,
        CancellationToken cancellationToken, Guid? answeredFlow = null)
    {
        var policy = await book.PolicyAsync(tenant, cancellationToken);
        var now = book.Now;
        var loaded = await book.FindByReferenceAsync(tenant, sourceSystem, snapshot.ExternalId, cancellationToken)
                     ?? await book.FindAsync(tenant, CustomerRules.CustomerIdFor(tenant, sourceSystem, snapshot.ExternalId), cancellationToken);
        var loadedSnapshot = loaded is null ? null : CustomerBook.Snapshot(loaded.Value);
        var customer = loaded?.Value ?? new GoldenCustomer
        {
            CustomerId = CustomerRules.CustomerIdFor(tenant, sourceSystem, snapshot.ExternalId),
            TenantId = tenant,
            Created = now,
            Updated = now,
        };
        customer.AddReference(sourceSystem, snapshot.ExternalId);

        var source = ChangeSource.Crm(sourceSystem);
        var outcome = CustomerEditor.Apply(customer, CustomerEditor.FromCrmSnapshot(snapshot), source, policy, now,
            loaded is null ? "created from the CRM" : "changed in the CRM");
        foreach (var conflict in outcome.Conflicts)
            book.OpenChangeItem(customer, ReviewKind.OwnershipConflict, conflict, source, null);

        if (snapshot.ParentExternalId is { Length: > 0 } parent)
        {
            customer.ParentCrmReference = CustomerRules.CrmReference(sourceSystem, parent);
            if (customer.ParentCustomerId is null && await book.FindByReferenceAsync(tenant, sourceSystem, parent, cancellationToken) is { } parentCustomer)
                customer.ParentCustomerId = parentCustomer.Value.CustomerId;
        }
        // A new customer is checked against the tenant's customers before anything syncs: a likely duplicate waits for finance.
        List<string>? duplicateReasons = null;
        if (loaded is null && await book.FindDuplicatesAsync(customer, policy, cancellationToken) is { Count: > 0 } candidates)
        {
            await book.OpenDuplicateItemAsync(customer, candidates, cancellationToken);
            duplicateReasons = candidates.Select(c => $"possible duplicate of {c.Describe()}").ToList();
        }
        await book.SaveAsync(loaded, customer, outcome.Applied, policy, cancellationToken, answeredFlow,
            duplicateQuestionOpen: duplicateReasons is not null ? true : null, loadedSnapshot: loadedSnapshot);
        return new SyncedCustomer(customer, policy, duplicateReasons is null ? null : [.. customer.MissingFields, .. duplicateReasons]);
    }
}
