using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Exceptions;

/// <summary>
/// The sync-exception queue: filter by status, kind and owner; each row with its SLA countdown and the responsible person;
/// retry the whole filtered set at once.
/// </summary>
public sealed class IndexModel(GatewayClient api, TimeProvider time) : TenantPageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; } = "Open";

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public ApiResult<ExceptionPage>? Queue { get; private set; }

    public Ownership Owners { get; private set; } = Ownership.Unknown;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var query = Query(("status", Status), ("kind", Kind), ("owner", Owner), ("page", Math.Max(1, PageNumber).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("pageSize", "50"));
        var queue = Api.GetAsync<ExceptionPage>(ApiPath("accounting", "exceptions") + query, cancellationToken);
        var owners = Api.GetAsync<OwnershipView>(ApiPath("reports", "ownership"), cancellationToken);
        Queue = await queue;
        Owners = (await owners) is { Ok: true } o ? new Ownership(o.Value) : Ownership.Unknown;
    }

    /// <summary>Retries every open or assigned exception the current filter matches.</summary>
    public async Task<IActionResult> OnPostRetryAllAsync(CancellationToken cancellationToken)
    {
        var status = Status is "Open" or "Assigned" ? Status : null;
        var result = await Api.PostAsync<BulkRetryOutcome>(ApiPath("accounting", "exceptions/retry"),
            new { kind = Blank(Kind), status, owner = Blank(Owner) }, cancellationToken);
        var message = result.Value is { } outcome
            ? $"Retried {outcome.Retried} of the {outcome.Matched} matching exceptions." +
              (outcome.Skipped.Count > 0 ? $" {outcome.Skipped.Count} could not be retried: {string.Join("; ", outcome.Skipped.Select(s => s.Reason).Distinct().Take(3))}." : "")
            : "";
        return After(result, message, new { Tenant, Status, Kind, Owner });
    }

    public string Link(string? status = null, string? kind = null, string? owner = null, int? page = null) =>
        $"/app/{Tenant}/exceptions" + Query(("status", status ?? Status), ("kind", kind ?? Kind), ("owner", owner ?? Owner),
            ("p", page is > 1 ? page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));

    public static string Query(params (string Name, string? Value)[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!.Trim())}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
