using System.Diagnostics.Metrics;

namespace QuoteToCash.ServiceDefaults.Storage;

/// <summary>
/// What the document store is asked to write, for capacity planning: <c>q2c.store.commits</c> (atomic commits) and
/// <c>q2c.store.writes</c> (the documents in them, by collection), counted by both engines when a commit succeeds.
/// </summary>
public static class StoreMetrics
{
    public const string MeterName = "QuoteToCash.Storage";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Commits = Meter.CreateCounter<long>("q2c.store.commits", unit: "{commit}", description: "Atomic commits applied by the document store");
    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("q2c.store.writes", unit: "{document}", description: "Documents inserted, replaced or deleted, by collection");

    internal static void Committed(string engine, IReadOnlyList<DocumentWrite> writes)
    {
        var engineTag = new KeyValuePair<string, object?>("engine", engine);
        Commits.Add(1, engineTag);
        foreach (var write in writes)
            Writes.Add(1, engineTag, new KeyValuePair<string, object?>("collection", write.Collection));
    }
}
