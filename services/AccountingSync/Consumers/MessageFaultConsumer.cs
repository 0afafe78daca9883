using System.Reflection;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Messages that land in any service's <c>_error</c> queue, in the exception queue. MassTransit publishes
/// <c>Fault&lt;T&gt;</c> when a consumer or saga fails a message for good (after the endpoint's retries, as it moves the
/// message to <c>_error</c>); this consumer, registered once per contract message type, opens a PoisonMessage exception
/// with the flow, the message type, where it failed and the exception's message. The stack trace goes to Detail, for
/// engineers. Retrying re-publishes the original message.
/// </summary>
/// <remarks>
/// A SyncCustomer that failed because QuickBooks stayed unavailable or kept throttling (the endpoint retries those) is
/// recorded against the customer instead, as QboUnavailable or RateLimited, so that the customer's next successful sync
/// resolves it.
/// </remarks>
public sealed class MessageFaultConsumer<T>(SyncExceptionBook book) : IConsumer<Fault<T>> where T : class
{
    private const int MessageLimit = 500;
    private const int DetailLimit = 8000;
    private static readonly PropertyInfo? TenantProperty = Property("TenantId", typeof(string));
    private static readonly PropertyInfo? SourceProperty = Property("SourceSystem", typeof(string));
    private static readonly PropertyInfo? DealProperty = Property("ExternalDealId", typeof(string));

    public async Task Consume(ConsumeContext<Fault<T>> context)
    {
        if (Raised(context.Message, context.SourceAddress) is { } raised)
            await book.RaiseAsync(raised, context.CancellationToken);
    }

    /// <summary>The exception for a failed message, or null when the message names no tenant.</summary>
    public static OpenSyncException? Raised(Fault<T> fault, Uri? failedAt)
    {
        var message = fault.Message;
        if (TenantProperty?.GetValue(message) is not string { Length: > 0 } tenant)
            return null;
        var type = typeof(T).Name;
        var where = failedAt?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "an unknown endpoint";
        var flowId = message is IFlowMessage flow ? flow.FlowId : (Guid?)null;
        var deal = SourceProperty?.GetValue(message) is string source && DealProperty?.GetValue(message) is string dealId ? DealReference.Of(source, dealId) : null;
        var first = fault.Exceptions.FirstOrDefault();
        var reason = Shorten(first?.Message ?? "no reason was given", MessageLimit);
        var detail = Shorten(string.Join("\n---\n", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}\n{e.StackTrace}")), DetailLimit);
        var json = JsonSerializer.Serialize(message, JsonSerializerOptions.Web);

        if (message is SyncCustomer command && QuickBooksKind(first) is { } availability)
        {
            return new OpenSyncException
            {
                TenantId = tenant,
                Kind = availability,
                Entity = "Customer",
                EntityId = command.CustomerId.ToString("D"),
                Operation = nameof(SyncCustomer),
                Message = availability == SyncExceptionKind.RateLimited
                    ? $"Customer '{command.DisplayName}' could not be written to QuickBooks: QuickBooks kept throttling the platform's requests beyond the retries."
                    : $"Customer '{command.DisplayName}' could not be written to QuickBooks: QuickBooks did not answer, even after the retries.",
                SuggestedFix = "Check QuickBooks' status page; once QuickBooks answers again, press Retry to send the customer again.",
                Detail = detail,
                CommandType = typeof(T).FullName,
                CommandJson = json,
                OccurredAt = fault.Timestamp,
            };
        }

        return new OpenSyncException
        {
            TenantId = tenant,
            Kind = SyncExceptionKind.PoisonMessage,
            Entity = type,
            EntityId = flowId?.ToString("D") ?? fault.FaultedMessageId?.ToString("D") ?? fault.FaultId.ToString("D"),
            Operation = "Consume:" + where,
            FlowId = flowId,
            DealRef = deal,
            Message = $"A {type} message" + (deal is null ? string.Empty : $" for deal {deal}") +
                      $" could not be processed by {where} and was set aside: {reason}",
            SuggestedFix = "Engineers: the cause is in the detail. Once it is fixed, press Retry to send the message again; nothing else of the deal was lost.",
            Detail = detail,
            CommandType = typeof(T).FullName,
            CommandJson = json,
            OccurredAt = fault.Timestamp,
        };
    }

    private static SyncExceptionKind? QuickBooksKind(ExceptionInfo? exception)
    {
        if (exception is null || exception.ExceptionType != typeof(QboException).FullName)
            return null;
        return exception.Message.StartsWith($"QuickBooks {QboErrorKind.Throttled}", StringComparison.Ordinal) ? SyncExceptionKind.RateLimited
            : exception.Message.StartsWith($"QuickBooks {QboErrorKind.Transient}", StringComparison.Ordinal) ? SyncExceptionKind.QboUnavailable
            : null;
    }

    private static string Shorten(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";

    private static PropertyInfo? Property(string name, Type type) =>
        typeof(T).GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { } property && property.PropertyType == type ? property : null;
}

/// <summary>All the fault consumers share one endpoint (queue) of accounting-sync, named after the service's prefix.</summary>
public sealed class MessageFaultConsumerDefinition<T> : ConsumerDefinition<MessageFaultConsumer<T>> where T : class
{
    public MessageFaultConsumerDefinition(IOptions<MessagingOptions> options)
    {
        var prefix = options.Value.EndpointPrefix;
        EndpointName = new KebabCaseEndpointNameFormatter(prefix, false).SanitizeName(prefix + "MessageFaults");
    }
}

/// <summary>The contract message types whose faults the exception queue shows, and the registration of their fault consumers.</summary>
public static class MessageFaults
{
    /// <summary>Every message record of the contracts assembly that names a tenant.</summary>
    public static IReadOnlyList<Type> ContractMessageTypes { get; } = typeof(IFlowMessage).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false, Namespace: not null }
                    && t.Namespace.StartsWith("QuoteToCash.Contracts.", StringComparison.Ordinal)
                    && t.GetProperty("TenantId")?.PropertyType == typeof(string))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();

    public static IBusRegistrationConfigurator AddMessageFaultConsumers(this IBusRegistrationConfigurator x)
    {
        foreach (var type in ContractMessageTypes)
            x.AddConsumer(typeof(MessageFaultConsumer<>).MakeGenericType(type), typeof(MessageFaultConsumerDefinition<>).MakeGenericType(type));
        return x;
    }

    /// <summary>The contract (or accounting-sync) message type of that full name; null for any other type.</summary>
    public static Type? Resolve(string? fullName) => fullName is null ? null
        : typeof(IFlowMessage).Assembly.GetType(fullName, throwOnError: false) is { } contract && contract.Namespace?.StartsWith("QuoteToCash.Contracts.", StringComparison.Ordinal) == true
            ? contract
            : typeof(MessageFaults).Assembly.GetType(fullName, throwOnError: false) is { Namespace: "QuoteToCash.AccountingSync.Messages" } own ? own : null;
}
