using MassTransit;
using QuoteToCash.MasterData.Consumers;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Extensions;

public static class MasterDataExtensions
{
    public static IHostApplicationBuilder AddMasterData(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("master-data");
        builder.AddMessaging(x => x.AddMasterDataHandlers());
        return builder;
    }

    /// <summary>The service's consumers; the same registrations run on RabbitMQ and on the test harness.</summary>
    public static IBusRegistrationConfigurator AddMasterDataHandlers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<ResolveCustomerConsumer>();
        return x;
    }
}
