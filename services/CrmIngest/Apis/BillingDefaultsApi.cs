using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Apis;

/// <summary>
/// A tenant's billing defaults: the model, period, payment terms and rate card that deals' billing terms leave out,
/// and the HubSpot and Salesforce fields the terms are read from. Every operator of the tenant reads them; finance changes them.
/// </summary>
public static class BillingDefaultsApi
{
    public static IEndpointRouteBuilder MapBillingDefaultsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/crm/{tenant}").RequireTenantAccess().WithTags("Billing defaults");
        api.MapGet("/billing-defaults", Get).WithSummary("What deals' billing terms leave out, and where each CRM keeps them");
        api.MapPut("/billing-defaults", Put).RequireAuthorization(Policies.Finance)
            .WithSummary("Change the tenant's billing defaults (the fields given; the rest stays)");
        return app;
    }

    public sealed record TenantRateView(string Role, decimal Rate, string Currency, string? Product);

    public sealed record CrmFieldsView(string Model, string Terms, string PaymentTerms, string PurchaseOrder, string Parameters)
    {
        public static CrmFieldsView From(CrmBillingFields fields) => new(fields.Model, fields.Terms, fields.PaymentTerms, fields.PurchaseOrder, fields.Parameters);
    }

    /// <param name="Configured">False while the tenant has set nothing and the built-in defaults apply.</param>
    public sealed record BillingDefaultsView(string TenantId, BillingModel Model, BillingPeriod Period, string? PaymentTerms, IReadOnlyList<TenantRateView> RateCard,
        CrmFieldsView HubSpotFields, CrmFieldsView SalesforceFields, bool Configured, DateTime? Updated, string? UpdatedBy)
    {
        public static BillingDefaultsView From(string tenant, BillingDefaults defaults, TenantBillingDefaults? stored) => new(tenant, defaults.Model, defaults.Period,
            defaults.PaymentTerms, defaults.RateCard.Select(r => new TenantRateView(r.Role, r.Rate, r.Currency, r.Product)).ToList(),
            CrmFieldsView.From(defaults.HubSpot), CrmFieldsView.From(defaults.Salesforce), stored is not null, stored?.Updated, stored?.UpdatedBy);
    }

    public static async Task<Ok<BillingDefaultsView>> Get(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var stored = (await store.Collection<TenantBillingDefaults>(TenantBillingDefaults.CollectionName).GetAsync(tenant, cancellationToken))?.Value;
        return TypedResults.Ok(BillingDefaultsView.From(tenant, stored?.ToDefaults() ?? BillingDefaults.None, stored));
    }

    public static async Task<Results<Ok<BillingDefaultsView>, ValidationProblem, ProblemHttpResult>> Put(string tenant, BillingDefaultsRequest request, ClaimsPrincipal user,
        IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken)
    {
        var existing = await unitOfWork.Store.Collection<TenantBillingDefaults>(TenantBillingDefaults.CollectionName).GetAsync(tenant, cancellationToken);
        var (defaults, errors) = BillingDefaultsRules.Apply(existing?.Value.ToDefaults() ?? BillingDefaults.None, request);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The billing defaults were not changed");

        var stored = TenantBillingDefaults.From(tenant, defaults, time.GetUtcNow().UtcDateTime, user.Identity?.Name ?? user.FindFirstValue("sub"));
        unitOfWork.InsertOrReplace(TenantBillingDefaults.CollectionName, tenant, existing, stored);
        try
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        catch (DocumentStoreException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed at the same moment",
                detail: "Someone else changed the tenant's billing defaults at the same moment; read them again and repeat the change.");
        }
        return TypedResults.Ok(BillingDefaultsView.From(tenant, defaults, stored));
    }
}
