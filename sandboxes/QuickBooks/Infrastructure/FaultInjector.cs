namespace QuoteToCash.Sandbox.QuickBooks.Infrastructure;

/// <summary>A fault rule set through POST /_sandbox/faults; a null realm applies to every realm.</summary>
public sealed record FaultRule(
    string? RealmId,
    int LatencyMs,
    double ErrorRate,
    int ErrorStatus,
    double DropConnectionAfterCommitRate,
    int? Count);

/// <summary>What happens to one request.</summary>
public sealed record FaultDecision(int LatencyMs, int? ErrorStatus, bool DropAfterCommit)
{
    public static readonly FaultDecision None = new(0, null, false);
}

/// <summary>
/// Test-only misbehaviour for the Accounting API: latency, error responses instead of processing, and
/// connections dropped after a write has been committed. A rule with a count stops after that many faults.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Remaining> _rules = new(StringComparer.Ordinal);

    private sealed class Remaining(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public int? Count { get; set; } = rule.Count;
    }

    /// <summary>Sets the rule for its realm (or the global rule), replacing the previous one.</summary>
    public void Set(FaultRule rule)
    {
        lock (_gate)
            _rules[rule.RealmId ?? "*"] = new Remaining(rule);
    }

    public IReadOnlyList<FaultRule> Rules()
    {
        lock (_gate)
            return _rules.Values.Select(r => r.Rule with { Count = r.Count }).ToList();
    }

    public void Clear()
    {
        lock (_gate)
            _rules.Clear();
    }

    /// <summary>Decides the fate of one request; only writes (POST) can be dropped after commit.</summary>
    public FaultDecision Decide(string realmId, bool isWrite)
    {
        lock (_gate)
        {
            var key = _rules.ContainsKey(realmId) ? realmId : "*";
            if (!_rules.TryGetValue(key, out var remaining))
                return FaultDecision.None;
            var rule = remaining.Rule;
            var error = rule.ErrorRate > 0 && Random.Shared.NextDouble() < rule.ErrorRate ? rule.ErrorStatus : (int?)null;
            var drop = error is null && isWrite && rule.DropConnectionAfterCommitRate > 0 && Random.Shared.NextDouble() < rule.DropConnectionAfterCommitRate;
            var decision = new FaultDecision(rule.LatencyMs, error, drop);
            if (decision.LatencyMs <= 0 && decision.ErrorStatus is null && !decision.DropAfterCommit)
                return FaultDecision.None;
            if (remaining.Count is { } count)
            {
                remaining.Count = count - 1;
                if (remaining.Count <= 0)
                    _rules.Remove(key);
            }
            return decision;
        }
    }
}
