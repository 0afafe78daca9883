using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.Reporting.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Extensions;

public static class ReportingExtensions
{
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("reporting");
        builder.Services.AddReportingReadModels();
        builder.Services.AddKpiSnapshotWarmUp();
        builder.AddMessaging(x => x.AddReportingHandlers());
        return builder;
    }

    /// <summary>The service's consumers; the same registrations run on RabbitMQ and on the test harness.</summary>
    public static IBusRegistrationConfigurator AddReportingHandlers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<FlowTimelineConsumer>();
        x.AddConsumer<ExceptionSlaBreachedConsumer>();
        x.AddConsumer<QuickBooksAuthorizationLostConsumer>();
        x.AddConsumer<ReadModelConsumer>();
        return x;
    }

    /// <summary>Loads every tenant's KPI snapshot in the background once the host has started (<see cref="KpiSnapshotWarmer"/>).</summary>
    public static IServiceCollection AddKpiSnapshotWarmUp(this IServiceCollection services)
    {
        services.TryAddSingleton<KpiSnapshotWarmer>();
        services.AddHostedService(sp => sp.GetRequiredService<KpiSnapshotWarmer>());
        return services;
    }

    /// <summary>The KPI read models' services: the in-memory snapshots, the rebuild and the settings store.</summary>
    public static IServiceCollection AddReportingReadModels(this IServiceCollection services)
    {
        services.TryAddSingleton<KpiSnapshots>();
        services.TryAddSingleton<ReadModelRebuilder>();
        services.TryAddSingleton<IReportingSettingsStore, ReportingSettingsStore>();
        return services;
    }
}
