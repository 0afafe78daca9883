using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuoteToCash.Sandbox.HubSpot.Apis;
using QuoteToCash.Sandbox.HubSpot.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Extensions;

public static class HubSpotSandboxExtensions
{
    /// <summary>Listens on the sandbox's own port unless --urls, ASPNETCORE_URLS/DOTNET_URLS or Kestrel endpoints say otherwise.</summary>
    public static WebApplicationBuilder UseDefaultUrlWhenNoneGiven(this WebApplicationBuilder builder, string url)
    {
        var configuration = builder.Configuration;
        var given = !string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!given)
            builder.WebHost.UseUrls(url);
        return builder;
    }

    public static WebApplicationBuilder AddHubSpotSandbox(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HubSpotSandboxOptions>().Bind(builder.Configuration.GetSection(HubSpotSandboxOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<HubSpotStore>();
        services.AddSingleton<HubSpotRateLimiter>();
        services.AddHostedService<StatePersistence>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        return builder;
    }

    public static WebApplication MapHubSpotSandbox(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        app.MapGet("/health/ready", () => Results.Text("Healthy"));
        app.MapControlApi();
        app.MapGroup("/crm")
            .AddEndpointFilter(PrivateAppAuthentication.Filter)
            .MapCrmObjectsApi()
            .MapAssociationsApi()
            .MapMetadataApi();
        return app;
    }
}
