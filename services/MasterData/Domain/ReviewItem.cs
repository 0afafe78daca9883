using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

/// <summary>What finance is asked to decide about a customer.</summary>
public enum ReviewKind
{
    /// <summary>The customer lacks required fields or holds invalid values.</summary>
    MissingFields,
    /// <summary>The customer may be a customer the tenant already has.</summary>
    PotentialDuplicate,
    /// <summary>A system that does not own a field tried to change it.</summary>
    OwnershipConflict,
    /// <summary>A billing specialist proposed a change that a finance manager applies or rejects.</summary>
    ChangeProposal,
    /// <summary>A deal's product has no accounting item mapping.</summary>
    MappingMissing,
    /// <summary>The accounting system refused the customer.</summary>
    AccountingSyncFailed,
}

public enum ReviewStatus
{
    Open,
    Resolved,
}

/// <summary>How a review item was closed.</summary>
public enum ReviewDecision
{
    /// <summary>The proposed change or the record as it stands is accepted.</summary>
    Accept,
    /// <summary>The proposed change is discarded; for a duplicate question: the customers are distinct.</summary>
    Reject,
    /// <summary>Closed by the system: the reason went away (the fields were completed, the customers merged).</summary>
    Superseded,
}

public sealed class ReviewCandidate
{
    public Guid CustomerId { get; set; }
    public string DisplayName { get; set; } = string.Empty;
    public decimal Score { get; set; }
    public List<string> Reasons { get; set; } = [];
}

/// <summary>An item in finance's review queue. One open item per customer and kind, except conflicts and proposals (one per change).</summary>
public sealed class ReviewItem
{
    public const string CollectionName = "review-items";

    public string ItemId { get; set; } = string.Empty;
    public string TenantId { get; set; } = string.Empty;
    public ReviewKind Kind { get; set; }
    public Guid CustomerId { get; set; }
    public string CustomerName { get; set; } = string.Empty;
    public List<string> Reasons { get; set; } = [];
    public List<ReviewCandidate> Candidates { get; set; } = [];
    /// <summary>For conflicts and proposals: the field and the proposed value (JSON).</summary>
    public string? Field { get; set; }
    public string? ProposedValue { get; set; }
    public string? ProposedBy { get; set; }
    public string? ProposedSource { get; set; }
    /// <summary>For a missing mapping: the product and the deals that carried it.</summary>
    public string? ProductKey { get; set; }
    public List<Guid> FlowIds { get; set; } = [];
    public ReviewStatus Status { get; set; }
    public ReviewDecision? Decision { get; set; }
    public string? Note { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTime Opened { get; set; }
    public DateTime Updated { get; set; }
    public DateTime? Resolved { get; set; }

    /// <summary>The key of the one open item of a kind that exists per customer.</summary>
    public static string KeyFor(ReviewKind kind, Guid customerId) => $"{kind}-{customerId:N}";

    /// <summary>The key of the one open missing-mapping item per product.</summary>
    public static string MappingKeyFor(string tenant, string productKey) =>
        $"{ReviewKind.MappingMissing}-{DeterministicId.Create("mapping", tenant, productKey):N}";

    /// <summary>Opens a resolved item again for a new occurrence of its question; the old decision is cleared.</summary>
    public void Reopen(DateTime at)
    {
        Status = ReviewStatus.Open;
        Decision = null;
        Resolved = null;
        ResolvedBy = null;
        Note = null;
        Opened = at;
        Reasons.Clear();
        FlowIds.Clear();
    }

    public void Close(ReviewDecision decision, string actor, string? note, DateTime at)
    {
        Status = ReviewStatus.Resolved;
        Decision = decision;
        ResolvedBy = actor;
        Note = note;
        Resolved = Updated = at;
    }
}

/// <summary>A flow (one deal) waiting for its customer to become billable. Released exactly once.</summary>
public sealed class CustomerFlow
{
    public const string CollectionName = "customer-flows";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public Guid CustomerId { get; set; }
    public DateTime Requested { get; set; }
    public bool Released { get; set; }
    public DateTime? ReleasedAt { get; set; }
}

/// <summary>Finds a customer by a system's identifier: one document per (tenant, system, external ID).</summary>
public sealed class CustomerReferenceKey
{
    public const string CollectionName = "customer-references";

    public string TenantId { get; set; } = string.Empty;
    public string System { get; set; } = string.Empty;
    public string ExternalId { get; set; } = string.Empty;
    public Guid CustomerId { get; set; }

    public static string KeyFor(string tenantId, string system, string externalId) =>
        $"{tenantId}|{system.Trim().ToLowerInvariant()}|{externalId.Trim()}";
}

/// <summary>A stored history entry of one customer.</summary>
public sealed class CustomerHistoryEntry
{
    public const string CollectionName = "customer-history";

    public Guid CustomerId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public int Revision { get; set; }
    public FieldChange Change { get; set; } = new();

    public static string KeyFor(Guid customerId, int revision, int index) => $"{customerId:N}-{revision:D8}-{index:D3}";
}
