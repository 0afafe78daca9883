using MassTransit;
using QuoteToCash.CrmIngest.Consumers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.CrmIngest.Infrastructure.Salesforce;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Extensions;

public static class CrmIngestExtensions
{
    public static IHostApplicationBuilder AddCrmIngest(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("crm-ingest");
        builder.AddMessaging(x => x.AddCrmIngestHandlers());
        builder.Services.AddWriteBack();
        builder.Services.AddCrmReaders();
        builder.AddStoreDataProtection("quotetocash-crm-ingest");
        builder.Services.AddOpenApi();
        builder.Services.AddOptions<Infrastructure.Retention.IntakeRetentionOptions>().BindConfiguration(Infrastructure.Retention.IntakeRetentionOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Infrastructure.Retention.IntakeRetentionWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Infrastructure.Retention.IntakeRetentionWorker>());
        return builder;
    }

    /// <summary>The service's consumers; the same registrations run on RabbitMQ and on the test harness.</summary>
    public static IBusRegistrationConfigurator AddCrmIngestHandlers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<ProcessCrmEventConsumer>();
        x.AddWriteBackConsumers();
        return x;
    }

    /// <summary>
    /// The HubSpot and Salesforce API clients that read a CRM's objects, with the metadata caches they share across messages;
    /// each reaches only what the outbound policy (<c>Connections</c>) allows for its CRM.
    /// </summary>
    public static IServiceCollection AddCrmReaders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PipelineStageCache>();
        services.TryAddSingleton<HubSpotRateBudget>();
        services.AddSingleton<SalesforceOrgShapeCache>();
        services.AddHttpClient<HubSpotClient>(c => c.Timeout = TimeSpan.FromSeconds(30)).UseOutboundPolicy(OutboundVendors.HubSpot);
        services.AddHttpClient<SalesforceClient>(c => c.Timeout = TimeSpan.FromSeconds(30)).UseOutboundPolicy(OutboundVendors.Salesforce);
        return services;
    }
}
