using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuoteToCash.Sandbox.Salesforce.Apis;
using QuoteToCash.Sandbox.Salesforce.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Extensions;

public static class SalesforceSandboxExtensions
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

    public static WebApplicationBuilder AddSalesforceSandbox(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SalesforceSandboxOptions>().Bind(builder.Configuration.GetSection(SalesforceSandboxOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EventQueues>();
        services.AddSingleton<DeliveryLogs>();
        services.AddSingleton<SalesforceStore>();
        services.AddHostedService<StatePersistence>();
        services.AddHostedService<OutboundMessageDispatcher>();
        services.AddHostedService<ChangeEventDispatcher>();
        services.AddHttpClient(OutboundMessageDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        return builder;
    }

    public static WebApplication MapSalesforceSandbox(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        app.MapGet("/health/ready", () => Results.Text("Healthy"));
        app.MapControlApi();
        app.MapOAuthApi();
        app.MapRestApi();
        return app;
    }
}
