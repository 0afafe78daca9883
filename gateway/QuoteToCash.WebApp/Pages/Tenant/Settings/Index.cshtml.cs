using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Settings;

/// <summary>
/// The tenant's settings as the services hold them: the billing mode (live, parallel run, sandbox), who owns each
/// customer field (CRM or finance), item mappings with their coverage of won revenue, and who owns what (RACI).
/// </summary>
public sealed class IndexModel(GatewayClient api) : TenantPageModel(api)
{
    public static readonly IReadOnlyList<(string Area, string Name, string Words)> RaciRows =
    [
        ("queue", Ownership.ExceptionsQueue, "Sync exceptions (queue)"),
        ("queue", Ownership.ReviewsQueue, "Master-data reviews (queue)"),
        ("queue", Ownership.ApprovalsQueue, "Invoice approvals (queue)"),
        ("domain", "customers", "Customers (data)"),
        ("domain", "items", "Items and mappings (data)"),
        ("domain", "invoices", "Invoices (data)"),
        ("domain", "payments", "Payments (data)"),
    ];

    public ApiResult<BillingPolicy>? Billing { get; private set; }
    public ApiResult<MasterDataPolicy>? MasterData { get; private set; }
    public ApiResult<List<ItemMapping>>? Mappings { get; private set; }
    public ApiResult<MappingCoverage>? Coverage { get; private set; }
    public ApiResult<OwnershipView>? Raci { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var billing = Api.GetAsync<BillingPolicy>(ApiPath("billing", "policy"), cancellationToken);
        var masterData = Api.GetAsync<MasterDataPolicy>(ApiPath("master-data", "policy"), cancellationToken);
        var mappings = Api.GetAsync<List<ItemMapping>>(ApiPath("master-data", "item-mappings"), cancellationToken);
        var coverage = Api.GetAsync<MappingCoverage>(ApiPath("master-data", "item-mappings/coverage"), cancellationToken);
        var raci = Api.GetAsync<OwnershipView>(ApiPath("reports", "ownership"), cancellationToken);
        Billing = await billing;
        MasterData = await masterData;
        Mappings = await mappings;
        Coverage = await coverage;
        Raci = await raci;
    }

    /// <summary>Changes the billing mode only: the rest of the rollout section is sent back as the service holds it.</summary>
    public async Task<IActionResult> OnPostModeAsync(string mode, CancellationToken cancellationToken)
    {
        var current = await Api.GetAsync<BillingPolicy>(ApiPath("billing", "policy"), cancellationToken);
        if (current.Value is not { } policy)
            return After(current, "");
        var result = await Api.PutAsync<BillingPolicy>(ApiPath("billing", "policy"), new { rollout = policy.Rollout with { Mode = mode } }, cancellationToken);
        return After(result, $"The tenant is in {BillingModes.Words(mode)} mode now; new drafts follow it.");
    }

    /// <summary>Sets who owns each customer field (admin only): the services keep the other side from overwriting it.</summary>
    public async Task<IActionResult> OnPostOwnersAsync(Dictionary<string, string> owners, CancellationToken cancellationToken)
    {
        var result = await Api.PutAsync<MasterDataPolicy>(ApiPath("master-data", "policy"), new { fieldOwners = owners }, cancellationToken);
        return After(result, "Field ownership saved.");
    }

    /// <summary>Sets the responsible and accountable people of one queue or domain (others keep their value).</summary>
    public async Task<IActionResult> OnPostRaciAsync(string area, string name, string? responsible, string? accountable, string? consulted, string? informed,
        CancellationToken cancellationToken)
    {
        var entry = new RaciView(area, name, Names(responsible), string.IsNullOrWhiteSpace(accountable) ? null : accountable.Trim(), Names(consulted), Names(informed));
        var result = await Api.PutAsync<OwnershipView>(ApiPath("reports", "ownership"), new OwnershipRequest([entry]), cancellationToken);
        return After(result, $"Saved who owns {name}.");
    }

    public static IReadOnlyList<string> Names(string? list) =>
        (list ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
