namespace QuoteToCash.DemoHistory.Domain;

/// <summary>A product of the firm's catalogue as the CRM lists it, and the QuickBooks item it is billed as.</summary>
public sealed record DemoProduct(string Sku, string Name, decimal UnitPrice, string ItemName);

/// <summary>
/// The consulting firm's catalogue (the one scripts/configure-demo.py puts in both CRMs and maps), and the product the
/// history adds later without a mapping: deals bill it to the default item until finance maps it.
/// </summary>
public static class DemoCatalogue
{
    public static readonly DemoProduct Consulting = new("CONSULT-HOUR", "Consulting hour", 150m, "Consulting");
    public static readonly DemoProduct Senior = new("SENIOR-HOUR", "Senior consulting hour", 210m, "Senior Consulting");
    public static readonly DemoProduct Implementation = new("IMPL-HOUR", "Implementation hour", 175m, "Implementation");
    public static readonly DemoProduct ProjectManagement = new("PM-HOUR", "Project management hour", 160m, "Project Management");
    public static readonly DemoProduct Training = new("TRAINING-DAY", "On-site training day", 1200m, "Training");
    public static readonly DemoProduct Support = new("SUPPORT-MONTH", "Support retainer, monthly", 2000m, "Support Retainer");

    /// <summary>Added to the CRM part-way through the history; QuickBooks gets an item for it when finance maps it.</summary>
    public static readonly DemoProduct DataMigration = new("DATA-MIGRATION", "Data migration package", 4500m, "Data Migration");

    public static IReadOnlyList<DemoProduct> Configured { get; } = [Consulting, Senior, Implementation, ProjectManagement, Training, Support];

    /// <summary>The roles people log time under, the rate the firm charges for each, and the product that bills it.</summary>
    public static IReadOnlyList<(string Role, decimal Rate, DemoProduct Product)> Roles { get; } =
    [
        ("consultant", 150m, Consulting),
        ("senior", 210m, Senior),
        ("pm", 160m, ProjectManagement),
    ];
}
