using MassTransit;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Extensions;

public static class ReportingExtensions
{
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("reporting");
        builder.AddMessaging(x => x.AddReportingHandlers());
        return builder;
    }

    /// <summary>The service's consumers; the same registrations run on RabbitMQ and on the test harness.</summary>
    public static IBusRegistrationConfigurator AddReportingHandlers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<FlowTimelineConsumer>();
        x.AddConsumer<ExceptionSlaBreachedConsumer>();
        x.AddConsumer<QuickBooksAuthorizationLostConsumer>();
        return x;
    }
}
