namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>
/// How far a tenant's CDC sweep has read, per entity: QuickBooks' own time of the last complete answer (the CDC <c>time</c>),
/// so the platform's clock never decides what was seen.
/// </summary>
public sealed class InboundWatermark
{
    public const string CollectionName = "qbo-inbound-watermarks";

    public string TenantId { get; set; } = string.Empty;
    public List<EntityWatermark> Entities { get; set; } = [];
    public DateTime? LastSweepAt { get; set; }
    public int LastSweepChanges { get; set; }
    /// <summary>When a sweep last found that changes may have been missed (older than QuickBooks' look-back, or a full second).</summary>
    public DateTime? LastGapAt { get; set; }

    public DateTimeOffset? For(string entity) => Entities.FirstOrDefault(e => e.Entity == entity)?.Since;

    public void Set(string entity, DateTimeOffset since)
    {
        Entities.RemoveAll(e => e.Entity == entity);
        Entities.Add(new EntityWatermark { Entity = entity, Since = since });
    }
}

public sealed class EntityWatermark
{
    public string Entity { get; set; } = string.Empty;
    public DateTimeOffset Since { get; set; }
}
