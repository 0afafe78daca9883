using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Session;

namespace QuoteToCash.WebApp.Pages;

/// <summary>
/// A page of one tenant (<c>/app/{tenant}/…</c>): checks the tenant ID and the user's access to it before the page runs,
/// and carries the outcome of the last action (post, redirect, get) as a message at the top of the page.
/// </summary>
public abstract class TenantPageModel(GatewayClient api) : PageModel
{
    protected GatewayClient Api { get; } = api;

    [BindProperty(SupportsGet = true)]
    public string Tenant { get; set; } = string.Empty;

    public FinanceUser Me => new(User);

    [TempData]
    public string? Flash { get; set; }

    [TempData]
    public string? FlashError { get; set; }

    [TempData]
    public string? FlashErrorDetail { get; set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!TenantAccess.IsValidTenantId(Tenant))
        {
            context.Result = NotFound();
            return;
        }
        if (!Me.CanAccess(Tenant))
        {
            context.Result = StatusCode(StatusCodes.Status403Forbidden);
            return;
        }
        HttpContext.Response.Cookies.Append(Shared.TenantCookie.Name, Tenant, Shared.TenantCookie.Options);
        await next();
    }

    /// <summary>The outcome of an action: a success message, or the service's refusal in plain words; then back to the page.</summary>
    protected IActionResult After<T>(ApiResult<T> result, string success, object? routeValues = null)
    {
        if (result.Ok || (result.Status is { } s && (int)s is >= 200 and < 300))
        {
            Flash = success;
        }
        else
        {
            FlashError = result.Headline;
            FlashErrorDetail = string.Join(" ", new[] { result.Explanation }.Concat(result.FieldErrors).Where(t => !string.IsNullOrWhiteSpace(t)));
        }
        return RedirectToPage(null, routeValues ?? new { Tenant });
    }

    protected string ApiPath(string area, string rest) => $"/api/{area}/{Uri.EscapeDataString(Tenant)}/{rest.TrimStart('/')}";
}
