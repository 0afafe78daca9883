using QuoteToCash.CrmIngest.Consumers;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Extensions;

public static class CrmIngestExtensions
{
    public static IHostApplicationBuilder AddCrmIngest(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("crm-ingest");
        builder.AddMessaging(x =>
        {
            x.AddConsumer<ProcessCrmEventConsumer>();
            x.AddWriteBackConsumers();
        });
        builder.Services.AddWriteBack();
        builder.Services.AddHttpClient<HubSpotClient>(c => c.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHttpClient<QuoteToCash.CrmIngest.Infrastructure.Salesforce.SalesforceClient>(c => c.Timeout = TimeSpan.FromSeconds(30));
        builder.AddStoreDataProtection("quotetocash-crm-ingest");
        builder.Services.AddOpenApi();
        return builder;
    }
}
