using MassTransit;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Infrastructure;

namespace QuoteToCash.MasterData.Consumers;

/// <summary>
/// Finds the golden customer of a deal (by the CRM's cross-reference, else creates it), applies what the CRM says under
/// field ownership, and tells the flow whether it can bill now. A flow told to wait is released later, when finance
/// approves, edits or merges the customer.
/// </summary>
public sealed class ResolveCustomerConsumer(CustomerBook book) : IConsumer<ResolveCustomer>
{
    public async Task Consume(ConsumeContext<ResolveCustomer> context)
    {
        var command = context.Message;
        var customer = await CrmCustomerSync.ApplyAsync(book, command.TenantId, command.SourceSystem, command.Customer, context.CancellationToken,
            answeredFlow: command.FlowId);
        await book.AnswerFlowAsync(customer.Customer, command.FlowId, customer.Policy, context.CancellationToken, customer.DuplicateReasons);
    }
}
