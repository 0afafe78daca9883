using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QuoteToCash.WebApp.Extensions;
using QuoteToCash.WebApp.Session;

namespace QuoteToCash.WebApp.Pages.Account;

/// <summary>
/// Sign-in: username and password exchanged at the gateway's <c>POST /auth/token</c>; the token goes into an encrypted
/// cookie that expires with it. Where an OIDC authority is configured, the page sends the user to it instead.
/// </summary>
public sealed class SignInModel(LocalSignIn signIn, IOptions<WebAppOptions> options) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Enter your username."), Display(Name = "Username")]
    public string? Username { get; set; }

    [BindProperty, Required(ErrorMessage = "Enter your password."), DataType(DataType.Password), Display(Name = "Password")]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Expired { get; set; }

    public string? Refusal { get; private set; }

    public bool UsesIdentityProvider => options.Value.Oidc.Enabled;

    public IActionResult OnGet()
    {
        if (UsesIdentityProvider && !Expired)
            return Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl() }, WebAppExtensions.OidcScheme);
        return Page();
    }

    public IActionResult OnPostIdentityProvider() =>
        Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl() }, WebAppExtensions.OidcScheme);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
            return Page();
        var outcome = await signIn.ExchangeAsync(Username!.Trim(), Password!, cancellationToken);
        if (outcome.Token is not { } token)
        {
            Refusal = outcome.Refusal;
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, token.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme),
            SessionProperties(token));
        return LocalRedirect(SafeReturnUrl());
    }

    /// <summary>The session's cookie and ticket expire with the token; the token itself rides inside, encrypted.</summary>
    public static AuthenticationProperties SessionProperties(OperatorToken token)
    {
        var properties = new AuthenticationProperties { IsPersistent = true, ExpiresUtc = token.ExpiresAt, AllowRefresh = false };
        properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = token.AccessToken }]);
        return properties;
    }

    private string SafeReturnUrl() => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
}
