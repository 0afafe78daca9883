namespace QuoteToCash.WebApp.Pages.Shared;

/// <summary>Remembers the last tenant a user opened, so "/" takes them back to it. Only a tenant ID; no data.</summary>
public static class TenantCookie
{
    public const string Name = "q2c-tenant";

    public static readonly CookieOptions Options = new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        MaxAge = TimeSpan.FromDays(30),
        IsEssential = true,
    };
}
