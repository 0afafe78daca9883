using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Outbound.Operations;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.AccountingSync.Consumers;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.Reconciliation;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.AccountingSync.Infrastructure.TimeActivities;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Telemetry;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Extensions;

public static class AccountingSyncExtensions
{
    /// <summary>Store, bus, Data Protection key ring in the store, QuickBooks client and governor, invoice posting.</summary>
    public static IHostApplicationBuilder AddAccountingSync(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("accounting-sync");
        builder.AddMessaging(x => x.AddAccountingSyncHandlers());

        builder.AddStoreDataProtection("quotetocash-accounting-sync");

        builder.Services.AddQuickBooksClient();
        builder.Services.AddOptions<Apis.QuickBooksWebhookOptions>().BindConfiguration(Apis.QuickBooksWebhookOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<ReferenceDataOptions>(builder.Configuration.GetSection(ReferenceDataOptions.Section));

        builder.Services.AddAccountingSyncPosting();
        builder.Services.AddOptions<Infrastructure.Retention.WebhookRetentionOptions>().BindConfiguration(Infrastructure.Retention.WebhookRetentionOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<Infrastructure.Retention.WebhookRetentionWorker>();
        builder.Services.AddAccountingSyncInbound();
        builder.Services.AddSampledGauge<Infrastructure.Exceptions.OpenExceptionsGauge>();
        builder.Services.AddHostedService<Infrastructure.Exceptions.ExceptionIndexes>();
        return builder;
    }

    /// <summary>
    /// Inbound changes from QuickBooks and reconciliation (<c>QuickBooks:Inbound</c>, <c>QuickBooks:Reconciliation</c>): the
    /// settings and the service that arms each connected tenant's CDC sweep and daily reconciliation jobs.
    /// </summary>
    public static IServiceCollection AddAccountingSyncInbound(this IServiceCollection services)
    {
        services.AddOptions<InboundOptions>().BindConfiguration(InboundOptions.Section);
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section);
        services.AddHostedService<InboundJobArming>();
        return services;
    }

    /// <summary>
    /// The durable posting queues and their workers: invoices (<see cref="InvoicePostingWorker"/>) and credit memos,
    /// write-offs and refunds (<see cref="AdjustmentPostingWorker"/>), configured by <c>QuickBooks:Posting</c>. Needs the
    /// QuickBooks client (<see cref="AddQuickBooksClient"/>), a document store and the messaging infrastructure.
    /// </summary>
    public static IServiceCollection AddAccountingSyncPosting(this IServiceCollection services)
    {
        services.AddOptions<PostingOptions>().BindConfiguration("QuickBooks:Posting");
        services.AddSingleton<InvoicePostingSignal>();
        services.AddSingleton<AdjustmentSignal>();
        services.AddSingleton<PostingSequence>();
        services.AddTransient<RealmDrainScheduler>();
        services.AddHostedService<InvoicePostingWorker>();
        services.AddHostedService<AdjustmentPostingWorker>();
        return services.AddAccountingSyncOutbound();
    }

    /// <summary>
    /// The outbound queue's worker and the operations it runs (customers, invoice e-mails, time entries), configured by
    /// <c>QuickBooks:Posting</c> like the posting queues. Needs the QuickBooks client, a document store and the messaging infrastructure.
    /// </summary>
    public static IServiceCollection AddAccountingSyncOutbound(this IServiceCollection services)
    {
        services.AddOptions<PostingOptions>().BindConfiguration("QuickBooks:Posting");
        services.TryAddSingleton<PostingSequence>();
        services.TryAddSingleton<OutboundSignal>();
        services.TryAddTransient<RealmDrainScheduler>();
        services.TryAddScoped<SyncCustomerOperation>();
        services.TryAddScoped<SendInvoiceOperation>();
        services.TryAddScoped<PostTimeActivityOperation>();
        services.AddHostedService<OutboundOperationWorker>();
        return services;
    }

    /// <summary>
    /// The QuickBooks client with its token manager and per-realm rate governor (needs Data Protection and a document store);
    /// both HTTP clients reach only what the outbound policy (<c>Connections</c>) allows for QuickBooks.
    /// </summary>
    public static IServiceCollection AddQuickBooksClient(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("QuickBooks:Limits").Get<QboLimits>() ?? new QboLimits());
        services.AddSingleton<RateGovernor>();
        services.AddOptions<RealmOwnershipOptions>().BindConfiguration(RealmOwnershipOptions.Section);
        services.AddSingleton<RealmOwnership>();
        services.AddHostedService<RealmLeaseHandover>();
        services.AddSingleton<QboTokenManager>();
        services.AddHttpClient(QboTokenManager.HttpClientName).WithTokenTimeout().UseOutboundPolicy(OutboundVendors.QuickBooks);
        services.AddTransient<ReferenceDataReader>();
        services.AddTransient<ReferenceDataBook>();
        services.AddTransient<EmployeeDirectory>();
        services.AddHttpClient<QboClient>((sp, c) => c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IConfiguration>().GetValue("QuickBooks:RequestTimeoutSeconds", 100)))
            .UseOutboundPolicy(OutboundVendors.QuickBooks);
        return services;
    }

    /// <summary>The service's consumers; the same registrations run on RabbitMQ and on the test harness.</summary>
    public static IBusRegistrationConfigurator AddAccountingSyncHandlers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<PostInvoiceConsumer>();
        x.AddConsumer<PostCreditMemoConsumer>();
        x.AddConsumer<IssueRefundConsumer>();
        x.AddConsumer<FindAccountingInvoicesConsumer>();
        x.AddConsumer<SyncCustomerConsumer>();
        x.AddConsumer<RefreshReferenceDataConsumer>();
        x.AddConsumer<ReferenceListChangedConsumer>();
        x.AddConsumer<SendInvoiceConsumer>();
        x.AddConsumer<PostTimeActivityConsumer>();
        x.AddConsumer<InboundPostedInvoiceConsumer>();
        x.AddConsumer<InboundEntityChangedConsumer>();
        x.AddConsumer<InboundChangeConsumer>();
        x.AddConsumer<InboundCdcSweepConsumer>();
        x.AddConsumer<ReconciliationConsumer>();
        x.AddSyncExceptionHandlers();
        return x;
    }

    /// <summary>The exception queue (ACC-4): its record keeping, billing's holds, and the faults of every contract message.</summary>
    public static IBusRegistrationConfigurator AddSyncExceptionHandlers(this IBusRegistrationConfigurator x)
    {
        x.TryAddScoped<SyncExceptionBook>();
        x.TryAddScoped<SyncExceptionRetry>();
        x.AddConsumer<SyncExceptionConsumer>();
        x.AddConsumer<FlowHoldChangedConsumer>();
        x.AddMessageFaultConsumers();
        return x;
    }
}
