using MassTransit;
using QuoteToCash.BillingRules.Domain.Standing;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.BillingRules.Consumers;

/// <summary>
/// Keeps each customer's standing across its flows in the <see cref="CustomerStanding.CollectionName"/> collection and
/// publishes <see cref="AccountStandingChanged"/> only on a real transition (Good ⇄ Past due 30+). The record is read
/// and replaced at the version read, so two flows of the same customer reporting at once cannot lose each other's
/// change: the later commit conflicts and is retried on the fresh record. The inbox makes a re-delivery a no-op.
/// </summary>
public sealed class AccountStandingConsumer(IUnitOfWork unitOfWork, TimeProvider time) : IConsumer<InvoiceLatenessChanged>
{
    public async Task Consume(ConsumeContext<InvoiceLatenessChanged> context)
    {
        var message = context.Message;
        var key = CustomerStanding.KeyFor(message.TenantId, message.CustomerId);
        var loaded = await unitOfWork.Store.Collection<CustomerStanding>(CustomerStanding.CollectionName).GetAsync(key, context.CancellationToken);
        var customer = loaded?.Value ?? new CustomerStanding { TenantId = message.TenantId, CustomerId = message.CustomerId };
        if (!string.IsNullOrWhiteSpace(message.CrmCompanyRef))
            customer.CrmCompanyRef = message.CrmCompanyRef; // a deal without a company does not forget the one another deal named
        var changed = AccountStandings.Apply(customer, message.FlowId, message.InvoiceId, message.DocNumber, message.PastDue30,
            message.ChangedAt.UtcDateTime);
        customer.Updated = time.GetUtcNow().UtcDateTime;
        unitOfWork.InsertOrReplace(CustomerStanding.CollectionName, key, loaded, customer);
        if (changed is not null)
        {
            unitOfWork.Publish(new AccountStandingChanged
            {
                TenantId = customer.TenantId,
                CustomerId = customer.CustomerId,
                CrmCompanyRef = customer.CrmCompanyRef,
                Standing = changed,
                ChangedAt = message.ChangedAt,
            });
        }
    }
}
