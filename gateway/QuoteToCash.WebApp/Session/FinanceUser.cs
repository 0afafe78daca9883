using System.Security.Claims;
using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.WebApp.Session;

/// <summary>
/// The signed-in user as the pages see them: name, roles and tenants from the operator token. What a page offers follows
/// the services' own policies (<see cref="Policies"/>); the services still refuse anything the role does not allow.
/// </summary>
public sealed class FinanceUser(ClaimsPrincipal principal)
{
    public const string RoleClaim = "role";
    public const string TenantsClaim = OperatorAuthenticationExtensions.TenantsClaim;

    public bool IsSignedIn => principal.Identity?.IsAuthenticated == true;

    public string Name => principal.FindFirstValue("name") ?? principal.FindFirstValue("sub") ?? principal.Identity?.Name ?? "unknown";

    public IReadOnlyList<string> Roles => principal.FindAll(RoleClaim).Select(c => c.Value).Where(ServiceDefaults.Security.Roles.All.Contains).Distinct().ToList();

    public IReadOnlyList<string> Tenants => principal.FindAll(TenantsClaim).Select(c => c.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public bool AllTenants => Tenants.Contains("*");

    /// <summary>May change billing and accounting data (the services' "finance" policy): assign, comment, retry, resolve.</summary>
    public bool CanAct => HasAny(ServiceDefaults.Security.Roles.Admin, ServiceDefaults.Security.Roles.FinanceManager, ServiceDefaults.Security.Roles.BillingSpecialist);

    /// <summary>May approve invoices, merge and approve customers, ignore exceptions, change the billing mode ("finance-manager" policy).</summary>
    public bool CanManage => HasAny(ServiceDefaults.Security.Roles.Admin, ServiceDefaults.Security.Roles.FinanceManager);

    /// <summary>May change the master-data policy (field ownership): admin only.</summary>
    public bool IsAdmin => HasAny(ServiceDefaults.Security.Roles.Admin);

    /// <summary>Sales and auditors read only: the pages show no action buttons to them.</summary>
    public bool ReadOnly => !CanAct;

    /// <summary>The roles in words, for the header.</summary>
    public string RoleLabel => Roles.Count == 0 ? "no role" : string.Join(", ", Roles.Select(Describe));

    public bool CanAccess(string tenant) =>
        Tenants.Any(t => t == "*" || string.Equals(t, tenant, StringComparison.OrdinalIgnoreCase));

    /// <summary>The tenant to open after sign-in: the configured default for an all-tenants user, else the user's first tenant.</summary>
    public string? HomeTenant(string? configuredDefault) =>
        AllTenants ? configuredDefault : Tenants.FirstOrDefault(t => t != "*");

    public static string Describe(string role) => role switch
    {
        ServiceDefaults.Security.Roles.Admin => "administrator",
        ServiceDefaults.Security.Roles.FinanceManager => "finance manager",
        ServiceDefaults.Security.Roles.BillingSpecialist => "billing specialist",
        ServiceDefaults.Security.Roles.Sales => "sales (read only)",
        ServiceDefaults.Security.Roles.Auditor => "auditor (read only)",
        _ => role,
    };

    private bool HasAny(params string[] roles) => roles.Any(r => principal.HasClaim(RoleClaim, r));
}
