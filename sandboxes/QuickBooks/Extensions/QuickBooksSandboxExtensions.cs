using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.QuickBooks.Configuration;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.Infrastructure;
using QuoteToCash.Sandbox.QuickBooks.State;
using QuoteToCash.Sandbox.QuickBooks.Webhooks;

namespace QuoteToCash.Sandbox.QuickBooks.Extensions;

public static class QuickBooksSandboxExtensions
{
    /// <summary>Listens on <paramref name="url"/> unless --urls, ASPNETCORE_URLS or DOTNET_URLS chose something else.</summary>
    public static WebApplicationBuilder UseDefaultSandboxUrl(this WebApplicationBuilder builder, string url)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrWhiteSpace(builder.Configuration["HTTP_PORTS"])
            && string.IsNullOrWhiteSpace(builder.Configuration["HTTPS_PORTS"]))
            builder.WebHost.UseUrls(url);
        return builder;
    }

    public static WebApplicationBuilder AddQuickBooksSandbox(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<QuickBooksOptions>(builder.Configuration.GetSection(QuickBooksOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<QuickBooksOptions>>().Value;
            return new QboClock(sp.GetRequiredService<TimeProvider>(), QboClock.FindZone(options.TimeZone));
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<QuickBooksOptions>>().Value;
            return new SandboxState(StateFile.Load(options.DataFile));
        });
        services.AddSingleton<TokenService>();
        services.AddSingleton<SandboxAdmin>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<RequestIdCache>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<QboPipeline>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHostedService<StateFile>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        services.AddProblemDetails();
        return builder;
    }

    /// <summary>Adds QBO's intuit_tid header and wires reset to every cache.</summary>
    public static WebApplication UseQuickBooksSandbox(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<SandboxState>();
        var limiter = app.Services.GetRequiredService<RateLimiter>();
        var faults = app.Services.GetRequiredService<FaultInjector>();
        var requestIds = app.Services.GetRequiredService<RequestIdCache>();
        var webhooks = app.Services.GetRequiredService<WebhookQueue>();
        state.WasReset += () =>
        {
            limiter.Clear();
            faults.Clear();
            requestIds.Clear();
            webhooks.Clear();
        };

        app.Use((context, next) =>
        {
            context.Response.Headers["intuit_tid"] = Guid.NewGuid().ToString();
            return next(context);
        });
        return app;
    }
}
