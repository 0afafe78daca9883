namespace QuoteToCash.AccountingSync.Domain;

/// <summary>What a replica does about a realm's lease when it has work for the realm.</summary>
public enum LeaseDecision
{
    /// <summary>Nobody holds it: take it.</summary>
    Acquire,
    /// <summary>Another replica held it and let it expire (it stopped, or died): take it, with the realm's request history.</summary>
    TakeOver,
    /// <summary>This replica holds it and half of it has run: extend it.</summary>
    Renew,
    /// <summary>This replica holds it with time to spare.</summary>
    Keep,
    /// <summary>Another replica holds it: leave the realm alone.</summary>
    HeldElsewhere,
}

/// <summary>
/// One active owner per QuickBooks realm across accounting-sync's replicas: only the holder of a realm's lease sends its
/// outbound work, so the realm's limits (requests and batches per minute, concurrent requests) are kept by one rate
/// governor. A lease runs for a fixed time and is renewed by its owner once half of it has run; another replica takes it
/// over only once it has expired. Pure.
/// </summary>
public static class RealmLeaseRules
{
    public static LeaseDecision Decide(string? owner, DateTimeOffset? expiresAt, string me, DateTimeOffset now, TimeSpan duration)
    {
        if (owner is null || expiresAt is null)
            return LeaseDecision.Acquire;
        if (owner == me)
            return expiresAt.Value - now < duration / 2 ? LeaseDecision.Renew : LeaseDecision.Keep;
        return expiresAt.Value <= now ? LeaseDecision.TakeOver : LeaseDecision.HeldElsewhere;
    }
}
