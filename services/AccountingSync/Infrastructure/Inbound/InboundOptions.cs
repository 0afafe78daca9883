namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>Inbound changes from QuickBooks (<c>QuickBooks:Inbound</c>): the CDC sweep that catches what webhooks missed.</summary>
public sealed class InboundOptions
{
    public const string Section = "QuickBooks:Inbound";

    /// <summary>The entities whose changes the platform acts on.</summary>
    public static readonly IReadOnlyList<string> Entities = ["Invoice", "Payment", "CreditMemo"];

    /// <summary>How often every connected tenant's changes are read through CDC, webhooks or not.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Where a tenant's first sweep starts, back from the moment it runs (at most QuickBooks' 30 days).</summary>
    public TimeSpan FirstSweepLookBack { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Kept inside QuickBooks' 30-day CDC look-back, for clock skew.</summary>
    public TimeSpan LookBackMargin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many capped CDC answers one sweep follows for one entity before leaving the rest to the next sweep.</summary>
    public int MaxReadsPerEntity { get; set; } = 20;

    /// <summary>How often connected tenants are checked for their sweep and reconciliation jobs (a tenant connected since start-up gets them).</summary>
    public TimeSpan ArmInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A recurring sweep that fires sooner than this after the last one (missed occurrences catching up) is skipped.</summary>
    public TimeSpan MinSweepSpacing { get; set; } = TimeSpan.FromMinutes(1);

    public static string SweepJobId(string tenantId) => $"qbo-cdc:{tenantId}";

    public static string StartUpSweepJobId(string tenantId) => $"qbo-cdc-startup:{tenantId}";
}
