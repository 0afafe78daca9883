using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Validation;

namespace QuoteToCash.CrmIngest.Apis;

public static class DealsApi
{
    public static IEndpointRouteBuilder MapDealsApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/api/crm/openapi/{documentName}.json");
        var api = app.MapGroup("/api/crm/{tenant}").RequireTenantAccess().WithTags("Generic ingest");
        api.MapPost("/deals", IngestDeal).RequireAuthorization(Policies.Finance)
            .WithSummary("Ingest a won deal from any CRM or iPaaS")
            .WithDescription("Starts the quote-to-cash flow of the deal (DealWon with its billing terms, completed from the tenant's billing defaults); a deal already received is a duplicate, a changed one DealChanged. The flow ID is derived from tenant, source system and external deal ID.");
        api.MapGet("/deals/{flowId:guid}", GetDeal).WithSummary("A received deal by its flow ID");
        api.MapPost("/deals/{externalDealId}/milestones", ReachMilestone).RequireAuthorization(Policies.Finance)
            .WithSummary("A billing milestone of a deal was reached");
        api.MapPost("/deals/{externalDealId}/time-entries", LogTime).RequireAuthorization(Policies.Finance)
            .WithSummary("Time worked on a deal's project (T&M, retainers)");
        api.MapPost("/deals/{externalDealId}/lost", (string tenant, string externalDealId, DealStatusRequest request, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
                ChangeStatus(tenant, externalDealId, "lost", request, unitOfWork, time, ct)).RequireAuthorization(Policies.Finance)
            .WithSummary("A deal left the won stage");
        api.MapPost("/deals/{externalDealId}/reopened", (string tenant, string externalDealId, DealStatusRequest request, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
                ChangeStatus(tenant, externalDealId, "reopened", request, unitOfWork, time, ct)).RequireAuthorization(Policies.Finance)
            .WithSummary("A deal went back to an open stage");
        return app;
    }

    public sealed record IngestResult(Guid FlowId, bool Duplicate, int Deliveries);

    /// <summary>
    /// A won deal: validated with its billing terms (completed from the tenant's defaults) and announced once; the same
    /// deal again is a duplicate, a changed one a <c>DealChanged</c> (or a new <c>DealWon</c> after it was reopened).
    /// </summary>
    public static async Task<Results<Accepted<IngestResult>, Ok<IngestResult>, ValidationProblem>> IngestDeal(
        string tenant, GenericDealRequest request, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken)
    {
        var defaults = await TenantBillingDefaults.ForTenantAsync(unitOfWork.Store, tenant, cancellationToken);
        var errors = GenericDealNormalizer.Validate(request, defaults);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The deal cannot be ingested");

        var now = time.GetUtcNow();
        var dealWon = GenericDealNormalizer.Normalize(tenant, request, now, defaults).Deal;
        var payload = JsonSerializer.Serialize(request);
        var hash = GenericDealNormalizer.Hash(payload);
        var id = dealWon.FlowId.ToString("D");
        var existing = await unitOfWork.Store.Collection<IngestedDeal>(IngestedDeal.CollectionName).GetAsync(id, cancellationToken);
        var announced = await DealAnnouncements.FindAsync(unitOfWork.Store, dealWon.FlowId, cancellationToken);

        if (existing is not null && existing.Value.PayloadHash == hash && announced?.Value.Reopened != true)
        {
            var seen = existing.Value;
            seen.Deliveries++;
            seen.LastReceived = now.UtcDateTime;
            unitOfWork.Replace(IngestedDeal.CollectionName, existing, seen);
            await unitOfWork.CommitAsync(cancellationToken);
            return TypedResults.Ok(new IngestResult(dealWon.FlowId, true, seen.Deliveries));
        }

        var announcement = DealAnnouncements.Announce(unitOfWork, announced, dealWon, now, now.UtcDateTime);
        var deal = existing?.Value ?? new IngestedDeal { FlowId = dealWon.FlowId, TenantId = tenant, FirstReceived = now.UtcDateTime };
        deal.SourceSystem = dealWon.SourceSystem;
        deal.ExternalDealId = dealWon.ExternalDealId;
        deal.DealName = dealWon.DealName;
        deal.Currency = dealWon.Currency;
        deal.Amount = dealWon.Amount;
        deal.Payload = payload;
        deal.PayloadHash = hash;
        deal.LastReceived = now.UtcDateTime;
        deal.Deliveries++;
        if (announcement.Won is { } won)
            unitOfWork.Publish(won);
        if (announcement.Changed is { } changed)
            unitOfWork.Publish(changed);
        if (announcement.IsNew)
            deal.Published++;
        unitOfWork.InsertOrReplace(IngestedDeal.CollectionName, id, existing, deal);
        try
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        catch (DocumentStoreException)
        {
            // Two deliveries of the same deal raced; the other one stored and announced it.
            return TypedResults.Ok(new IngestResult(dealWon.FlowId, true, deal.Deliveries));
        }
        // A different body that announces nothing new (e.g. only the time it was won is different) is a duplicate too.
        return announcement.IsNew
            ? TypedResults.Accepted($"/api/crm/{tenant}/deals/{dealWon.FlowId}", new IngestResult(dealWon.FlowId, false, deal.Deliveries))
            : TypedResults.Ok(new IngestResult(dealWon.FlowId, true, deal.Deliveries));
    }

    public sealed record EventResult(Guid FlowId, bool Duplicate);

    private static async Task<Results<Accepted<EventResult>, Ok<EventResult>, ValidationProblem>> PublishOnceAsync<T>(string tenant, string kind, Guid flowId, string key,
        T message, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken) where T : class
    {
        var id = $"{kind}:{flowId:N}:{key}";
        if (await unitOfWork.Store.Collection<GenericEventSeen>(GenericEventSeen.CollectionName).GetAsync(id, cancellationToken) is not null)
            return TypedResults.Ok(new EventResult(flowId, true));
        unitOfWork.Insert(GenericEventSeen.CollectionName, id, new GenericEventSeen { Kind = kind, FlowId = flowId, Received = time.GetUtcNow().UtcDateTime });
        unitOfWork.Publish(message);
        try
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        catch (DuplicateDocumentException)
        {
            return TypedResults.Ok(new EventResult(flowId, true));
        }
        return TypedResults.Accepted($"/api/crm/{tenant}/deals/{flowId}", new EventResult(flowId, false));
    }

    public static async Task<Results<Accepted<EventResult>, Ok<EventResult>, ValidationProblem>> ReachMilestone(string tenant, string externalDealId, MilestoneRequest request,
        IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken)
    {
        if (DealIdProblem(externalDealId) is { } badId)
            return badId;
        var source = GenericEventRules.Source(request.SourceSystem);
        var flowId = QuoteToCash.Contracts.FlowId.For(tenant, source, externalDealId);
        var announced = (await DealAnnouncements.FindAsync(unitOfWork.Store, flowId, cancellationToken))?.Value;
        var plan = announced is not null && announced.TenantId == tenant && DealAnnouncements.TermsOf(announced) is { } terms
            ? terms.Milestones.Select(m => m.Id).Concat(terms.Instalments.Select(i => i.Id)).ToList()
            : null;
        var errors = GenericEventRules.Validate(request, plan);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The milestone cannot be ingested");
        return await PublishOnceAsync(tenant, "milestone", flowId, request.MilestoneId!.Trim(), new MilestoneReached
        {
            TenantId = tenant, FlowId = flowId, SourceSystem = source, ExternalDealId = externalDealId, MilestoneId = request.MilestoneId.Trim(),
            Name = request.Name!.Trim(), Percent = request.Percent, Amount = request.Amount, ReachedAt = request.ReachedAt ?? time.GetUtcNow(),
        }, unitOfWork, time, cancellationToken);
    }

    /// <summary>
    /// Time worked on a deal. When crm-ingest announced the deal, the entry's role must be on its rate card or the
    /// tenant's (in the deal's currency); for a deal it does not know, the role is passed on unchecked.
    /// </summary>
    public static async Task<Results<Accepted<EventResult>, Ok<EventResult>, ValidationProblem>> LogTime(string tenant, string externalDealId, TimeEntryRequest request,
        IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken)
    {
        if (DealIdProblem(externalDealId) is { } badId)
            return badId;
        var source = GenericEventRules.Source(request.SourceSystem);
        var flowId = QuoteToCash.Contracts.FlowId.For(tenant, source, externalDealId);
        var errors = GenericEventRules.Validate(request, await KnownRatesAsync(unitOfWork.Store, tenant, flowId, cancellationToken));
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The time entry cannot be ingested");
        return await PublishOnceAsync(tenant, "time-entry", flowId, request.EntryId!.Trim(), new TimeEntryLogged
        {
            TenantId = tenant, FlowId = flowId, SourceSystem = source, ExternalDealId = externalDealId, EntryId = request.EntryId.Trim(),
            Person = request.Person!.Trim(), Role = string.IsNullOrWhiteSpace(request.Role) ? null : request.Role.Trim(), Date = request.Date!.Value,
            Hours = request.Hours!.Value, Billable = request.Billable ?? true, Rate = request.Rate, Description = request.Description,
        }, unitOfWork, time, cancellationToken);
    }

    /// <summary>The announced deal's rate card with the tenant's current rates in the deal's currency; null when the deal's terms are not known here.</summary>
    private static async Task<IReadOnlyCollection<QuoteToCash.Contracts.RateCardEntry>?> KnownRatesAsync(IDocumentStore store, string tenant, Guid flowId,
        CancellationToken cancellationToken)
    {
        var announced = (await DealAnnouncements.FindAsync(store, flowId, cancellationToken))?.Value;
        if (announced is null || announced.TenantId != tenant || DealAnnouncements.TermsOf(announced) is not { } terms)
            return null;
        var defaults = await TenantBillingDefaults.ForTenantAsync(store, tenant, cancellationToken);
        return BillingTermsRules.MergeRateCards(terms.RateCard, defaults.RatesIn(terms.Currency ?? announced.Currency ?? string.Empty)).ToList();
    }

    public static async Task<Results<Accepted<EventResult>, Ok<EventResult>, ValidationProblem>> ChangeStatus(string tenant, string externalDealId, string change,
        DealStatusRequest request, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken)
    {
        if (DealIdProblem(externalDealId) is { } badId)
            return badId;
        var source = GenericEventRules.Source(request.SourceSystem);
        var flowId = QuoteToCash.Contracts.FlowId.For(tenant, source, externalDealId);
        var at = request.At ?? time.GetUtcNow();
        // A reopened deal that is won again is announced again (committed only with the DealReopened itself).
        if (change == "reopened")
            DealAnnouncements.MarkReopened(unitOfWork, await DealAnnouncements.FindAsync(unitOfWork.Store, flowId, cancellationToken));
        object message = change == "lost"
            ? new DealLost { TenantId = tenant, FlowId = flowId, ExternalDealId = externalDealId, LostAt = at }
            : new DealReopened { TenantId = tenant, FlowId = flowId, SourceSystem = source, ExternalDealId = externalDealId, ReopenedAt = at };
        // Each status change is its own event: the time it happened is its identity.
        return await PublishOnceAsync(tenant, change, flowId, at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), message,
            unitOfWork, time, cancellationToken);
    }

    /// <summary>
    /// The CRM's deal ID from the route must name a deal: not blank, and short enough to be part of a stored key
    /// (<see cref="InputLimits"/>). Checked before the store is read.
    /// </summary>
    private static ValidationProblem? DealIdProblem(string externalDealId)
    {
        var problem = string.IsNullOrWhiteSpace(externalDealId) ? "The CRM's deal ID is required." : InputLimits.KeyProblem(externalDealId);
        return problem is null ? null : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["externalDealId"] = [problem] },
            title: "The deal ID in the path is not usable");
    }

    public sealed record DealView(Guid FlowId, string TenantId, string SourceSystem, string ExternalDealId, string DealName, string Currency,
        decimal Amount, DateTime FirstReceived, DateTime LastReceived, int Deliveries);

    public static async Task<Results<Ok<DealView>, ProblemHttpResult>> GetDeal(
        string tenant, Guid flowId, IDocumentStore store, CancellationToken cancellationToken)
    {
        var document = await store.Collection<IngestedDeal>(IngestedDeal.CollectionName).GetAsync(flowId.ToString("D"), cancellationToken);
        if (document is null || document.Value.TenantId != tenant)
            return ApiProblems.NotFound("Deal not found", $"No deal with flow ID {flowId} was received for tenant '{tenant}'.");
        var d = document.Value;
        return TypedResults.Ok(new DealView(d.FlowId, d.TenantId, d.SourceSystem, d.ExternalDealId, d.DealName, d.Currency, d.Amount,
            d.FirstReceived, d.LastReceived, d.Deliveries));
    }
}
