using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Infrastructure.Numbering;

/// <summary>
/// A tenant's next invoice number when the tenant numbers its own invoices. It is taken inside the same unit of work
/// as the saga's change, with the document's version checked, so two flows never get the same number: the loser of a
/// race retries its message and takes the next one.
/// </summary>
public sealed class InvoiceNumberSequence
{
    public const string CollectionName = "invoice-number-sequences";

    public string TenantId { get; set; } = string.Empty;
    public long Next { get; set; } = 1;
}

public sealed class InvoiceNumbers(IUnitOfWork unitOfWork)
{
    private readonly Dictionary<string, (StoredDocument<InvoiceNumberSequence>? Loaded, InvoiceNumberSequence Value)> _taken = [];

    /// <summary>Takes the tenant's next number (at least <paramref name="floor"/>, the policy's configured start).</summary>
    public async Task<long> TakeAsync(string tenantId, long floor, CancellationToken cancellationToken)
    {
        if (!_taken.TryGetValue(tenantId, out var entry))
        {
            var loaded = await unitOfWork.Store.Collection<InvoiceNumberSequence>(InvoiceNumberSequence.CollectionName).GetAsync(tenantId, cancellationToken);
            entry = (loaded, loaded?.Value ?? new InvoiceNumberSequence { TenantId = tenantId, Next = floor });
        }
        var number = Math.Max(entry.Value.Next, floor);
        entry.Value.Next = number + 1;
        if (!_taken.ContainsKey(tenantId))
            unitOfWork.InsertOrReplace(InvoiceNumberSequence.CollectionName, tenantId, entry.Loaded, entry.Value);
        _taken[tenantId] = entry;
        return number;
    }
}
