using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Apis;

public sealed record ItemTargetView(string ItemRef, string? IncomeAccountRef, string? ClassRef, string? DepartmentRef, string? TaxCodeRef)
{
    public static ItemTargetView From(ItemTarget target) => new(target.ItemRef, target.IncomeAccountRef, target.ClassRef, target.DepartmentRef, target.TaxCodeRef);
}

public sealed record PendingMappingView(ItemTargetView Target, string RequestedBy, DateTime Requested, string? Note);

public sealed record MappingVersionView(int Version, ItemTargetView Target, string ChangedBy, string? ApprovedBy, DateTime Changed, string? Note);

public sealed record ItemMappingView(string ProductKey, string? ProductName, ItemTargetView Target, int Version, string ChangedBy, DateTime Changed,
    PendingMappingView? Pending, IReadOnlyList<MappingVersionView> Versions)
{
    public static ItemMappingView From(ItemMapping mapping) => new(
        mapping.ProductKey, mapping.ProductName, ItemTargetView.From(mapping.Target), mapping.Version, mapping.ChangedBy, mapping.Changed,
        mapping.Pending is { } p ? new PendingMappingView(ItemTargetView.From(p.Target), p.RequestedBy, p.Requested, p.Note) : null,
        mapping.Versions.Select(v => new MappingVersionView(v.Version, ItemTargetView.From(v.Target), v.ChangedBy, v.ApprovedBy, v.Changed, v.Note)).ToList());
}

public enum MappingOutcome
{
    Created,
    Updated,
    Unchanged,
    PendingApproval,
}

public sealed record MappingResultView(string ProductKey, MappingOutcome Outcome, ItemMappingView Mapping);

public sealed record ItemMappingRequest(string? CrmProductId, string? Sku, string? ProductName, string? ItemRef, string? IncomeAccountRef,
    string? ClassRef, string? DepartmentRef, string? TaxCodeRef, string? Note);

public sealed record MappingDecisionRequest(string? ProductKey, string? Note);

/// <summary>
/// Item mappings: a CRM product to a QuickBooks item, income account, class, location and tax code, checked against
/// QuickBooks' own lists. A change of income account, tax code or item on a mapped product is a request that takes
/// effect only when a finance manager other than the requester approves it.
/// </summary>
public static class ItemMappingsApi
{
    public static IEndpointRouteBuilder MapItemMappingsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess().WithTags("Item mappings");
        read.MapGet("/item-mappings", ListMappings);
        read.MapGet("/item-mappings/coverage", Coverage);
        app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess(Policies.Finance).WithTags("Item mappings").MapPut("/item-mappings", PutMappings);
        var manage = app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess(Policies.FinanceManager).WithTags("Item mappings");
        manage.MapPost("/item-mappings/approve", Approve);
        manage.MapPost("/item-mappings/reject", Reject);
        return app;
    }

    public static async Task<Ok<List<ItemMappingView>>> ListMappings(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var found = await store.Collection<ItemMapping>(ItemMapping.CollectionName).FindAsync(m => m.TenantId == tenant, cancellationToken: cancellationToken);
        return TypedResults.Ok(found.Select(d => ItemMappingView.From(d.Value)).OrderBy(m => m.ProductKey, StringComparer.Ordinal).ToList());
    }

    /// <summary>Creates or changes mappings. Every entry is checked first; one bad entry refuses the request and nothing changes.</summary>
    public static async Task<Results<Ok<List<MappingResultView>>, ValidationProblem, ProblemHttpResult>> PutMappings(string tenant,
        List<ItemMappingRequest?> request, ClaimsPrincipal user, IDocumentStore store, CustomerBook book, IUnitOfWork unitOfWork,
        CancellationToken cancellationToken)
    {
        var reference = (await store.Collection<AccountingReferenceData>(AccountingReferenceData.CollectionName).GetAsync(tenant, cancellationToken))?.Value;
        if (reference is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "QuickBooks lists not loaded",
                detail: $"Tenant '{tenant}' has no QuickBooks items and accounts yet; connect QuickBooks, then map products.");
        if (request is null || request.Count == 0 || request.Count > 500)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a list of 1–500 mappings."] });

        var errors = new Dictionary<string, string[]>();
        var entries = new List<(string Key, ItemMappingRequest Request, ItemTarget Target)>();
        for (var i = 0; i < request.Count; i++)
        {
            var entry = request[i];
            if (entry is null || (string.IsNullOrWhiteSpace(entry.CrmProductId) && string.IsNullOrWhiteSpace(entry.Sku)))
            {
                errors[$"[{i}].crmProductId"] = ["Name the CRM product by its ID or its SKU."];
                continue;
            }
            if ((entry.CrmProductId?.Length ?? 0) > 100 || (entry.Sku?.Length ?? 0) > 100)
            {
                errors[$"[{i}].crmProductId"] = ["A product ID or SKU has at most 100 characters."];
                continue;
            }
            var target = new ItemTarget
            {
                ItemRef = entry.ItemRef?.Trim() ?? "", IncomeAccountRef = Blank(entry.IncomeAccountRef), ClassRef = Blank(entry.ClassRef),
                DepartmentRef = Blank(entry.DepartmentRef), TaxCodeRef = Blank(entry.TaxCodeRef),
            };
            foreach (var (field, messages) in ItemMappingRules.Problems(target, reference))
                errors[$"[{i}].{field}"] = messages;
            entries.Add((ItemMapping.ProductKeyOf(entry.CrmProductId, entry.Sku, ""), entry, target));
        }
        if (entries.GroupBy(e => e.Key).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            errors["body"] = [$"Product {repeated.Key} is mapped twice in one request."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "No mapping was changed");

        var actor = CustomersApi.Actor(user);
        var manager = user.IsInRole(Roles.Admin) || user.IsInRole(Roles.FinanceManager);
        var results = new List<MappingResultView>();
        foreach (var (key, entry, target) in entries)
        {
            var existing = await store.Collection<ItemMapping>(ItemMapping.CollectionName).GetAsync(ItemMapping.KeyFor(tenant, key), cancellationToken);
            var mapping = existing?.Value ?? new ItemMapping { TenantId = tenant, ProductKey = key };
            mapping.ProductName = Blank(entry.ProductName) ?? mapping.ProductName;
            MappingOutcome outcome;
            if (existing is not null && mapping.Target.SameAs(target))
                outcome = MappingOutcome.Unchanged;
            else if (!manager || (existing is not null && target.ImpactsRevenueComparedTo(mapping.Target)))
            {
                mapping.Pending = new PendingMappingChange { Target = target, RequestedBy = actor, Requested = book.Now, Note = entry.Note };
                outcome = MappingOutcome.PendingApproval;
            }
            else
            {
                mapping.Apply(target, actor, null, book.Now, entry.Note);
                unitOfWork.Publish(mapping.ToChangedEvent(book.Now));
                outcome = existing is null ? MappingOutcome.Created : MappingOutcome.Updated;
                await book.CloseOpenItemAsync(tenant, ReviewItem.MappingKeyFor(tenant, key), ReviewDecision.Superseded, actor, "the product is mapped now", cancellationToken);
            }
            unitOfWork.InsertOrReplace(ItemMapping.CollectionName, ItemMapping.KeyFor(tenant, key), existing, mapping);
            results.Add(new MappingResultView(key, outcome, ItemMappingView.From(mapping)));
        }
        return await CustomersApi.CommitAsync(unitOfWork, () => TypedResults.Ok(results), cancellationToken);
    }

    /// <summary>Approves a pending change. The requester cannot approve their own change.</summary>
    public static async Task<Results<Ok<ItemMappingView>, ValidationProblem, ProblemHttpResult>> Approve(string tenant, MappingDecisionRequest request,
        ClaimsPrincipal user, IDocumentStore store, CustomerBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var (existing, problem) = await PendingAsync(tenant, request, store, cancellationToken);
        if (existing is null)
            return problem!;
        var actor = CustomersApi.Actor(user);
        var mapping = existing.Value;
        if (string.Equals(mapping.Pending!.RequestedBy, actor, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Another finance manager must approve",
                detail: $"{actor} requested this change; a change that moves revenue or tax needs a second finance manager's approval.");
        mapping.Apply(mapping.Pending.Target, mapping.Pending.RequestedBy, actor, book.Now, request.Note ?? mapping.Pending.Note);
        unitOfWork.Publish(mapping.ToChangedEvent(book.Now));
        unitOfWork.Replace(ItemMapping.CollectionName, existing, mapping);
        await book.CloseOpenItemAsync(tenant, ReviewItem.MappingKeyFor(tenant, mapping.ProductKey), ReviewDecision.Superseded, actor,
            "the product is mapped now", cancellationToken);
        return await CustomersApi.CommitAsync(unitOfWork, () => TypedResults.Ok(ItemMappingView.From(mapping)), cancellationToken);
    }

    public static async Task<Results<Ok<ItemMappingView>, ValidationProblem, ProblemHttpResult>> Reject(string tenant, MappingDecisionRequest request,
        IDocumentStore store, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var (existing, problem) = await PendingAsync(tenant, request, store, cancellationToken);
        if (existing is null)
            return problem!;
        var mapping = existing.Value;
        mapping.Pending = null;
        unitOfWork.Replace(ItemMapping.CollectionName, existing, mapping);
        return await CustomersApi.CommitAsync(unitOfWork, () => TypedResults.Ok(ItemMappingView.From(mapping)), cancellationToken);
    }

    /// <summary>The share of won revenue (per currency) whose products are mapped, the default item's use, and the top unmapped products.</summary>
    public static async Task<Results<Ok<CoverageReport>, ValidationProblem>> Coverage(string tenant, IDocumentStore store, CustomerBook book,
        CancellationToken cancellationToken, int days = 90, int top = 10)
    {
        if (days is < 1 or > 3660)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = ["Between 1 and 3660."] });
        var to = book.Now;
        var from = to.AddDays(-days);
        var lines = await store.Collection<WonProductLine>(WonProductLine.CollectionName)
            .FindAsync(l => l.TenantId == tenant && l.WonAt >= from, cancellationToken: cancellationToken);
        var mapped = (await store.Collection<ItemMapping>(ItemMapping.CollectionName).FindAsync(m => m.TenantId == tenant && m.Version > 0, cancellationToken: cancellationToken))
            .Select(m => m.Value.ProductKey).ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(MappingCoverage.Compute(lines.Select(l => l.Value), mapped, from, to, Math.Clamp(top, 1, 100)));
    }

    private static async Task<(StoredDocument<ItemMapping>? Mapping, Results<Ok<ItemMappingView>, ValidationProblem, ProblemHttpResult>? Problem)> PendingAsync(
        string tenant, MappingDecisionRequest request, IDocumentStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.ProductKey) || request.ProductKey.Length > 110)
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["productKey"] = ["Name the mapping's productKey, e.g. \"sku:CONSULT-DAY\"."] }));
        var existing = await store.Collection<ItemMapping>(ItemMapping.CollectionName).GetAsync(ItemMapping.KeyFor(tenant, request.ProductKey), cancellationToken);
        if (existing is null)
            return (null, ApiProblems.NotFound("Mapping not found", $"No item mapping for {request.ProductKey} in tenant '{tenant}'."));
        if (existing.Value.Pending is null)
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to decide", detail: $"The mapping for {request.ProductKey} has no pending change."));
        return (existing, null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
