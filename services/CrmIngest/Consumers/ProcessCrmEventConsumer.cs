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
/// publishes DealWon, DealLost or CustomerChangedInCrm. The delivery records what it produced.
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
        string status;
        string? note = null;

        if (connection is null)
        {
            status = "Failed";
            note = "The tenant's CRM connection was removed before the event could be processed.";
        }
        else if (evt.Crm == "hubspot")
        {
            (status, note) = await ProcessHubSpotAsync(context, connection, produced);
        }
        else if (evt.Crm == "salesforce")
        {
            (status, note) = await ProcessSalesforceAsync(context, connection, produced);
        }
        else
        {
            status = "Ignored";
            note = $"Events of CRM '{evt.Crm}' are not processed.";
        }

        var deliveries = store.Collection<CrmDelivery>(CrmDelivery.CollectionName);
        var delivery = await deliveries.GetAsync(evt.DeliveryId, context.CancellationToken);
        if (delivery is not null)
        {
            delivery.Value.Produced.AddRange(produced);
            if (delivery.Value.Status is "Received" or "Processed" or "Ignored")
                delivery.Value.Status = status == "Ignored" && delivery.Value.Produced.Count > 0 ? "Processed" : status;
            if (note is not null)
                delivery.Value.Error = note;
            unitOfWork.Replace(CrmDelivery.CollectionName, delivery, delivery.Value);
        }
    }

    private async Task<(string Status, string? Note)> ProcessHubSpotAsync(ConsumeContext<ProcessCrmEvent> context, CrmConnection connection, List<ProducedEvent> produced)
    {
        var evt = context.Message;
        var token = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedAccessToken);
        var ct = context.CancellationToken;
        switch (evt.ObjectType)
        {
            case "deal":
            {
                var deal = await hubSpot.GetDealAsync(connection.BaseUrl, token, evt.ObjectId, ct);
                if (deal is null)
                    return ("Ignored", $"Deal {evt.ObjectId} no longer exists in HubSpot.");
                var stages = await StagesAsync(connection, token, ct);
                var trigger = new BillingTrigger(stages, connection.BillingTriggerStages);
                var pipeline = deal["pipeline"] ?? "default";
                var stage = deal["dealstage"] ?? string.Empty;
                if (trigger.IsTriggered(pipeline, stage))
                {
                    var companyId = deal.Associated("companies").FirstOrDefault();
                    var company = companyId is null ? null : await hubSpot.GetObjectAsync(connection.BaseUrl, token, "companies", companyId, HubSpotClient.CompanyProperties, [], ct);
                    var contacts = await hubSpot.BatchReadAsync(connection.BaseUrl, token, "contacts", deal.Associated("contacts"), HubSpotClient.ContactProperties, ct);
                    var lines = await hubSpot.BatchReadAsync(connection.BaseUrl, token, "line_items", deal.Associated("line_items"), HubSpotClient.LineItemProperties, ct);
                    var won = HubSpotDealNormalizer.ToDealWon(evt.TenantId, deal, company, contacts, lines, evt.OccurredAt);
                    return await AnnounceAsync(context, won, produced);
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

    private async Task<(string Status, string? Note)> ProcessSalesforceAsync(ConsumeContext<ProcessCrmEvent> context, CrmConnection connection, List<ProducedEvent> produced)
    {
        var evt = context.Message;
        var token = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedAccessToken);
        var ct = context.CancellationToken;
        switch (evt.ObjectType)
        {
            case "Opportunity":
            {
                var opportunity = await salesforce.GetOpportunityAsync(connection.BaseUrl, token, evt.ObjectId, ct);
                if (opportunity is null)
                    return ("Ignored", $"Opportunity {evt.ObjectId} no longer exists in Salesforce.");
                var stages = await SalesforceStagesAsync(connection, token, ct);
                var trigger = new BillingTrigger(stages, connection.BillingTriggerStages);
                var stageName = SalesforceDealNormalizer.StageOf(opportunity.Opportunity);
                var known = SalesforceDealNormalizer.FindStage(stages, stageName);
                var stageId = known?.StageId ?? stageName;
                if (trigger.IsTriggered(SalesforceDealNormalizer.Pipeline, stageId))
                {
                    var won = SalesforceDealNormalizer.ToDealWon(evt.TenantId, opportunity, evt.OccurredAt);
                    return await AnnounceAsync(context, won, produced);
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
                var account = await salesforce.GetAccountAsync(connection.BaseUrl, token, evt.ObjectId, ct);
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

    private Task<IReadOnlyList<PipelineStage>> SalesforceStagesAsync(CrmConnection connection, string token, CancellationToken cancellationToken) =>
        stageCache.GetOrLoadAsync((SalesforceDealNormalizer.Source, connection.TenantId),
            ct => salesforce.GetOpportunityStagesAsync(connection.BaseUrl, token, ct), cancellationToken);

    /// <summary>An announced deal back in an open stage is reopened, once; deals never announced have nothing to reopen.</summary>
    private async Task<bool> ReopenAsync(ConsumeContext<ProcessCrmEvent> context, Guid flowId, string source, string externalDealId, List<ProducedEvent> produced)
    {
        var announced = await unitOfWork.Store.Collection<AnnouncedDeal>(AnnouncedDeal.CollectionName).GetAsync(flowId.ToString("D"), context.CancellationToken);
        if (announced is null || announced.Value.Reopened)
            return false;
        announced.Value.Reopened = true;
        unitOfWork.Replace(AnnouncedDeal.CollectionName, announced, announced.Value);
        await context.Publish(new DealReopened
        {
            TenantId = context.Message.TenantId, FlowId = flowId, SourceSystem = source, ExternalDealId = externalDealId, ReopenedAt = context.Message.OccurredAt,
        }, context.CancellationToken);
        produced.Add(new ProducedEvent { Type = nameof(DealReopened), FlowId = flowId });
        return true;
    }

    /// <summary>
    /// One DealWon per deal: a batch often reports the same deal several times (creation, stage, amount). The
    /// same content again is ignored; changed content of an announced deal becomes DealChanged. Concurrent
    /// events of one deal race on the insert, and the loser is retried and sees the winner's record.
    /// </summary>
    private async Task<(string, string?)> AnnounceAsync(ConsumeContext<ProcessCrmEvent> context, DealWon won, List<ProducedEvent> produced)
    {
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(won with { WonAt = default })));
        var key = won.FlowId.ToString("D");
        var announced = await unitOfWork.Store.Collection<AnnouncedDeal>(AnnouncedDeal.CollectionName).GetAsync(key, context.CancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (announced is null)
        {
            unitOfWork.Insert(AnnouncedDeal.CollectionName, key, new AnnouncedDeal { FlowId = won.FlowId, TenantId = won.TenantId, ContentHash = hash, Amount = won.Amount, AnnouncedAt = now });
            await context.Publish(won, context.CancellationToken);
            produced.Add(new ProducedEvent { Type = nameof(DealWon), FlowId = won.FlowId });
            return ("Processed", null);
        }
        if (announced.Value.Reopened)
        {
            // Won again after being reopened: billing starts from this state.
            announced.Value.Reopened = false;
            announced.Value.ContentHash = hash;
            announced.Value.Amount = won.Amount;
            announced.Value.AnnouncedAt = now;
            unitOfWork.Replace(AnnouncedDeal.CollectionName, announced, announced.Value);
            await context.Publish(won, context.CancellationToken);
            produced.Add(new ProducedEvent { Type = nameof(DealWon), FlowId = won.FlowId });
            return ("Processed", null);
        }
        if (announced.Value.ContentHash == hash)
            return ("Ignored", "The deal was already announced with this content.");
        var changed = new DealChanged
        {
            TenantId = won.TenantId,
            FlowId = won.FlowId,
            SourceSystem = won.SourceSystem,
            ExternalDealId = won.ExternalDealId,
            Lines = won.Lines,
            Amount = won.Amount,
            IsExpansion = won.Amount > announced.Value.Amount,
            ChangedAt = context.Message.OccurredAt,
        };
        announced.Value.ContentHash = hash;
        announced.Value.Amount = won.Amount;
        announced.Value.Changes++;
        unitOfWork.Replace(AnnouncedDeal.CollectionName, announced, announced.Value);
        await context.Publish(changed, context.CancellationToken);
        produced.Add(new ProducedEvent { Type = nameof(DealChanged), FlowId = won.FlowId });
        return ("Processed", null);
    }

    private Task<IReadOnlyList<PipelineStage>> StagesAsync(CrmConnection connection, string token, CancellationToken cancellationToken) =>
        stageCache.GetOrLoadAsync((HubSpotDealNormalizer.Source, connection.TenantId),
            ct => hubSpot.GetDealStagesAsync(connection.BaseUrl, token, ct), cancellationToken);
}
