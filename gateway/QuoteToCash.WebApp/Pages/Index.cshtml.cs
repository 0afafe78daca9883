using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.WebApp.Extensions;
using QuoteToCash.WebApp.Pages.Shared;
using QuoteToCash.WebApp.Session;

namespace QuoteToCash.WebApp.Pages;

/// <summary>
/// The gateway's root: opens the dashboard of the user's tenant (the one they used last, or their only one); a user who
/// may act for every tenant and has not chosen one yet names it here.
/// </summary>
public sealed class IndexModel(IOptions<WebAppOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true), Display(Name = "Tenant ID")]
    public string? Choose { get; set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<string> Tenants => new FinanceUser(User).Tenants.Where(t => t != "*").ToList();

    public IActionResult OnGet()
    {
        var me = new FinanceUser(User);
        if (!string.IsNullOrWhiteSpace(Choose))
        {
            var tenant = Choose.Trim().ToLowerInvariant();
            if (!TenantAccess.IsValidTenantId(tenant))
                Problem = "A tenant ID is 1–63 lower-case letters, digits or dashes.";
            else if (!me.CanAccess(tenant))
                Problem = $"Your account has no access to tenant '{tenant}'.";
            else
                return Redirect($"/app/{tenant}");
            return Page();
        }
        var last = Request.Cookies[TenantCookie.Name];
        if (last is not null && TenantAccess.IsValidTenantId(last) && me.CanAccess(last))
            return Redirect($"/app/{last}");
        if (me.HomeTenant(options.Value.DefaultTenant) is { } home && TenantAccess.IsValidTenantId(home))
            return Redirect($"/app/{home}");
        return Page();
    }
}
