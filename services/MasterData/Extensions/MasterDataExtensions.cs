using QuoteToCash.MasterData.Consumers;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Extensions;

public static class MasterDataExtensions
{
    public static IHostApplicationBuilder AddMasterData(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("master-data");
        builder.AddMessaging(x => x.AddConsumer<ResolveCustomerConsumer>());
        return builder;
    }
}
