using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Apis;

public sealed record ResolveReviewRequest(string? Decision, string? Note);

/// <summary>Finance's review queue: what waits for a decision, and the decisions.</summary>
public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess().WithTags("Review").MapGet("/review", ListItems);
        app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess(Policies.FinanceManager).WithTags("Review")
            .MapPost("/review/{itemId}/resolve", ResolveItem);
        return app;
    }

    public static async Task<Ok<List<ReviewItemView>>> ListItems(string tenant, ReviewKind? kind, ReviewStatus? status, IDocumentStore store,
        CancellationToken cancellationToken, int limit = 100)
    {
        var wanted = status ?? ReviewStatus.Open;
        var collection = store.Collection<ReviewItem>(ReviewItem.CollectionName);
        var found = kind is { } k
            ? await collection.FindAsync(i => i.TenantId == tenant && i.Status == wanted && i.Kind == k, Math.Clamp(limit, 1, 1000), cancellationToken)
            : await collection.FindAsync(i => i.TenantId == tenant && i.Status == wanted, Math.Clamp(limit, 1, 1000), cancellationToken);
        return TypedResults.Ok(found.Select(d => d.Value).OrderBy(i => i.Opened).Select(ReviewItemView.From).ToList());
    }

    /// <summary>
    /// Accepting an ownership conflict or a proposal applies the proposed value (recorded with who decided and why);
    /// rejecting discards it. Rejecting a duplicate question keeps the customers apart. Missing fields close themselves
    /// when the fields are completed, and a duplicate is accepted by merging.
    /// </summary>
    public static async Task<Results<Ok<ReviewItemView>, ValidationProblem, ProblemHttpResult>> ResolveItem(string tenant, string itemId,
        ResolveReviewRequest request, ClaimsPrincipal user, IDocumentStore store, CustomerBook book, IUnitOfWork unitOfWork,
        CancellationToken cancellationToken)
    {
        var document = itemId.Length <= 100 ? await store.Collection<ReviewItem>(ReviewItem.CollectionName).GetAsync(itemId, cancellationToken) : null;
        if (document is null || document.Value.TenantId != tenant)
            return ApiProblems.NotFound("Review item not found", $"No review item '{itemId}' in tenant '{tenant}'.");
        if (!Enum.TryParse<ReviewDecision>(request.Decision, ignoreCase: true, out var decision) || decision == ReviewDecision.Superseded)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["decision"] = ["Use \"accept\" or \"reject\"."] });
        var item = document.Value;
        if (item.Status == ReviewStatus.Resolved)
            return Conflict("Already resolved", $"The item was resolved ({item.Decision}) by {item.ResolvedBy}.");
        var customer = await book.FindAsync(tenant, item.CustomerId, cancellationToken);
        if (customer is null)
            return Conflict("Customer gone", "The customer of this item no longer exists.");

        var actor = CustomersApi.Actor(user);
        var policy = await book.PolicyAsync(tenant, cancellationToken);
        switch (item.Kind, decision)
        {
            case (ReviewKind.MissingFields, _):
                return Conflict("Complete the customer instead",
                    "This item closes itself when the missing fields are filled in (PATCH the customer) or the CRM supplies them.");
            case (ReviewKind.PotentialDuplicate, ReviewDecision.Accept):
                return Conflict("Merge instead", "To treat the customers as one, merge them: POST .../customers/{id}/merge with the survivor's ID.");
            case (ReviewKind.OwnershipConflict or ReviewKind.ChangeProposal, ReviewDecision.Accept):
                var field = CustomerFields.Get(item.Field!);
                var value = item.ProposedValue is null ? null : JsonSerializer.Deserialize(item.ProposedValue, field.ValueType, CustomerFields.Json);
                var outcome = CustomerEditor.Apply(customer.Value, [new(field, value)], ChangeSource.Finance(actor), policy, book.Now,
                    $"{item.Kind} from {item.ProposedBy} accepted" + (string.IsNullOrWhiteSpace(request.Note) ? "" : $": {request.Note}"),
                    overrideOwnership: true);
                item.Close(decision, actor, request.Note, book.Now);
                unitOfWork.Replace(ReviewItem.CollectionName, document, item);
                await book.SaveAsync(customer, customer.Value, outcome.Applied, policy, cancellationToken);
                break;
            case (ReviewKind.AccountingSyncFailed, ReviewDecision.Accept):
                // Accepting a refusal means "try again": the customer is sent to QuickBooks once more as it stands now.
                item.Close(decision, actor, request.Note, book.Now);
                unitOfWork.Replace(ReviewItem.CollectionName, document, item);
                customer.Value.SyncRequestedRevision = null;
                await book.SaveAsync(customer, customer.Value, [], policy, cancellationToken);
                break;
            case (ReviewKind.PotentialDuplicate, ReviewDecision.Reject):
                item.Close(decision, actor, request.Note, book.Now);
                unitOfWork.Replace(ReviewItem.CollectionName, document, item);
                await book.SaveAsync(customer, customer.Value, [], policy, cancellationToken, duplicateQuestionOpen: false);
                break;
            default:
                item.Close(decision, actor, request.Note, book.Now);
                unitOfWork.Replace(ReviewItem.CollectionName, document, item);
                break;
        }
        return await CustomersApi.CommitAsync(unitOfWork, () => TypedResults.Ok(ReviewItemView.From(item)), cancellationToken);
    }

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
