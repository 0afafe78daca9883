using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Reviews;

/// <summary>
/// Master data's review queue: drafts missing fields, potential duplicates (compared side by side on their own page),
/// ownership conflicts and change proposals (accept or reject here), mappings missing and QuickBooks refusals.
/// </summary>
public sealed class IndexModel(GatewayClient api) : TenantPageModel(api)
{
    public static readonly IReadOnlyList<(string Kind, string Words)> Kinds =
    [
        ("PotentialDuplicate", "Potential duplicates"),
        ("MissingFields", "Drafts missing fields"),
        ("OwnershipConflict", "Ownership conflicts"),
        ("ChangeProposal", "Change proposals"),
        ("MappingMissing", "Products without a QuickBooks item"),
        ("AccountingSyncFailed", "Refused by QuickBooks"),
    ];

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    public ApiResult<List<ReviewItem>>? Items { get; private set; }

    public Ownership Owners { get; private set; } = Ownership.Unknown;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var kind = Kinds.Any(k => k.Kind == Kind) ? Kind : null;
        var items = Api.GetAsync<List<ReviewItem>>(ApiPath("master-data", "review") + (kind is null ? "?limit=500" : $"?kind={kind}&limit=500"), cancellationToken);
        var owners = Api.GetAsync<OwnershipView>(ApiPath("reports", "ownership"), cancellationToken);
        Items = await items;
        Owners = (await owners) is { Ok: true } o ? new Ownership(o.Value) : Ownership.Unknown;
    }

    /// <summary>Accepts or rejects an ownership conflict, a change proposal or a refusal; rejects a duplicate question ("not the same").</summary>
    public async Task<IActionResult> OnPostResolveAsync(string itemId, string decision, string? note, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<ReviewItem>(ApiPath("master-data", $"review/{Uri.EscapeDataString(itemId)}/resolve"), new { decision, note }, cancellationToken);
        return After(result, decision == "accept" ? "Accepted." : "Rejected.", new { Tenant, Kind });
    }
}
