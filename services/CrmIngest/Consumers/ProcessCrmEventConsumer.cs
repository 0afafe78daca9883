using MassTransit;
using Microsoft.AspNetCore.DataProtection;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.CrmIngest.Infrastructure.Salesforce;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.CrmIngest.Consumers;

/// <summary>
/// Turns one stored CRM event into normalized events: reads the object's current state from the CRM
/// (the webhook only says that something changed), decides the billing trigger from stage metadata and
/// publishes DealWon, DealLost or CustomerChangedInCrm. The delivery records what it produced. A won deal whose
/// billing terms cannot be billed is not announced: the delivery records it as refused with the reasons, and the
/// event completes normally, so other deals of the delivery and later changes of the same deal go on as usual.
/// </summary>
public sealed class ProcessCrmEventConsumer(
    IUnitOfWork unitOfWork,
    HubSpotClient hubSpot,
    SalesforceClient salesforce,
    IDataProtectionProvider dataProtection,
    PipelineStageCache stageCache,
    TimeProvider time,
    ILogger<ProcessCrmEventConsumer> logger) : IConsumer<ProcessCrmEvent>
{
    public async Task Consume(ConsumeContext<ProcessCrmEvent> context)
    {
        var evt = context.Message;
        var store = unitOfWork.Store;
        var connection = (await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(evt.TenantId, context.CancellationToken))?.Value;
        var produced = new List<ProducedEvent>();
        var refused = new List<RefusedDeal>();
        string status;
        string? note = null;

        if (connection is null)
        {
            status = "Failed";
            note = "The tenant's CRM connection was removed before the event could be processed.";
        }
        else if (evt.Crm == "hubspot")
        {
            (status, note) = await ProcessHubSpotAsync(context, connection, produced, refused);
        }
        else if (evt.Crm == "salesforce")
        {
            (status, note) = await ProcessSalesforceAsync(context, connection, produced, refused);
        }
        else
        {
            status = "Ignored";
            note = $"Events of CRM '{evt.Crm}' are not processed.";
        }

        // Each event writes its own outcome: events of one delivery processed side by side never conflict (a conflict
        // would redeliver the event and read the CRM again).
        if (await store.Collection<CrmDelivery>(CrmDelivery.CollectionName).GetAsync(evt.DeliveryId, context.CancellationToken) is not null)
        {
            unitOfWork.Upsert(CrmDeliveryOutcome.CollectionName, CrmDeliveryOutcome.KeyOf(evt.DeliveryId, evt.EventIdentity), new CrmDeliveryOutcome
            {
                DeliveryId = evt.DeliveryId,
                TenantId = evt.TenantId,
                EventIdentity = evt.EventIdentity,
                Status = status,
                Note = note,
                Produced = produced,
                Refused = refused,
                Processed = time.GetUtcNow().UtcDateTime,
            });
        }
    }

    private async Task<(string Status, string? Note)> ProcessHubSpotAsync(ConsumeContext<ProcessCrmEvent> context, CrmConnection connection, List<ProducedEvent> produced,
        List<RefusedDeal> refused)
    {
        var evt = context.Message;
        var token = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedAccessToken);
        var ct = context.CancellationToken;
        switch (evt.ObjectType)
        {
            case "deal":
            {
                var defaults = await TenantBillingDefaults.ForTenantAsync(unitOfWork.Store, evt.TenantId, ct);
                var deal = await hubSpot.GetDealAsync(connection.BaseUrl, token, evt.ObjectId, defaults.HubSpot.All, ct);
                if (deal is null)
                    return ("Ignored", $"Deal {evt.ObjectId} no longer exists in HubSpot.");
                var stages = await StagesAsync(connection, token, ct);
                var trigger = new BillingTrigger(stages, connection.BillingTriggerStages);
                var pipeline = deal["pipeline"] ?? "default";
                var stage = deal["dealstage"] ?? string.Empty;
                if (trigger.IsTriggered(pipeline, stage))
                {
                    // The three reads are independent: side by side, the deal waits for the slowest, not for their sum.
                    var companyId = deal.Associated("companies").FirstOrDefault();
                    var companyRead = companyId is null
                        ? Task.FromResult<HubSpotObject?>(null)
                        : hubSpot.GetObjectAsync(connection.BaseUrl, token, "companies", companyId, HubSpotClient.CompanyProperties, [], ct);
                    var contactsRead = hubSpot.BatchReadAsync(connection.BaseUrl, token, "contacts", deal.Associated("contacts"), HubSpotClient.ContactProperties, ct);
                    var linesRead = hubSpot.BatchReadAsync(connection.BaseUrl, token, "line_items", deal.Associated("line_items"), HubSpotClient.LineItemProperties, ct);
                    await Task.WhenAll(companyRead, contactsRead, linesRead);
                    var normalized = HubSpotDealNormalizer.Normalize(evt.TenantId, deal, await companyRead, await contactsRead, await linesRead, evt.OccurredAt, defaults);
                    return normalized.IsValid
                        ? await AnnounceAsync(context, normalized.Deal, produced)
                        : Refuse(normalized, "HubSpot deal", refused);
                }
                var known = stages.FirstOrDefault(s => s.PipelineId == pipeline && s.StageId == stage);
                if (known is { IsClosed: true } && !BillingTrigger.IsWon(known))
                {
                    var lost = new DealLost { TenantId = evt.TenantId, FlowId = FlowId.For(evt.TenantId, HubSpotDealNormalizer.Source, deal.Id), ExternalDealId = deal.Id, LostAt = evt.OccurredAt };
                    await context.Publish(lost, ct);
                    produced.Add(new ProducedEvent { Type = nameof(DealLost), FlowId = lost.FlowId });
                    return ("Processed", null);
                }
                if (known is { IsClosed: false } && await ReopenAsync(context, FlowId.For(evt.TenantId, HubSpotDealNormalizer.Source, deal.Id), HubSpotDealNormalizer.Source, deal.Id, produced))
                    return ("Processed", null);
                if (known is null)
                    logger.LogWarning("Deal {Deal} of tenant {Tenant} is in stage {Pipeline}/{Stage}, which the pipeline metadata does not list", deal.Id, evt.TenantId, pipeline, stage);
                return ("Ignored", known is null ? $"Stage {pipeline}/{stage} is not in HubSpot's pipeline metadata." : $"Stage '{known.Label}' is not a billing trigger.");
            }
            case "company":
            {
                var company = await hubSpot.GetObjectAsync(connection.BaseUrl, token, "companies", evt.ObjectId, HubSpotClient.CompanyProperties, ["contacts"], ct);
                if (company is null)
                    return ("Ignored", $"Company {evt.ObjectId} no longer exists in HubSpot.");
                var contacts = await hubSpot.BatchReadAsync(connection.BaseUrl, token, "contacts", company.Associated("contacts"), HubSpotClient.ContactProperties, ct);
                var changed = new CustomerChangedInCrm
                {
                    TenantId = evt.TenantId,
                    FlowId = FlowId.For(evt.TenantId, HubSpotDealNormalizer.Source, "company:" + company.Id),
                    SourceSystem = HubSpotDealNormalizer.Source,
                    Customer = HubSpotDealNormalizer.ToCustomer(company, contacts, new HubSpotObject(company.Id, new Dictionary<string, string?>(), new Dictionary<string, IReadOnlyList<string>>())),
                    ChangedAt = evt.OccurredAt,
                };
                await context.Publish(changed, ct);
                produced.Add(new ProducedEvent { Type = nameof(CustomerChangedInCrm), FlowId = changed.FlowId });
                return ("Processed", null);
            }
            default:
                return ("Ignored", $"{evt.ObjectType} events are not used for billing.");
        }
    }

    private async Task<(string Status, string? Note)> ProcessSalesforceAsync(ConsumeContext<ProcessCrmEvent> context, CrmConnection connection, List<ProducedEvent> produced,
        List<RefusedDeal> refused)
    {
        var evt = context.Message;
        var token = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedAccessToken);
        var ct = context.CancellationToken;
        if (evt.ObjectType is "Opportunity" or "Account" && !SalesforceOutboundMessages.IsSalesforceId(evt.ObjectId))
            return ("Ignored", $"{evt.ObjectType} '{evt.ObjectId}' is not a Salesforce ID; nothing was read.");
        switch (evt.ObjectType)
        {
            case "Opportunity":
            {
                var defaults = await TenantBillingDefaults.ForTenantAsync(unitOfWork.Store, evt.TenantId, ct);
                SalesforceOpportunity? opportunity;
                try
                {
                    opportunity = await salesforce.GetOpportunityAsync(connection.BaseUrl, token, evt.ObjectId, defaults.Salesforce.All, ct);
                }
                catch (SalesforceApiException exception) when (SaysNoSuchRecord(exception))
                {
                    return ("Ignored", NoSuchRecord("Opportunity", evt.ObjectId, exception));
                }
                if (opportunity is null)
                    return ("Ignored", $"Opportunity {evt.ObjectId} no longer exists in Salesforce.");
                var stages = await SalesforceStagesAsync(connection, token, ct);
                var trigger = new BillingTrigger(stages, connection.BillingTriggerStages);
                var stageName = SalesforceDealNormalizer.StageOf(opportunity.Opportunity);
                var known = SalesforceDealNormalizer.FindStage(stages, stageName);
                var stageId = known?.StageId ?? stageName;
                if (trigger.IsTriggered(SalesforceDealNormalizer.Pipeline, stageId))
                {
                    var normalized = SalesforceDealNormalizer.Normalize(evt.TenantId, opportunity, evt.OccurredAt, defaults);
                    return normalized.IsValid
                        ? await AnnounceAsync(context, normalized.Deal, produced)
                        : Refuse(normalized, "Salesforce opportunity", refused);
                }
                var id = opportunity.Opportunity.Id ?? evt.ObjectId;
                if (known is { IsClosed: true } && !BillingTrigger.IsWon(known))
                {
                    var lost = SalesforceDealNormalizer.ToDealLost(evt.TenantId, id, evt.OccurredAt);
                    await context.Publish(lost, ct);
                    produced.Add(new ProducedEvent { Type = nameof(DealLost), FlowId = lost.FlowId });
                    return ("Processed", null);
                }
                if (known is { IsClosed: false } && await ReopenAsync(context, FlowId.For(evt.TenantId, "salesforce", id), "salesforce", id, produced))
                    return ("Processed", null);
                if (known is null)
                    logger.LogWarning("Opportunity {Opportunity} of tenant {Tenant} is in stage {Stage}, which the OpportunityStage metadata does not list", id, evt.TenantId, stageName);
                return ("Ignored", known is null ? $"Stage '{stageName}' is not in Salesforce's OpportunityStage metadata." : $"Stage '{known.Label}' is not a billing trigger.");
            }
            case "Account":
            {
                (SalesforceRecord Account, IReadOnlyList<SalesforceRecord> Contacts)? account;
                try
                {
                    account = await salesforce.GetAccountAsync(connection.BaseUrl, token, evt.ObjectId, ct);
                }
                catch (SalesforceApiException exception) when (SaysNoSuchRecord(exception))
                {
                    return ("Ignored", NoSuchRecord("Account", evt.ObjectId, exception));
                }
                if (account is null)
                    return ("Ignored", $"Account {evt.ObjectId} no longer exists in Salesforce.");
                var changed = SalesforceDealNormalizer.ToCustomerChanged(evt.TenantId, account.Value.Account, account.Value.Contacts, evt.OccurredAt);
                await context.Publish(changed, ct);
                produced.Add(new ProducedEvent { Type = nameof(CustomerChangedInCrm), FlowId = changed.FlowId });
                return ("Processed", null);
            }
            default:
                return ("Ignored", $"{evt.ObjectType} events are not used for billing.");
        }
    }

    /// <summary>
    /// Salesforce's answers that mean the ID names no record it will ever return (malformed, of another object, deleted):
    /// a terminal outcome, recorded on the delivery, never retried. A forged notification so costs one read.
    /// </summary>
    private static bool SaysNoSuchRecord(SalesforceApiException exception) =>
        exception.ErrorCode is "INVALID_QUERY_FILTER_OPERATOR" or "MALFORMED_ID" or "INVALID_ID_FIELD" or "NOT_FOUND" or "ENTITY_IS_DELETED" or "INVALID_CROSS_REFERENCE_KEY";

    private string NoSuchRecord(string objectType, string id, SalesforceApiException exception)
    {
        logger.LogWarning("Salesforce says {ObjectType} {Id} does not exist ({ErrorCode}); the notification is not processed", objectType, id, exception.ErrorCode);
        return $"{objectType} {id} does not exist in Salesforce ({exception.ErrorCode}: {exception.Message}).";
    }

    private Task<IReadOnlyList<PipelineStage>> SalesforceStagesAsync(CrmConnection connection, string token, CancellationToken cancellationToken) =>
        stageCache.GetOrLoadAsync((SalesforceDealNormalizer.Source, connection.TenantId),
            ct => salesforce.GetOpportunityStagesAsync(connection.BaseUrl, token, ct), cancellationToken);

    /// <summary>An announced deal back in an open stage is reopened, once; deals never announced have nothing to reopen.</summary>
    private async Task<bool> ReopenAsync(ConsumeContext<ProcessCrmEvent> context, Guid flowId, string source, string externalDealId, List<ProducedEvent> produced)
    {
        var announced = await DealAnnouncements.FindAsync(unitOfWork.Store, flowId, context.CancellationToken);
        if (!DealAnnouncements.MarkReopened(unitOfWork, announced))
            return false;
        await context.Publish(new DealReopened
        {
            TenantId = context.Message.TenantId, FlowId = flowId, SourceSystem = source, ExternalDealId = externalDealId, ReopenedAt = context.Message.OccurredAt,
        }, context.CancellationToken);
        produced.Add(new ProducedEvent { Type = nameof(DealReopened), FlowId = flowId });
        return true;
    }

    /// <summary>
    /// One DealWon per deal: a batch often reports the same deal several times (creation, stage, amount). The
    /// same content again is ignored; changed content of an announced deal (amount, lines, billing terms) becomes
    /// DealChanged. Concurrent events of one deal race on the insert, and the loser is retried and sees the winner's record.
    /// </summary>
    private async Task<(string, string?)> AnnounceAsync(ConsumeContext<ProcessCrmEvent> context, DealWon won, List<ProducedEvent> produced)
    {
        var announced = await DealAnnouncements.FindAsync(unitOfWork.Store, won.FlowId, context.CancellationToken);
        var announcement = DealAnnouncements.Announce(unitOfWork, announced, won, context.Message.OccurredAt, time.GetUtcNow().UtcDateTime);
        if (announcement.Won is { } first)
        {
            await context.Publish(first, context.CancellationToken);
            produced.Add(new ProducedEvent { Type = nameof(DealWon), FlowId = won.FlowId });
            return ("Processed", null);
        }
        if (announcement.Changed is { } changed)
        {
            await context.Publish(changed, context.CancellationToken);
            produced.Add(new ProducedEvent { Type = nameof(DealChanged), FlowId = won.FlowId });
            return ("Processed", null);
        }
        return ("Ignored", "The deal was already announced with this content.");
    }

    /// <summary>A won deal whose terms cannot be billed: nothing is announced, the delivery lists the reasons, and operators see a warning.</summary>
    private (string, string?) Refuse(NormalizedDeal normalized, string what, List<RefusedDeal> refused)
    {
        var deal = normalized.Deal;
        var reasons = normalized.Violations.Select(v => v.ToString()).ToList();
        refused.Add(new RefusedDeal { ObjectId = deal.ExternalDealId, FlowId = deal.FlowId, Reasons = reasons });
        logger.LogWarning("{What} {Deal} of tenant {Tenant} is won but was not announced: its billing terms cannot be billed ({Reasons})",
            what, deal.ExternalDealId, deal.TenantId, string.Join("; ", reasons));
        return ("Refused", $"{what} {deal.ExternalDealId} was not announced; its billing terms cannot be billed: {string.Join("; ", reasons)}");
    }

    private Task<IReadOnlyList<PipelineStage>> StagesAsync(CrmConnection connection, string token, CancellationToken cancellationToken) =>
        stageCache.GetOrLoadAsync((HubSpotDealNormalizer.Source, connection.TenantId),
            ct => hubSpot.GetDealStagesAsync(connection.BaseUrl, token, ct), cancellationToken);
}
