using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults;
using QuoteToCash.ServiceDefaults.Hosting;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Session;
using ServiceDefaultsExtensions = QuoteToCash.ServiceDefaults.Extensions;

namespace QuoteToCash.WebApp.Extensions;

public static class WebAppExtensions
{
    public const string SessionCookie = "q2c-session";
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string SignInPath = "/app/sign-in";
    public const string StaticPath = "/app/static";

    /// <summary>OpenTelemetry, the clock, health (live and ready: the app itself; it owns nothing else to check) and problem details.</summary>
    public static WebApplicationBuilder AddWebAppDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new ServiceDefaults.ServiceIdentity("webapp"));
        builder.AddServiceClock();
        builder.Services.TryAddTimeProvider();
        builder.ConfigureOpenTelemetry("webapp");
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [ServiceDefaultsExtensions.LiveTag, ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>Sign-in (local issuer or OIDC), the encrypted cookie session, antiforgery, the gateway client and the pages.</summary>
    public static WebApplicationBuilder AddFinanceWebApp(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(WebAppOptions.Section);
        builder.Services.Configure<WebAppOptions>(section);
        var options = section.Get<WebAppOptions>() ?? new WebAppOptions();

        // The session cookie's keys, in KeysDirectory, each wrapped with DataProtection:KeyEncryptionKey (required outside
        // Development), so the files alone open no session.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("quotetocash-webapp");
        if (!string.IsNullOrWhiteSpace(options.KeysDirectory))
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(options.KeysDirectory));
        dataProtection.ProtectKeysWithKeyEncryptionKey(builder.Configuration);

        var authentication = builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = SessionCookie;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.Path = "/";
                // The session lasts exactly as long as the operator token inside it (set per sign-in), never longer.
                cookie.SlidingExpiration = false;
                cookie.LoginPath = SignInPath;
                cookie.LogoutPath = "/app/sign-out";
                cookie.AccessDeniedPath = SignInPath;
            });
        if (options.Oidc.Enabled)
        {
            authentication.AddOpenIdConnect(OidcScheme, oidc =>
            {
                oidc.Authority = options.Oidc.Authority;
                oidc.ClientId = options.Oidc.ClientId;
                oidc.ClientSecret = options.Oidc.ClientSecret;
                oidc.ResponseType = "code";
                oidc.UsePkce = true;
                oidc.SaveTokens = true;
                oidc.MapInboundClaims = false;
                oidc.RequireHttpsMetadata = options.Oidc.RequireHttpsMetadata;
                oidc.CallbackPath = "/app/signin-oidc";
                oidc.SignedOutCallbackPath = "/app/signout-callback-oidc";
                foreach (var scope in options.Oidc.Scopes)
                    oidc.Scope.Add(scope);
                oidc.Events.OnTokenValidated = context =>
                {
                    // The access token is what the gateway checks, so its roles and tenants are what the pages offer.
                    if (context.TokenEndpointResponse?.AccessToken is { } access && OperatorToken.Read(access) is { } token)
                    {
                        context.Principal = token.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme);
                        context.Properties!.IsPersistent = true;
                        context.Properties.ExpiresUtc = token.ExpiresAt;
                    }
                    return Task.CompletedTask;
                };
            });
        }

        builder.Services.AddAntiforgery(a =>
        {
            a.Cookie.Name = "q2c-antiforgery";
            a.Cookie.Path = "/";
            a.FormFieldName = "__q2c_antiforgery";
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient<GatewayClient>(http =>
        {
            http.BaseAddress = options.GatewayUrl;
            http.Timeout = TimeSpan.FromSeconds(Math.Max(1, options.ApiTimeoutSeconds));
        });
        builder.Services.AddHttpClient<LocalSignIn>(http =>
        {
            http.BaseAddress = options.GatewayUrl;
            http.Timeout = TimeSpan.FromSeconds(Math.Max(1, options.ApiTimeoutSeconds));
        });
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/Account/SignIn");
        });
        return builder;
    }

    /// <summary>The middleware in order: forwarded headers, errors, static assets, auth, an expired session back to sign-in.</summary>
    public static WebApplication UseFinanceWebApp(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler("/app/error");
        app.UseStatusCodePagesWithReExecute("/app/error", "?status={0}");
        app.UseStaticFiles(new StaticFileOptions { RequestPath = StaticPath });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (SessionExpiredException) when (!context.Response.HasStarted)
            {
                // The gateway refused the stored token (expired or revoked): end the session and ask for a fresh sign-in.
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                var back = Uri.EscapeDataString(context.Request.Path + context.Request.QueryString);
                context.Response.Redirect($"{SignInPath}?expired=true&returnUrl={back}");
            }
        });
        return app;
    }

    public static WebApplication MapFinanceWebApp(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions
            { Predicate = r => r.Tags.Contains(ServiceDefaultsExtensions.LiveTag), ResponseWriter = ServiceDefaultsExtensions.WriteHealth }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
            { Predicate = r => r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag), ResponseWriter = ServiceDefaultsExtensions.WriteHealth }).AllowAnonymous();
        app.MapRazorPages();
        return app;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(s => s.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }

    /// <summary>The options as bound, for places without injection.</summary>
    public static WebAppOptions WebAppSettings(this HttpContext context) => context.RequestServices.GetRequiredService<IOptions<WebAppOptions>>().Value;
}
