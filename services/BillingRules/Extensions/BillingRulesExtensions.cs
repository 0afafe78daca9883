using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuoteToCash.BillingRules.Consumers;
using QuoteToCash.BillingRules.Infrastructure.Catalog;
using QuoteToCash.BillingRules.Infrastructure.Numbering;
using QuoteToCash.BillingRules.Infrastructure.Policies;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Extensions;

public static class BillingRulesExtensions
{
    public static IHostApplicationBuilder AddBillingRules(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("billing-rules");
        builder.AddMessaging(x => x.AddBillingRulesHandlers());
        return builder;
    }

    /// <summary>The service's sagas and consumers; the same registrations run on RabbitMQ and on the test harness.</summary>
    public static IBusRegistrationConfigurator AddBillingRulesHandlers(this IBusRegistrationConfigurator x)
    {
        x.AddSagaStateMachine<QuoteToCashStateMachine, QuoteToCashState>(typeof(QuoteToCashStateDefinition));
        x.AddConsumer<ItemMappingChangedConsumer>();
        x.AddConsumer<AccountStandingConsumer>();
        x.AddRequestClient<Contracts.AccountingSync.FindAccountingInvoices>();
        x.TryAddScoped<SettleFlowActivity>();
        x.TryAddScoped<BillingPolicies>();
        x.TryAddScoped<ItemCatalog>();
        x.TryAddScoped<InvoiceNumbers>();
        return x;
    }
}
