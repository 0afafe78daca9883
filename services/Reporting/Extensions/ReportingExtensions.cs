using QuoteToCash.Reporting.Consumers;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Extensions;

public static class ReportingExtensions
{
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore("reporting");
        builder.AddMessaging(x => x.AddConsumer<FlowTimelineConsumer>());
        return builder;
    }
}
