namespace QuoteToCash.WebApp.Gateway;

/// <summary>Which service answers a gateway path, named as finance knows it.</summary>
public static class ServiceNames
{
    private static readonly (string Prefix, string Name)[] Known =
    [
        ("/api/accounting/", "Accounting sync (the exception queue)"),
        ("/api/master-data/", "Master data (customers and reviews)"),
        ("/api/billing/", "Billing rules (flows and approvals)"),
        ("/api/reports/", "Reporting (KPIs and timelines)"),
        ("/api/crm/", "CRM ingest"),
        ("/auth/", "The gateway's sign-in"),
    ];

    public static string For(string path) =>
        Known.FirstOrDefault(k => path.StartsWith(k.Prefix, StringComparison.OrdinalIgnoreCase)).Name ?? "The gateway";
}
