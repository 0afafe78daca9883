using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Apis;

public static class DealsApi
{
    public static IEndpointRouteBuilder MapDealsApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/api/crm/openapi/{documentName}.json");
        var api = app.MapGroup("/api/crm/{tenant}").RequireTenantAccess().WithTags("Generic ingest");
        api.MapPost("/deals", IngestDeal).RequireAuthorization(Policies.Finance)
            .WithSummary("Ingest a won deal from any CRM or iPaaS")
            .WithDescription("Starts (or, for a deal already received, leaves unchanged) the quote-to-cash flow of the deal. The flow ID is derived from tenant, source system and external deal ID.");
        api.MapGet("/deals/{flowId:guid}", GetDeal).WithSummary("A received deal by its flow ID");
        return app;
    }

    public sealed record IngestResult(Guid FlowId, bool Duplicate, int Deliveries);

    public static async Task<Results<Accepted<IngestResult>, Ok<IngestResult>, ValidationProblem>> IngestDeal(
        string tenant, GenericDealRequest request, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = GenericDealNormalizer.Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The deal cannot be ingested");

        var now = time.GetUtcNow();
        var dealWon = GenericDealNormalizer.ToDealWon(tenant, request, now);
        var payload = JsonSerializer.Serialize(request);
        var hash = GenericDealNormalizer.Hash(payload);
        var id = dealWon.FlowId.ToString("D");
        var existing = await unitOfWork.Store.Collection<IngestedDeal>(IngestedDeal.CollectionName).GetAsync(id, cancellationToken);

        if (existing is not null && existing.Value.PayloadHash == hash)
        {
            var seen = existing.Value;
            seen.Deliveries++;
            seen.LastReceived = now.UtcDateTime;
            unitOfWork.Replace(IngestedDeal.CollectionName, existing, seen);
            await unitOfWork.CommitAsync(cancellationToken);
            return TypedResults.Ok(new IngestResult(dealWon.FlowId, true, seen.Deliveries));
        }

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
        deal.Published++;
        if (existing is null)
            unitOfWork.Insert(IngestedDeal.CollectionName, id, deal);
        else
            unitOfWork.Replace(IngestedDeal.CollectionName, existing, deal);
        unitOfWork.Publish(dealWon);
        try
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        catch (DocumentStoreException)
        {
            // Two deliveries of the same new deal raced; the other one stored and published it.
            return TypedResults.Ok(new IngestResult(dealWon.FlowId, true, deal.Deliveries));
        }
        return TypedResults.Accepted($"/api/crm/{tenant}/deals/{dealWon.FlowId}", new IngestResult(dealWon.FlowId, false, deal.Deliveries));
    }

    public sealed record DealView(Guid FlowId, string TenantId, string SourceSystem, string ExternalDealId, string DealName, string Currency,
        decimal Amount, DateTime FirstReceived, DateTime LastReceived, int Deliveries);

    public static async Task<Results<Ok<DealView>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> GetDeal(
        string tenant, Guid flowId, IDocumentStore store, CancellationToken cancellationToken)
    {
        var document = await store.Collection<IngestedDeal>(IngestedDeal.CollectionName).GetAsync(flowId.ToString("D"), cancellationToken);
        if (document is null || document.Value.TenantId != tenant)
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 404, Title = "Deal not found", Detail = $"No deal with flow ID {flowId} was received for tenant '{tenant}'.",
            });
        var d = document.Value;
        return TypedResults.Ok(new DealView(d.FlowId, d.TenantId, d.SourceSystem, d.ExternalDealId, d.DealName, d.Currency, d.Amount,
            d.FirstReceived, d.LastReceived, d.Deliveries));
    }
}
