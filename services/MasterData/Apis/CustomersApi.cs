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

public sealed record ApproveRequest(string? Note);

public sealed record MergeRequest(Guid? SurvivorId, string? Note);

/// <summary>
/// Finance's customer APIs. Everyone with access to the tenant reads; admins and finance managers change, approve and
/// merge; a billing specialist's change becomes a proposal for a finance manager.
/// </summary>
public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess().WithTags("Customers");
        read.MapGet("/customers", ListCustomers);
        read.MapGet("/customers/{customerId:guid}", GetCustomer);
        read.MapGet("/customers/{customerId:guid}/history", GetHistory);

        var propose = app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess(Policies.Finance).WithTags("Customers");
        propose.MapPatch("/customers/{customerId:guid}", PatchCustomer);

        var manage = app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess(Policies.FinanceManager).WithTags("Customers");
        manage.MapPost("/customers/{customerId:guid}/approve", ApproveCustomer);
        manage.MapPost("/customers/{customerId:guid}/merge", MergeCustomer);
        return app;
    }

    private static ProblemHttpResult CustomerNotFound(string tenant, Guid customerId) =>
        ApiProblems.NotFound("Customer not found", $"No customer {customerId} in tenant '{tenant}'.");

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static async Task<Ok<List<CustomerView>>> ListCustomers(string tenant, IDocumentStore store, CustomerBook book, CustomerStatus? status,
        string? q, CancellationToken cancellationToken, int limit = 100)
    {
        var policy = await book.PolicyAsync(tenant, cancellationToken);
        var collection = store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName);
        var take = Math.Clamp(limit, 1, 1000);
        // A name search filters the tenant's customers after the indexed tenant/status query.
        var found = status is { } s
            ? await collection.FindAsync(c => c.TenantId == tenant && c.Status == s, string.IsNullOrWhiteSpace(q) ? take : null, cancellationToken)
            : await collection.FindAsync(c => c.TenantId == tenant, string.IsNullOrWhiteSpace(q) ? take : null, cancellationToken);
        var matching = found.Select(d => d.Value);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            matching = matching.Where(c => c.DisplayName.Contains(term, StringComparison.OrdinalIgnoreCase)
                                           || c.LegalName.Contains(term, StringComparison.OrdinalIgnoreCase)
                                           || (c.Domain?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false));
        }
        return TypedResults.Ok(matching.Take(take).Select(c => CustomerView.From(c, policy)).ToList());
    }

    public static async Task<Results<Ok<CustomerView>, ProblemHttpResult>> GetCustomer(string tenant, Guid customerId, CustomerBook book,
        CancellationToken cancellationToken)
    {
        var customer = await book.FindAsync(tenant, customerId, cancellationToken);
        return customer is null
            ? CustomerNotFound(tenant, customerId)
            : TypedResults.Ok(CustomerView.From(customer.Value, await book.PolicyAsync(tenant, cancellationToken)));
    }

    public static async Task<Results<Ok<List<HistoryEntryView>>, ProblemHttpResult>> GetHistory(string tenant, Guid customerId, IDocumentStore store,
        CustomerBook book, CancellationToken cancellationToken)
    {
        if (await book.FindAsync(tenant, customerId, cancellationToken) is null)
            return CustomerNotFound(tenant, customerId);
        var entries = await store.Collection<CustomerHistoryEntry>(CustomerHistoryEntry.CollectionName)
            .FindAsync(h => h.CustomerId == customerId, cancellationToken: cancellationToken);
        return TypedResults.Ok(entries.Select(e => HistoryEntryView.From(e.Value.Change)).ToList());
    }

    /// <summary>
    /// Changes fields of a customer. Each field is checked first; any bad value refuses the whole request with the
    /// field named, and nothing changes. A finance manager's change to a field the CRM owns (and has filled) is not
    /// applied but opens an ownership conflict; a billing specialist's change opens a proposal.
    /// </summary>
    public static async Task<Results<Ok<CustomerChangeView>, ValidationProblem, ProblemHttpResult>> PatchCustomer(string tenant, Guid customerId,
        JsonElement body, ClaimsPrincipal user, CustomerBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var loaded = await book.FindAsync(tenant, customerId, cancellationToken);
        if (loaded is null)
            return CustomerNotFound(tenant, customerId);
        if (loaded.Value.Status == CustomerStatus.Merged)
            return Conflict("Customer merged", $"Customer {customerId} was merged into {loaded.Value.MergedInto}; change that customer instead.");
        var policy = await book.PolicyAsync(tenant, cancellationToken);
        var (values, errors) = CustomerPatch.Read(body, policy);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The change was not applied", detail: "Correct the fields named below and send it again.");

        var actor = Actor(user);
        var source = ChangeSource.Finance(actor);
        var customer = loaded.Value;
        var opened = new List<ReviewItem>();
        IReadOnlyList<FieldChange> applied = [];
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.FinanceManager))
        {
            var outcome = CustomerEditor.Apply(customer, values, source, policy, book.Now, "edited by finance");
            applied = outcome.Applied;
            opened.AddRange(outcome.Conflicts.Select(c => book.OpenChangeItem(customer, ReviewKind.OwnershipConflict, c, source, null)));
        }
        else
        {
            foreach (var (field, value) in values.Where(v => v.Key.Render(v.Key.Get(customer)) != v.Key.Render(v.Value)))
                opened.Add(book.OpenChangeItem(customer, ReviewKind.ChangeProposal, new FieldConflict(field, field.Get(customer), value), source, null));
        }
        await book.SaveAsync(loaded, customer, applied, policy, cancellationToken);
        return await CommitAsync(unitOfWork, () => TypedResults.Ok(new CustomerChangeView(CustomerView.From(customer, policy),
            applied.Select(a => a.Field).ToList(), opened.Select(ReviewItemView.From).ToList())), cancellationToken);
    }

    /// <summary>Approves a complete customer (recorded with who and when); the flows waiting for it continue.</summary>
    public static async Task<Results<Ok<CustomerView>, ValidationProblem, ProblemHttpResult>> ApproveCustomer(string tenant, Guid customerId, ApproveRequest? request,
        ClaimsPrincipal user, CustomerBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var loaded = await book.FindAsync(tenant, customerId, cancellationToken);
        if (loaded is null)
            return CustomerNotFound(tenant, customerId);
        var customer = loaded.Value;
        var policy = await book.PolicyAsync(tenant, cancellationToken);
        switch (customer.Status)
        {
            case CustomerStatus.Merged:
                return Conflict("Customer merged", $"Customer {customerId} was merged into {customer.MergedInto}; approve that customer instead.");
            case CustomerStatus.Approved:
                return TypedResults.Ok(CustomerView.From(customer, policy));
        }
        var reasons = CustomerValidation.Reasons(customer, policy);
        if (reasons.Count > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Customer is not complete",
                detail: "Complete the customer before approving it: " + string.Join("; ", reasons) + ".",
                extensions: new Dictionary<string, object?> { ["reasons"] = reasons });

        var by = ChangeSource.Finance(Actor(user));
        var history = new List<FieldChange> { CustomerLifecycle.Approve(customer, by, book.Now, request?.Note ?? "approved by finance") };
        await book.CloseOpenItemAsync(customer, ReviewKind.PotentialDuplicate, ReviewDecision.Reject, by.Actor, "approved as a customer of its own", cancellationToken);
        await book.SaveAsync(loaded, customer, history, policy, cancellationToken, duplicateQuestionOpen: false);
        return await CommitAsync(unitOfWork, () => TypedResults.Ok(CustomerView.From(customer, policy)), cancellationToken);
    }

    /// <summary>
    /// Merges this customer into the survivor: the survivor keeps its ID and takes the cross-references, the gaps in its
    /// fields and every flow; this customer becomes inactive. History records both sides.
    /// </summary>
    public static async Task<Results<Ok<CustomerView>, ValidationProblem, ProblemHttpResult>> MergeCustomer(string tenant, Guid customerId,
        MergeRequest request, ClaimsPrincipal user, CustomerBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var duplicate = await book.FindAsync(tenant, customerId, cancellationToken);
        if (duplicate is null)
            return CustomerNotFound(tenant, customerId);
        if (request.SurvivorId is not { } survivorId || survivorId == Guid.Empty)
            return Invalid("survivorId", "Name the customer that survives the merge.");
        if (survivorId == customerId)
            return Invalid("survivorId", "A customer cannot be merged into itself.");
        var survivor = await book.FindAsync(tenant, survivorId, cancellationToken);
        if (survivor is null)
            return Invalid("survivorId", $"No customer {survivorId} in tenant '{tenant}'.");
        if (duplicate.Value.Status == CustomerStatus.Merged || survivor.Value.Status == CustomerStatus.Merged)
            return Conflict("Customer already merged", "One of the two customers was merged before; merge into the customer that survived.");

        var policy = await book.PolicyAsync(tenant, cancellationToken);
        var merged = await book.MergeAsync(duplicate, survivor, policy, ChangeSource.Finance(Actor(user)), request.Note, cancellationToken);
        return await CommitAsync(unitOfWork, () => TypedResults.Ok(CustomerView.From(merged, policy)), cancellationToken);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The merge was not done");

    internal static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? user.FindFirstValue("sub") ?? "unknown";

    /// <summary>Commits the unit of work; a concurrent change of the same records answers 409 and leaves nothing half-done.</summary>
    internal static async Task<Results<TOk, ValidationProblem, ProblemHttpResult>> CommitAsync<TOk>(IUnitOfWork unitOfWork, Func<TOk> ok,
        CancellationToken cancellationToken) where TOk : IResult
    {
        try
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return Conflict("Changed meanwhile", "Someone changed this customer at the same moment; reload it and try again.");
        }
        return ok();
    }
}
