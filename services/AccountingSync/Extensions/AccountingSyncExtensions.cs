using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Extensions;

public static class AccountingSyncExtensions
{
    /// <summary>The store and bus of accounting-sync. The QuickBooks client, governor and consumers register here as they arrive.</summary>
    public static IHostApplicationBuilder AddAccountingSync(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("accounting-sync");
        builder.AddMessaging(_ => { });
        return builder;
    }
}
