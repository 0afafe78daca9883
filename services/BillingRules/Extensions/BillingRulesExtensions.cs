using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Extensions;

public static class BillingRulesExtensions
{
    public static IHostApplicationBuilder AddBillingRules(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("billing-rules");
        builder.AddMessaging(x => x.AddSagaStateMachine<QuoteToCashStateMachine, QuoteToCashState>(typeof(QuoteToCashStateDefinition)));
        return builder;
    }
}
