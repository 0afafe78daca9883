using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Logging;
using QuoteToCash.Contracts;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// On every consumed message: the tenant and flow it concerns go into the logging scope (<see cref="FlowLogScope"/>)
/// and onto the message's span (<c>q2c.tenant</c>, <c>q2c.flow_id</c>), so a deal's logs and its trace can be found by
/// its flow ID. Flow messages name both; other messages with a <c>TenantId</c> (customer syncs, QuickBooks changes) give
/// the tenant.
/// </summary>
public sealed class FlowScopeFilter<T>(ILogger<FlowScopeFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var (tenant, flow) = MessageIdentity.Of(context.Message);
        if (tenant is null && flow is null)
        {
            await next.Send(context);
            return;
        }
        Activity.Current.WithFlow(tenant, flow);
        using (logger.BeginScope(new FlowLogScope(tenant, flow, typeof(T).Name)))
            await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("flowScope");
}

/// <summary>The tenant and flow a message concerns, read once per message type.</summary>
public static class MessageIdentity
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> TenantProperties = new();

    public static (string? TenantId, Guid? FlowId) Of(object message)
    {
        if (message is IFlowMessage flow)
            return (flow.TenantId, flow.FlowId);
        var property = TenantProperties.GetOrAdd(message.GetType(), type =>
            type.GetProperty("TenantId", BindingFlags.Public | BindingFlags.Instance) is { PropertyType: var t } p && t == typeof(string) ? p : null);
        return (property?.GetValue(message) as string, null);
    }
}
