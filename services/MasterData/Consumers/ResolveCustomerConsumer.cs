using MassTransit;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.MasterData.Consumers;

/// <summary>Finds or creates the golden customer for a deal and tells the flow whether it can be billed.</summary>
public sealed class ResolveCustomerConsumer(IUnitOfWork unitOfWork, TimeProvider time) : IConsumer<ResolveCustomer>
{
    public async Task Consume(ConsumeContext<ResolveCustomer> context)
    {
        var command = context.Message;
        var now = time.GetUtcNow().UtcDateTime;
        var customerId = CustomerRules.CustomerIdFor(command.TenantId, command.SourceSystem, command.Customer.ExternalId);
        var key = customerId.ToString("D");
        var existing = await unitOfWork.Store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName).GetAsync(key, context.CancellationToken);

        var customer = existing?.Value ?? new GoldenCustomer { CustomerId = customerId, TenantId = command.TenantId, Created = now };
        CustomerRules.ApplyCrmSnapshot(customer, command.Customer, command.SourceSystem);
        customer.Updated = now;
        unitOfWork.InsertOrReplace(GoldenCustomer.CollectionName, key, existing, customer);

        if (customer.Status == CustomerStatus.Approved)
        {
            await context.Publish(new CustomerReady
            {
                TenantId = command.TenantId,
                FlowId = command.FlowId,
                CustomerId = customer.CustomerId,
                DisplayName = customer.DisplayName,
                AccountingCustomerRef = customer.AccountingCustomerRef,
                PaymentTerms = customer.PaymentTerms,
                Currency = customer.Currency,
            });
        }
        else
        {
            await context.Publish(new CustomerNeedsReview
            {
                TenantId = command.TenantId,
                FlowId = command.FlowId,
                CustomerId = customer.CustomerId,
                Reasons = customer.MissingFields.Select(f => $"missing {f}").ToList(),
            });
        }
    }
}
