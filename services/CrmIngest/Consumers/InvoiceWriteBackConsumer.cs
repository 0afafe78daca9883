using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.CrmIngest.Consumers;

/// <summary>
/// Writes an invoice's number, status, balance due and paid date to the CRM deal (HubSpot) or Opportunity (Salesforce)
/// the flow came from: Posted on InvoicePosted, Partially paid / Paid on PaymentReceived, and whatever InvoiceStatusChanged
/// says (Sent, Overdue, Voided, …). A failing write throws, so MassTransit retries and redelivers; nothing is dropped.
/// An event older than the newest one written for the invoice does not overwrite the CRM (late or redelivered messages).
/// A payment follows the billing saga's status rules, so the two writers agree: a part payment on an overdue invoice
/// leaves it Overdue (with the new balance), a credit memo applied in QuickBooks settles it without a paid date, and a
/// voided invoice stays Voided. Flows from the generic API, and tenants without a CRM connection, have nothing to write.
/// </summary>
public sealed class InvoiceWriteBackConsumer(
    IUnitOfWork unitOfWork,
    CrmWriteBackTargets targets,
    HubSpotWriter hubSpot,
    SalesforceWriter salesforce,
    TimeProvider time,
    ILogger<InvoiceWriteBackConsumer> logger) : IConsumer<InvoicePosted>, IConsumer<InvoiceStatusChanged>, IConsumer<PaymentReceived>
{
    public Task Consume(ConsumeContext<InvoicePosted> context)
    {
        var m = context.Message;
        return WriteAsync(m.TenantId, m.FlowId, m.InvoiceId, new InvoiceWriteBack(m.DocNumber, WriteBackValues.Posted, m.Balance, null), m.PostedAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<InvoiceStatusChanged> context)
    {
        var m = context.Message;
        var status = WriteBackValues.Canonical(WriteBackValues.InvoiceStatuses, m.Status)
            ?? throw new ArgumentException($"InvoiceStatusChanged for invoice {m.InvoiceId} carries '{m.Status}', which is not an invoice status.");
        var number = string.IsNullOrWhiteSpace(m.DocNumber) ? null : m.DocNumber;
        return WriteAsync(m.TenantId, m.FlowId, m.InvoiceId, new InvoiceWriteBack(number, status, m.BalanceDue, m.PaidDate), m.ChangedAt, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<PaymentReceived> context)
    {
        var m = context.Message;
        var paid = m.RemainingBalance <= 0m;
        var byCredit = !string.IsNullOrWhiteSpace(m.AccountingCreditMemoId);
        var update = paid
            ? new InvoiceWriteBack(null, WriteBackValues.Paid, 0m, byCredit ? null : DateOnly.FromDateTime(m.ReceivedAt.UtcDateTime))
            : new InvoiceWriteBack(null, WriteBackValues.PartiallyPaid, m.RemainingBalance, null);
        return WriteAsync(m.TenantId, m.FlowId, m.InvoiceId, update, m.ReceivedAt, context.CancellationToken, fromPayment: true);
    }

    private async Task WriteAsync(string tenantId, Guid flowId, Guid invoiceId, InvoiceWriteBack update, DateTimeOffset changedAt, CancellationToken cancellationToken,
        bool fromPayment = false)
    {
        var crmObject = await FindCrmObjectAsync(tenantId, flowId, cancellationToken);
        if (crmObject is null)
            return;
        var target = await targets.ResolveAsync(tenantId, crmObject.SourceSystem, cancellationToken);
        if (target is null)
        {
            logger.LogDebug("Invoice {Invoice} of flow {Flow} not written back: tenant {Tenant} has no {Source} connection (or the source is not a CRM)",
                invoiceId, flowId, tenantId, crmObject.SourceSystem);
            return;
        }

        var states = unitOfWork.Store.Collection<InvoiceWriteBackState>(InvoiceWriteBackState.CollectionName);
        var key = InvoiceWriteBackState.Key(flowId, invoiceId);
        var state = await states.GetAsync(key, cancellationToken);
        var at = changedAt.UtcDateTime;
        if (fromPayment && state?.Value.Status is { } shown)
        {
            if (shown == WriteBackValues.Voided)
            {
                logger.LogDebug("Invoice {Invoice} of flow {Flow} is voided; a payment does not change what the CRM shows", invoiceId, flowId);
                return;
            }
            if (shown == WriteBackValues.Overdue && update.Status == WriteBackValues.PartiallyPaid)
                update = update with { Status = WriteBackValues.Overdue };
        }
        if (state is not null && state.Value.LastChangeAt > at)
        {
            // Older than what the CRM already shows: keep the newer status, but an invoice number not yet written still is.
            if (update.InvoiceNumber is null || state.Value.InvoiceNumber is not null)
            {
                logger.LogDebug("Invoice {Invoice} of flow {Flow}: {Status} at {At} is older than the {Current} already written; skipped",
                    invoiceId, flowId, update.Status, at, state.Value.Status);
                return;
            }
            update = new InvoiceWriteBack(update.InvoiceNumber, null, null, null);
        }

        switch (target)
        {
            case HubSpotTarget portal:
                await hubSpot.UpdateDealAsync(portal, crmObject.ExternalDealId, update, cancellationToken);
                break;
            case SalesforceTarget org:
                await salesforce.UpdateOpportunityAsync(org, crmObject.ExternalDealId, update, cancellationToken);
                break;
        }

        var next = new InvoiceWriteBackState
        {
            FlowId = flowId,
            InvoiceId = invoiceId,
            TenantId = tenantId,
            InvoiceNumber = update.InvoiceNumber ?? state?.Value.InvoiceNumber,
            Status = update.Status ?? state?.Value.Status,
            LastChangeAt = state is not null && state.Value.LastChangeAt > at ? state.Value.LastChangeAt : at,
            Written = time.GetUtcNow().UtcDateTime,
        };
        unitOfWork.InsertOrReplace(InvoiceWriteBackState.CollectionName, key, state, next);
    }

    /// <summary>
    /// The flow's CRM deal: recorded from DealWon, else the generic-ingest record. A deal crm-ingest announced whose mapping is
    /// not recorded yet (the DealWon is still queued for the registry) throws, so the write-back is retried rather than lost.
    /// </summary>
    private async Task<FlowCrmObject?> FindCrmObjectAsync(string tenantId, Guid flowId, CancellationToken cancellationToken)
    {
        var key = flowId.ToString("D");
        var mapped = await unitOfWork.Store.Collection<FlowCrmObject>(FlowCrmObject.CollectionName).GetAsync(key, cancellationToken);
        if (mapped is not null)
            return mapped.Value.TenantId == tenantId ? mapped.Value : null;

        var ingested = await unitOfWork.Store.Collection<IngestedDeal>(IngestedDeal.CollectionName).GetAsync(key, cancellationToken);
        if (ingested is not null && ingested.Value.TenantId == tenantId)
        {
            return new FlowCrmObject
            {
                FlowId = flowId,
                TenantId = tenantId,
                SourceSystem = ingested.Value.SourceSystem,
                ExternalDealId = ingested.Value.ExternalDealId,
            };
        }

        var announced = await unitOfWork.Store.Collection<AnnouncedDeal>(AnnouncedDeal.CollectionName).GetAsync(key, cancellationToken);
        if (announced is not null && announced.Value.TenantId == tenantId)
            throw new InvalidOperationException($"Flow {flowId} of tenant {tenantId} came from a CRM deal whose write-back mapping is not recorded yet; retrying.");

        logger.LogDebug("Flow {Flow} of tenant {Tenant} has no CRM deal; nothing to write back", flowId, tenantId);
        return null;
    }
}
