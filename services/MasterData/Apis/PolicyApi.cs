using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Apis;

public sealed record PolicyView(
    IReadOnlyList<RequiredField> RequiredFields,
    IReadOnlyList<string> PaymentTerms,
    string? DefaultPaymentTerms,
    bool AutoApproveComplete,
    IReadOnlyDictionary<string, FieldOwner> FieldOwners,
    decimal DuplicateReviewThreshold,
    string? DefaultItemRef,
    bool SyncToAccounting,
    DateTime? Updated,
    string? UpdatedBy)
{
    public static PolicyView From(MasterDataPolicy policy) => new(
        policy.RequiredFields.ToList(), policy.PaymentTerms.ToList(), policy.DefaultPaymentTerms, policy.AutoApproveComplete,
        CustomerFields.All.ToDictionary(f => f.Name, policy.OwnerOf), policy.DuplicateReviewThreshold,
        policy.DefaultItemRef, policy.SyncToAccounting, policy.Updated == default ? null : policy.Updated, policy.UpdatedBy);
}

public sealed record PolicyRequest(
    List<RequiredField>? RequiredFields,
    List<string>? PaymentTerms,
    string? DefaultPaymentTerms,
    bool? AutoApproveComplete,
    Dictionary<string, FieldOwner>? FieldOwners,
    decimal? DuplicateReviewThreshold,
    string? DefaultItemRef = null,
    bool ClearDefaultItem = false,
    bool? SyncToAccounting = null);

/// <summary>A tenant's master-data policy: everyone reads it, an admin changes it.</summary>
public static class PolicyApi
{
    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess().WithTags("Policy").MapGet("/policy", GetPolicy);
        app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess(Policies.Admin).WithTags("Policy").MapPut("/policy", PutPolicy);
        return app;
    }

    public static async Task<Ok<PolicyView>> GetPolicy(string tenant, CustomerBook book, CancellationToken cancellationToken) =>
        TypedResults.Ok(PolicyView.From(await book.PolicyAsync(tenant, cancellationToken)));

    /// <summary>Replaces the fields given; the rest stays. Customers are re-checked against it on their next change.</summary>
    public static async Task<Results<Ok<PolicyView>, ValidationProblem>> PutPolicy(string tenant, PolicyRequest request, ClaimsPrincipal user,
        CustomerBook book, IDocumentStore store, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var policy = await book.PolicyAsync(tenant, cancellationToken);
        var previousDefaultItem = policy.DefaultItemRef;
        var errors = new Dictionary<string, string[]>();
        var terms = request.PaymentTerms?.Select(t => t?.Trim() ?? "").ToList() ?? policy.PaymentTerms;
        if (terms.Count == 0 || terms.Any(t => t.Length is 0 or > 31))
            errors["paymentTerms"] = ["List the accounting system's terms by name, each 1–31 characters."];
        var defaultTerms = request.DefaultPaymentTerms ?? policy.DefaultPaymentTerms;
        if (defaultTerms is not null && !terms.Contains(defaultTerms.Trim(), StringComparer.OrdinalIgnoreCase))
            errors["defaultPaymentTerms"] = ["The default terms must be one of the tenant's payment terms."];
        var threshold = request.DuplicateReviewThreshold ?? policy.DuplicateReviewThreshold;
        if (threshold is <= 0m or > 1m)
            errors["duplicateReviewThreshold"] = ["A score between 0 (exclusive) and 1."];
        if (request.FieldOwners?.Keys.FirstOrDefault(k => CustomerFields.Find(k) is null) is { } unknown)
            errors["fieldOwners"] = [$"'{unknown}' is not a customer field. Fields: {string.Join(", ", CustomerFields.All.Select(f => f.Name))}."];
        if (!string.IsNullOrWhiteSpace(request.DefaultItemRef))
        {
            var reference = (await store.Collection<AccountingReferenceData>(AccountingReferenceData.CollectionName).GetAsync(tenant, cancellationToken))?.Value;
            var item = reference?.Items.FirstOrDefault(i => i.Id == request.DefaultItemRef.Trim());
            if (item is null || !item.Active)
                errors["defaultItemRef"] = [$"QuickBooks has no active item with ID '{request.DefaultItemRef}' for this tenant."];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The policy was not changed");

        policy.TenantId = tenant;
        policy.RequiredFields = request.RequiredFields?.Distinct().ToList() ?? policy.RequiredFields;
        policy.PaymentTerms = terms;
        policy.DefaultPaymentTerms = defaultTerms is null ? null : terms.First(t => string.Equals(t, defaultTerms.Trim(), StringComparison.OrdinalIgnoreCase));
        policy.AutoApproveComplete = request.AutoApproveComplete ?? policy.AutoApproveComplete;
        policy.FieldOwners = request.FieldOwners?.ToDictionary(p => CustomerFields.Get(p.Key).Name, p => p.Value) ?? policy.FieldOwners;
        policy.DuplicateReviewThreshold = threshold;
        policy.SyncToAccounting = request.SyncToAccounting ?? policy.SyncToAccounting;
        policy.DefaultItemRef = request.ClearDefaultItem ? null : request.DefaultItemRef?.Trim() ?? policy.DefaultItemRef;
        policy.Updated = book.Now;
        policy.UpdatedBy = CustomersApi.Actor(user);
        unitOfWork.Upsert(MasterDataPolicy.CollectionName, tenant, policy);
        if (!string.Equals(previousDefaultItem, policy.DefaultItemRef, StringComparison.Ordinal))
            unitOfWork.Publish(ItemMappingEvents.DefaultItemChanged(tenant, policy.DefaultItemRef, book.Now));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Ok(PolicyView.From(policy));
    }
}
