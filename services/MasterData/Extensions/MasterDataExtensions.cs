using MassTransit;
using QuoteToCash.MasterData.Consumers;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Extensions;

public static class MasterDataExtensions
{
    public static IHostApplicationBuilder AddMasterData(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("master-data");
        builder.Services.AddMasterDataServices();
        builder.Services.AddHostedService<MasterDataIndexes>();
        builder.AddMessaging(x => x.AddMasterDataHandlers());
        return builder;
    }

    /// <summary>What the consumers and APIs share; the test harness registers the same.</summary>
    public static IServiceCollection AddMasterDataServices(this IServiceCollection services)
    {
        services.AddScoped<CustomerBook>();
        return services;
    }

    /// <summary>The service's consumers; the same registrations run on RabbitMQ and on the test harness.</summary>
    public static IBusRegistrationConfigurator AddMasterDataHandlers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<ResolveCustomerConsumer>();
        x.AddConsumer<CustomerChangedInCrmConsumer>();
        x.AddConsumer<WonDealProductsConsumer>();
        x.AddConsumer<AccountingReferenceDataConsumer>();
        x.AddConsumer<CustomerSyncedConsumer>();
        x.AddConsumer<CustomerSyncFailedConsumer>();
        return x;
    }
}
