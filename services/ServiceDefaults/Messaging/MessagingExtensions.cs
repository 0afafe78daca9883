using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string DefaultRabbitMqUri = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>The broker address: <c>ConnectionStrings:rabbitmq</c>, else <c>RABBITMQ_URI</c>, else the local default.</summary>
    public static Uri RabbitMqUri(IConfiguration configuration) =>
        new(configuration.GetConnectionString("rabbitmq") ?? configuration["RABBITMQ_URI"] ?? DefaultRabbitMqUri);

    /// <summary>
    /// MassTransit 8 on RabbitMQ with kebab-case endpoints, publisher confirms, in-process retries, the
    /// store-backed inbox/outbox on every endpoint, the store-backed saga repository for every saga,
    /// the outbox dispatcher and the due-jobs scheduler. Usage telemetry is off.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        builder.AddMessagingInfrastructure();
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.UseDocumentStorePersistence();
            configure(x);

            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                ConfigureHost(cfg, RabbitMqUri(context.GetRequiredService<IConfiguration>()));
                cfg.PrefetchCount = options.PrefetchCount;
                cfg.ConfigureEndpoints(context);
            });
        });
        // Queue names carry the service's prefix, read when the bus is built (configuration may arrive late).
        builder.Services.Replace(ServiceDescriptor.Singleton<IEndpointNameFormatter>(sp =>
            new KebabCaseEndpointNameFormatter(sp.GetRequiredService<IOptions<MessagingOptions>>().Value.EndpointPrefix, false)));
        // Gauges of what waits: in the store (outbox, due jobs) and on the broker (the service's queues).
        builder.Services.AddSampledGauge<OutboxBacklogGauge>();
        builder.Services.AddSampledGauge<QueueDepthGauge>();
        builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<QueueDepthGauge>());
        return builder;
    }

    /// <summary>
    /// What a service's bus runs on besides the transport: messaging options, the scoped unit of work, outbox
    /// delivery and its dispatcher, and the due-jobs scheduler. <see cref="AddMessaging"/>
    /// adds RabbitMQ on top; component tests add MassTransit's test harness instead.
    /// </summary>
    public static IHostApplicationBuilder AddMessagingInfrastructure(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MessagingOptions>(builder.Configuration.GetSection(MessagingOptions.Section));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<OutboxDelivery>();
        builder.Services.TryAddScoped<UnitOfWork>();
        builder.Services.TryAddScoped<IUnitOfWork>(sp => sp.GetRequiredService<UnitOfWork>());
        builder.Services.TryAddScoped<MassTransit.Middleware.IOutboxContextFactory<IDocumentStore>, StoreOutboxContextFactory>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<JobSchedulerService>();
        return builder;
    }

    /// <summary>
    /// Every saga in the service's document store, and on every endpoint: the tenant and flow in the logging scope, interval
    /// retries, a fast inner retry for optimistic-concurrency conflicts, the store-backed inbox/outbox and (when configured)
    /// quorum queues.
    /// </summary>
    public static IBusRegistrationConfigurator UseDocumentStorePersistence(this IBusRegistrationConfigurator x)
    {
        x.SetSagaRepositoryProvider(new DocumentStoreSagaRepositoryProvider());
        x.AddConfigureEndpointsCallback((context, _, endpoint) =>
        {
            var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
            // Tenant and flow in the logging scope and on the span, around the retries so every attempt's lines carry them.
            endpoint.UseConsumeFilter(typeof(FlowScopeFilter<>), context);
            endpoint.UseMessageRetry(r => r.Intervals(options.EffectiveRetryIntervalsMs));
            // Optimistic-concurrency conflicts resolve by re-reading: retry them quickly and often, inside the general policy.
            endpoint.UseMessageRetry(r =>
            {
                r.Handle<DocumentStoreException>();
                r.Incremental(options.ConflictRetryLimit, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10));
            });
            endpoint.UseDocumentStoreOutbox(context);
            if (options.QuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                rabbitEndpoint.SetQuorumQueue();
        });
        return x;
    }

    public static void ConfigureHost(IRabbitMqBusFactoryConfigurator cfg, Uri uri)
    {
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        var userInfo = uri.UserInfo.Split(':', 2);
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        cfg.Host(uri.Host, (ushort)port, string.IsNullOrEmpty(vhost) ? "/" : vhost, h =>
        {
            if (userInfo.Length == 2)
            {
                h.Username(Uri.UnescapeDataString(userInfo[0]));
                h.Password(Uri.UnescapeDataString(userInfo[1]));
            }
            h.PublisherConfirmation = true;
            if (uri.Scheme == "amqps")
                h.UseSsl(s => s.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
        });
    }
}
