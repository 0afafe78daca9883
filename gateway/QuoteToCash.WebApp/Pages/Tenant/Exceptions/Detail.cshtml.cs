using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Exceptions;

/// <summary>One sync exception: what happened and what to do, its comments and history; assign, comment, retry, resolve, ignore.</summary>
public sealed class DetailModel(GatewayClient api, TimeProvider time) : TenantPageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public ApiResult<ExceptionDetail>? Exception { get; private set; }

    public Ownership Owners { get; private set; } = Ownership.Unknown;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var exception = Api.GetAsync<ExceptionDetail>(Path(), cancellationToken);
        var owners = Api.GetAsync<OwnershipView>(ApiPath("reports", "ownership"), cancellationToken);
        Exception = await exception;
        Owners = (await owners) is { Ok: true } o ? new Ownership(o.Value) : Ownership.Unknown;
    }

    public async Task<IActionResult> OnPostAssignAsync(string? owner, string? note, CancellationToken cancellationToken) =>
        After(await Api.PostAsync<ExceptionDetail>(Path("assign"), new { owner, note }, cancellationToken), $"Assigned to {owner?.Trim()}.", Back());

    public async Task<IActionResult> OnPostCommentAsync(string? text, CancellationToken cancellationToken) =>
        After(await Api.PostAsync<ExceptionDetail>(Path("comment"), new { text }, cancellationToken), "Comment added.", Back());

    public async Task<IActionResult> OnPostRetryAsync(CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<RetryOutcome>(Path("retry"), new { }, cancellationToken);
        return After(result, result.Value is { } r ? $"Retried: {r.Retried}." : "Retried.", Back());
    }

    public async Task<IActionResult> OnPostResolveAsync(string? note, CancellationToken cancellationToken) =>
        After(await Api.PostAsync<ExceptionDetail>(Path("resolve"), new { note }, cancellationToken), "Marked as resolved.", Back());

    public async Task<IActionResult> OnPostIgnoreAsync(string? note, CancellationToken cancellationToken) =>
        After(await Api.PostAsync<ExceptionDetail>(Path("ignore"), new { note }, cancellationToken), "Ignored; the reason stays in its history.", Back());

    private string Path(string? action = null) => ApiPath("accounting", $"exceptions/{Id}" + (action is null ? "" : "/" + action));

    private object Back() => new { Tenant, Id };
}
