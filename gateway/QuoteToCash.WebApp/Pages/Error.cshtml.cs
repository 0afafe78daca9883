using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace QuoteToCash.WebApp.Pages;

/// <summary>What a user sees for a page that does not exist, a tenant they may not open, or an error of the app itself.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Status { get; set; }

    public (string Title, string Text) Message => Status switch
    {
        404 => ("Not found", "There is no such page or record. Check the address, or go back to the dashboard."),
        403 => ("Not your tenant", "Your account has no access to this tenant. Sign in with another account, or ask an administrator."),
        _ => ("Something went wrong", "The web app could not show this page. Try again; if it lasts, the logs name the cause."),
    };

    public void OnGet() => Response.StatusCode = Status ?? 500;

    public void OnPost() => OnGet();
}
