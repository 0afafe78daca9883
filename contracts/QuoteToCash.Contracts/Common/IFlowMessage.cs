using MassTransit;

namespace QuoteToCash.Contracts;

/// <summary>
/// Every message on the bus belongs to one tenant and one quote-to-cash flow.
/// The flow ID is the deterministic <see cref="FlowId"/> of (tenant, source system, external deal ID),
/// so re-delivered or duplicated CRM events land on the same saga.
/// </summary>
[ExcludeFromTopology]
public interface IFlowMessage
{
    string TenantId { get; }

    Guid FlowId { get; }
}
