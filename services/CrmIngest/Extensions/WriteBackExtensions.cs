using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuoteToCash.CrmIngest.Consumers;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.ServiceDefaults.Outbound;

namespace QuoteToCash.CrmIngest.Extensions;

/// <summary>ING-6: invoice status and account standing written back to the tenant's CRM.</summary>
public static class WriteBackExtensions
{
    public static void AddWriteBackConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<WriteBackFlowRegistry>();
        x.AddConsumer<InvoiceWriteBackConsumer>();
        x.AddConsumer<AccountStandingWriteBackConsumer>();
    }

    public static IServiceCollection AddWriteBack(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HubSpotRateBudget>();
        services.AddOptions<WriteBackOptions>().BindConfiguration(WriteBackOptions.Section);
        services.AddHttpClient<HubSpotWriter>(c => c.Timeout = TimeSpan.FromSeconds(30)).UseOutboundPolicy(OutboundVendors.HubSpot);
        services.AddHttpClient<SalesforceWriter>(c => c.Timeout = TimeSpan.FromSeconds(30)).UseOutboundPolicy(OutboundVendors.Salesforce);
        services.AddScoped<CrmWriteBackTargets>();
        return services;
    }
}
