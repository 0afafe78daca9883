using Microsoft.AspNetCore.Mvc;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Customers;

/// <summary>Two customers that may be one, side by side: merge one into the other, or say they are different.</summary>
public sealed class CompareModel(GatewayClient api) : TenantPageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid Other { get; set; }

    /// <summary>The review item that asked the question (closed by a merge, or rejected as "not the same").</summary>
    [BindProperty(SupportsGet = true)]
    public string? Item { get; set; }

    public ApiResult<Customer>? Left { get; private set; }

    public ApiResult<Customer>? Right { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var left = Api.GetAsync<Customer>(ApiPath("master-data", $"customers/{Id}"), cancellationToken);
        var right = Api.GetAsync<Customer>(ApiPath("master-data", $"customers/{Other}"), cancellationToken);
        Left = await left;
        Right = await right;
    }

    /// <summary>Merges <paramref name="duplicate"/> into <paramref name="survivor"/>: the survivor keeps its ID and takes the other's references and deals.</summary>
    public async Task<IActionResult> OnPostMergeAsync(Guid duplicate, Guid survivor, string? note, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<Customer>(ApiPath("master-data", $"customers/{duplicate}/merge"), new { survivorId = survivor, note }, cancellationToken);
        if (!result.Ok)
            return After(result, "", new { Tenant, Id, Other, Item });
        Flash = $"Merged: {result.Value!.DisplayName} carries both customers' references and deals now.";
        return Redirect($"/app/{Tenant}/customers/{survivor}");
    }

    public async Task<IActionResult> OnPostDistinctAsync(string? note, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Item))
        {
            FlashError = "No review item to close";
            FlashErrorDetail = "Open the comparison from the review queue.";
            return RedirectToPage(null, new { Tenant, Id, Other });
        }
        var result = await Api.PostAsync<ReviewItem>(ApiPath("master-data", $"review/{Uri.EscapeDataString(Item)}/resolve"), new { decision = "reject", note }, cancellationToken);
        if (!result.Ok)
            return After(result, "", new { Tenant, Id, Other, Item });
        Flash = "Kept apart: the two are different customers.";
        return Redirect($"/app/{Tenant}/reviews");
    }

    /// <summary>The rows of the side-by-side table: field, left value, right value.</summary>
    public static IReadOnlyList<(string Field, string? Left, string? Right)> Rows(Customer a, Customer b) =>
    [
        ("Display name", a.DisplayName, b.DisplayName),
        ("Legal name", a.LegalName, b.LegalName),
        ("Domain", a.Domain, b.Domain),
        ("Tax ID", a.TaxId, b.TaxId),
        ("Billing contact", a.BillingEmail, b.BillingEmail),
        ("Billing address", a.BillingAddress?.ToString(), b.BillingAddress?.ToString()),
        ("Payment terms", a.PaymentTerms ?? a.EffectivePaymentTerms, b.PaymentTerms ?? b.EffectivePaymentTerms),
        ("Currency", a.Currency, b.Currency),
        ("Status", a.Status, b.Status),
        ("QuickBooks customer", a.AccountingCustomerRef, b.AccountingCustomerRef),
        ("Known as", string.Join(", ", a.CrossReferences.Select(r => $"{r.System} {r.ExternalId}")), string.Join(", ", b.CrossReferences.Select(r => $"{r.System} {r.ExternalId}"))),
        ("Created", a.Created.ToString("yyyy-MM-dd"), b.Created.ToString("yyyy-MM-dd")),
    ];
}
