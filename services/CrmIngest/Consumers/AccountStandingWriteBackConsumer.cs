using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;

namespace QuoteToCash.CrmIngest.Consumers;

/// <summary>Writes a customer's standing to its CRM company (HubSpot) or Account (Salesforce). A failing write throws, so the message is retried.</summary>
public sealed class AccountStandingWriteBackConsumer(
    CrmWriteBackTargets targets,
    HubSpotWriter hubSpot,
    SalesforceWriter salesforce,
    ILogger<AccountStandingWriteBackConsumer> logger) : IConsumer<AccountStandingChanged>
{
    public async Task Consume(ConsumeContext<AccountStandingChanged> context)
    {
        var message = context.Message;
        var separator = message.CrmCompanyRef.IndexOf(':');
        if (separator <= 0 || separator == message.CrmCompanyRef.Length - 1)
        {
            logger.LogDebug("Standing of customer {Customer} (tenant {Tenant}) not written back: company reference '{Ref}' names no CRM object",
                message.CustomerId, message.TenantId, message.CrmCompanyRef);
            return;
        }
        var source = message.CrmCompanyRef[..separator].Trim().ToLowerInvariant();
        var companyId = message.CrmCompanyRef[(separator + 1)..].Trim();
        var target = await targets.ResolveAsync(message.TenantId, source, context.CancellationToken);
        switch (target)
        {
            case HubSpotTarget portal:
                await hubSpot.UpdateCompanyStandingAsync(portal, companyId, message.Standing, context.CancellationToken);
                break;
            case SalesforceTarget org:
                await salesforce.UpdateAccountStandingAsync(org, companyId, message.Standing, context.CancellationToken);
                break;
            default:
                logger.LogDebug("Standing of customer {Customer} (tenant {Tenant}, {Source}) not written back: no CRM connection for that source",
                    message.CustomerId, message.TenantId, source);
                break;
        }
    }
}
