using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Tests.Infrastructure;

/// <summary>A service-shaped host (LiteDB store + MassTransit on real RabbitMQ) for component tests.</summary>
public static class BusHost
{
    private static readonly Microsoft.Extensions.Logging.ILoggerFactory SharedLoggerFactory =
        Microsoft.Extensions.Logging.LoggerFactory.Create(_ => { });

    public static async Task<IHost> StartAsync(RabbitMqBroker broker, string endpointPrefix, string databasePath,
        Action<IBusRegistrationConfigurator> configure, Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null)
    {
        broker.SkipIfUnavailable();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Uri,
            ["Messaging:EndpointPrefix"] = endpointPrefix,
            ["Messaging:RetryIntervalsMs:0"] = "20",
            ["Messaging:RetryIntervalsMs:1"] = "50",
            ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
            ["Storage:LiteDbPath"] = databasePath,
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        services?.Invoke(builder.Services);
        builder.AddDocumentStore("tests");
        builder.AddMessaging(configure);
        // MassTransit keeps one static log context per process. Hosts of parallel tests must not hand it a logger
        // factory that dies with them, so all share one that lives as long as the test process.
        builder.Services.AddSingleton(SharedLoggerFactory);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        Assert.Equal(BusHealthStatus.Healthy, health);
        return host;
    }

    public static IDocumentStore Store(this IHost host) => host.Services.GetRequiredService<IDocumentStore>();
}
