using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>A change a webhook or CDC reader will hear about.</summary>
public sealed record ChangeEvent(string RealmId, string Entity, string Id, string Operation, DateTimeOffset At);

/// <summary>One API call (or one batch) acting on one realm, under the state lock.</summary>
public sealed class Operation(Realm realm, QboClock clock)
{
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hidden = new(StringComparer.Ordinal);

    public Realm Realm { get; } = realm;

    public QboClock Clock { get; } = clock;

    /// <summary>One instant for the whole call, so every timestamp it writes agrees.</summary>
    public DateTimeOffset Now { get; } = clock.UtcNow;

    public string MetaNow => Clock.MetaTime(Now);

    public List<ChangeEvent> Changes { get; } = [];

    /// <summary>include=allowduplicatedocnum was sent.</summary>
    public bool AllowDuplicateDocNumber { get; set; }

    /// <summary>
    /// Inside a batch, entities created by other items are invisible: QBO does not let item 2 reference
    /// the customer item 1 creates. The batch hides each item's creations from the items after it.
    /// </summary>
    public bool IsHidden(EntityKind kind, string id) => _hidden.Contains(Key(kind, id));

    public void Hide(EntityKind kind, string id) => _hidden.Add(Key(kind, id));

    public void ClearHidden() => _hidden.Clear();

    public JsonObject? Find(EntityKind kind, string? id)
        => id is null || IsHidden(kind, id) ? null : Realm.Find(kind, id);

    public IEnumerable<JsonObject> All(EntityKind kind)
        => Realm.Table(kind).Where(p => !IsHidden(kind, p.Key)).Select(p => p.Value);

    /// <summary>Records a write; a second write to the same entity in this call does not bump its SyncToken again.</summary>
    public bool Touch(EntityKind kind, string id) => _touched.Add(Key(kind, id));

    public bool WasTouched(EntityKind kind, string id) => _touched.Contains(Key(kind, id));

    public void Record(EntityKind kind, string id, string operation)
        => Changes.Add(new ChangeEvent(Realm.Id, kind.Name, id, operation, Now));

    private static string Key(EntityKind kind, string id) => kind.Name + ":" + id;
}
