using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Apis;

/// <summary>Where a tenant's write-offs and refunds go in QuickBooks: the bad-debt item, the refund item and the refund account.</summary>
public static class AdjustmentSettingsApi
{
    public static IEndpointRouteBuilder MapAdjustmentSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounting/{tenant}").RequireTenantAccess().WithTags("QuickBooks adjustments");
        api.MapGet("/adjustment-settings", GetSettings);
        api.MapPut("/adjustment-settings", PutSettings).RequireAuthorization(Policies.FinanceManager);
        return app;
    }

    /// <summary>QuickBooks IDs; null (or left out) clears a setting.</summary>
    public sealed record AdjustmentSettingsRequest
    {
        public string? BadDebtItemRef { get; init; }
        public string? RefundItemRef { get; init; }
        public string? RefundAccountRef { get; init; }
    }

    /// <summary>The settings, with the QuickBooks names of the items as accounting-sync last read them.</summary>
    public sealed record AdjustmentSettingsView(string TenantId, string? BadDebtItemRef, string? BadDebtItemName, string? RefundItemRef, string? RefundItemName,
        string? RefundAccountRef, DateTime Updated, string? UpdatedBy);

    public static async Task<Results<Ok<AdjustmentSettingsView>, ProblemHttpResult>> GetSettings(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var settings = (await store.Collection<AdjustmentSettings>(AdjustmentSettings.CollectionName).GetAsync(tenant, cancellationToken))?.Value;
        if (settings is null)
            return ApiProblems.NotFound("No adjustment settings", $"Tenant '{tenant}' has no bad-debt item, refund item or refund account set yet.");
        return TypedResults.Ok(View(settings, await SnapshotAsync(store, tenant, cancellationToken)));
    }

    public static async Task<Results<Ok<AdjustmentSettingsView>, ValidationProblem>> PutSettings(string tenant, AdjustmentSettingsRequest request, IDocumentStore store,
        ClaimsPrincipal user, TimeProvider time, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(store, tenant, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        string? Item(string field, string? id)
        {
            var value = string.IsNullOrWhiteSpace(id) ? null : id.Trim();
            if (value is null)
                return null;
            if (!value.All(char.IsAsciiDigit))
                errors[field] = [$"'{value}' is not a QuickBooks ID (digits)."];
            else if (snapshot is { ListsReadAt: not null } && !snapshot.Items.Any(i => i.Id == value && i.Active))
                errors[field] = [$"QuickBooks has no active item with ID '{value}' for this tenant."];
            return value;
        }
        var badDebt = Item("badDebtItemRef", request.BadDebtItemRef);
        var refundItem = Item("refundItemRef", request.RefundItemRef);
        var refundAccount = string.IsNullOrWhiteSpace(request.RefundAccountRef) ? null : request.RefundAccountRef.Trim();
        if (refundAccount is not null && !refundAccount.All(char.IsAsciiDigit))
            errors["refundAccountRef"] = [$"'{refundAccount}' is not a QuickBooks ID (digits)."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The adjustment settings were not changed");

        var settings = new AdjustmentSettings
        {
            TenantId = tenant,
            BadDebtItemRef = badDebt,
            RefundItemRef = refundItem,
            RefundAccountRef = refundAccount,
            Updated = time.GetUtcNow().UtcDateTime,
            UpdatedBy = user.Identity?.Name ?? user.FindFirstValue("sub"),
        };
        await store.CommitAsync([DocumentWrite.Upsert(AdjustmentSettings.CollectionName, tenant, settings)], cancellationToken);
        return TypedResults.Ok(View(settings, snapshot));
    }

    private static async Task<ReferenceDataSnapshot?> SnapshotAsync(IDocumentStore store, string tenant, CancellationToken cancellationToken) =>
        (await store.Collection<ReferenceDataSnapshot>(ReferenceDataSnapshot.CollectionName).GetAsync(tenant, cancellationToken))?.Value;

    private static AdjustmentSettingsView View(AdjustmentSettings settings, ReferenceDataSnapshot? snapshot)
    {
        string? Name(string? id) => id is null ? null : snapshot?.Items.FirstOrDefault(i => i.Id == id)?.Name;
        return new AdjustmentSettingsView(settings.TenantId, settings.BadDebtItemRef, Name(settings.BadDebtItemRef), settings.RefundItemRef,
            Name(settings.RefundItemRef), settings.RefundAccountRef, settings.Updated, settings.UpdatedBy);
    }
}
