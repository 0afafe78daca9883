using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Infrastructure.Policies;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Apis;

/// <summary>A tenant's billing policy: approval triggers and SLA, mode and staged rollout, numbering, closed books, standard terms.</summary>
public static class PolicyApi
{
    public static IEndpointRouteBuilder MapBillingPolicyApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/billing/{tenant}").RequireTenantAccess().WithTags("Policy").MapGet("/policy", GetPolicy);
        app.MapGroup("/api/billing/{tenant}").RequireTenantAccess(Policies.FinanceManager).WithTags("Policy").MapPut("/policy", PutPolicy);
        return app;
    }

    public static async Task<Ok<BillingPolicyView>> GetPolicy(string tenant, BillingPolicies policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(BillingPolicyView.From(await policies.ForAsync(tenant, cancellationToken)));

    /// <summary>Replaces the sections given; the rest stays. New drafts follow it; invoices already drafted keep their routing.</summary>
    public static async Task<Results<Ok<BillingPolicyView>, ValidationProblem>> PutPolicy(string tenant, BillingPolicyRequest request,
        ClaimsPrincipal user, BillingPolicies policies, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = BillingPolicyRequest.Validate(request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The billing policy was not changed");
        var policy = await policies.ForAsync(tenant, cancellationToken);
        request.ApplyTo(policy);
        policy.TenantId = tenant;
        policy.Updated = time.GetUtcNow().UtcDateTime;
        policy.UpdatedBy = ApprovalsApi.Actor(user);
        await store.CommitAsync([DocumentWrite.Upsert(BillingPolicy.CollectionName, tenant, policy)], cancellationToken);
        return TypedResults.Ok(BillingPolicyView.From(policy));
    }
}

public sealed record ApprovalPolicyView(decimal? MaxDiscountPercent, int? MaxNetDays, decimal? MaxAmount, bool ManualLinesNeedApproval, double SlaHours);

public sealed record RolloutPolicyView(string Mode, IReadOnlyList<string> BusinessUnits, IReadOnlyList<string> Regions, bool OnlyApprovedCustomers,
    decimal? MinimumAmount);

public sealed record NumberingPolicyView(string Mode, string Prefix, int Digits, long NextNumber);

public sealed record BillingPolicyView(string TenantId, ApprovalPolicyView Approval, RolloutPolicyView Rollout, NumberingPolicyView Numbering,
    string ClosedBooks, string StandardTerms, string TaxableCode, string ExemptCode, StuckThresholds Stuck, DateTime? Updated, string? UpdatedBy,
    bool EmailInvoices = true)
{
    public static BillingPolicyView From(BillingPolicy p) => new(p.TenantId,
        new ApprovalPolicyView(p.Approval.MaxDiscountPercent, p.Approval.MaxNetDays, p.Approval.MaxAmount, p.Approval.ManualLinesNeedApproval, p.Approval.SlaHours),
        new RolloutPolicyView(p.Rollout.Mode.ToString(), p.Rollout.BusinessUnits.ToList(), p.Rollout.Regions.ToList(), p.Rollout.OnlyApprovedCustomers,
            p.Rollout.MinimumAmount),
        new NumberingPolicyView(p.Numbering.Mode.ToString(), p.Numbering.Prefix, p.Numbering.Digits, p.Numbering.NextNumber),
        p.ClosedBooks.ToString(), p.StandardTerms, p.TaxableCode, p.ExemptCode,
        new StuckThresholds
        {
            AwaitingDealMinutes = p.Stuck.AwaitingDealMinutes, AwaitingCustomerMinutes = p.Stuck.AwaitingCustomerMinutes,
            AwaitingApprovalMinutes = p.Stuck.AwaitingApprovalMinutes, PostingMinutes = p.Stuck.PostingMinutes, HeldMinutes = p.Stuck.HeldMinutes,
        },
        p.Updated, p.UpdatedBy, p.EmailInvoices);
}

/// <summary>The sections of the policy to replace; null leaves a section as it is.</summary>
public sealed record BillingPolicyRequest(
    ApprovalPolicyView? Approval = null,
    RolloutPolicyView? Rollout = null,
    NumberingPolicyView? Numbering = null,
    string? ClosedBooks = null,
    string? StandardTerms = null,
    string? TaxableCode = null,
    string? ExemptCode = null,
    StuckThresholds? Stuck = null,
    bool? EmailInvoices = null)
{
    public static Dictionary<string, string[]> Validate(BillingPolicyRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (r.Approval is { } a)
        {
            if (a.MaxDiscountPercent is < 0 or > 100)
                errors["approval.maxDiscountPercent"] = ["A percentage between 0 and 100."];
            if (a.MaxNetDays is < 0 or > 365)
                errors["approval.maxNetDays"] = ["Between 0 and 365 days."];
            if (a.MaxAmount is < 0)
                errors["approval.maxAmount"] = ["The amount cannot be negative."];
            if (a.SlaHours is <= 0 or > 24 * 30)
                errors["approval.slaHours"] = ["More than 0 and at most 720 hours."];
        }
        if (r.Rollout is { } ro)
        {
            if (!Enum.TryParse<BillingMode>(ro.Mode, true, out _))
                errors["rollout.mode"] = ["One of Live, ParallelRun, Sandbox."];
            if (ro.MinimumAmount is < 0)
                errors["rollout.minimumAmount"] = ["The amount cannot be negative."];
            if (ro.BusinessUnits.Concat(ro.Regions).Any(v => string.IsNullOrWhiteSpace(v) || v.Length > 100))
                errors["rollout"] = ["Business units and regions are names of 1–100 characters."];
        }
        if (r.Numbering is { } n)
        {
            if (!Enum.TryParse<NumberingMode>(n.Mode, true, out _))
                errors["numbering.mode"] = ["One of QuickBooks, TenantSequence."];
            if (n.Digits is < 1 or > 12)
                errors["numbering.digits"] = ["Between 1 and 12."];
            if (n.NextNumber < 1)
                errors["numbering.nextNumber"] = ["At least 1."];
            if (n.Prefix.Length + Math.Max(n.Digits, n.NextNumber.ToString(System.Globalization.CultureInfo.InvariantCulture).Length) > 21)
                errors["numbering.prefix"] = ["QuickBooks document numbers are at most 21 characters: shorten the prefix or the digits."];
        }
        if (r.ClosedBooks is { } c && !Enum.TryParse<ClosedBooksPolicy>(c, true, out _))
            errors["closedBooks"] = ["One of MoveToFirstOpenDate, HoldForFinance."];
        if (r.StandardTerms is { } t && PaymentTermsRules.NetDays(t) is null)
            errors["standardTerms"] = [$"'{t}' is not a payment term billing understands (e.g. Net 30, Due on receipt)."];
        foreach (var (field, code) in new[] { ("taxableCode", r.TaxableCode), ("exemptCode", r.ExemptCode) })
        {
            if (code is { } value && (value.Length is 0 or > 20))
                errors[field] = ["A QuickBooks tax code ID of 1–20 characters."];
        }
        if (r.Stuck is { } s && new[] { s.AwaitingDealMinutes, s.AwaitingCustomerMinutes, s.AwaitingApprovalMinutes, s.PostingMinutes, s.HeldMinutes }.Any(m => m < 1))
            errors["stuck"] = ["Every limit is at least one minute."];
        return errors;
    }

    public void ApplyTo(BillingPolicy policy)
    {
        if (Approval is { } a)
            policy.Approval = new ApprovalPolicy
            {
                MaxDiscountPercent = a.MaxDiscountPercent, MaxNetDays = a.MaxNetDays, MaxAmount = a.MaxAmount,
                ManualLinesNeedApproval = a.ManualLinesNeedApproval, SlaHours = a.SlaHours,
            };
        if (Rollout is { } r)
            policy.Rollout = new RolloutPolicy
            {
                Mode = Enum.Parse<BillingMode>(r.Mode, true), BusinessUnits = r.BusinessUnits.ToList(), Regions = r.Regions.ToList(),
                OnlyApprovedCustomers = r.OnlyApprovedCustomers, MinimumAmount = r.MinimumAmount,
            };
        if (Numbering is { } n)
            policy.Numbering = new NumberingPolicy { Mode = Enum.Parse<NumberingMode>(n.Mode, true), Prefix = n.Prefix, Digits = n.Digits, NextNumber = n.NextNumber };
        if (ClosedBooks is { } c)
            policy.ClosedBooks = Enum.Parse<ClosedBooksPolicy>(c, true);
        if (StandardTerms is { } t)
            policy.StandardTerms = t.Trim();
        if (TaxableCode is { } tax)
            policy.TaxableCode = tax;
        if (ExemptCode is { } exempt)
            policy.ExemptCode = exempt;
        if (Stuck is { } s)
            policy.Stuck = s;
        if (EmailInvoices is { } email)
            policy.EmailInvoices = email;
    }
}
