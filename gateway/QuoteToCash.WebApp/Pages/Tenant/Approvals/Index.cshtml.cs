using System.Net;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Approvals;

/// <summary>
/// Invoices awaiting approval, each with why it needs one and how far it is from the tenant's standard terms; a finance
/// manager approves or rejects. Segregation of duties is the service's: its refusal is shown in plain words.
/// </summary>
public sealed class IndexModel(GatewayClient api, TimeProvider time) : TenantPageModel(api)
{
    public ApiResult<List<PendingApproval>>? Pending { get; private set; }

    public Ownership Owners { get; private set; } = Ownership.Unknown;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var pending = Api.GetAsync<List<PendingApproval>>(ApiPath("billing", "approvals"), cancellationToken);
        var owners = Api.GetAsync<OwnershipView>(ApiPath("reports", "ownership"), cancellationToken);
        Pending = await pending;
        Owners = (await owners) is { Ok: true } o ? new Ownership(o.Value) : Ownership.Unknown;
    }

    public Task<IActionResult> OnPostApproveAsync(Guid flowId, Guid invoiceId, string? note, CancellationToken cancellationToken) =>
        DecideAsync(flowId, invoiceId, "approve", note, cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(Guid flowId, Guid invoiceId, string? note, CancellationToken cancellationToken) =>
        DecideAsync(flowId, invoiceId, "reject", note, cancellationToken);

    private async Task<IActionResult> DecideAsync(Guid flowId, Guid invoiceId, string decision, string? note, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<ApprovalDecision>(ApiPath("billing", $"flows/{flowId}/invoices/{invoiceId}/{decision}"), new { note }, cancellationToken);
        if (result.Status == HttpStatusCode.Forbidden && result.Problem.Title == "Segregation of duties")
        {
            FlashError = "Segregation of duties: you cannot decide this invoice.";
            FlashErrorDetail = (result.Problem.Detail ?? "The approver must be neither the person who asked for the invoice nor the deal's owner.") +
                               " Ask another finance manager to decide it.";
            return RedirectToPage(null, new { Tenant });
        }
        return After(result, decision == "approve"
            ? "Approved: the invoice is being posted to QuickBooks."
            : "Rejected: the invoice will not be posted.");
    }
}
