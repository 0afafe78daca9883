using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Apis;

/// <summary>
/// crm-ingest's API handlers called as ASP.NET Core would, each in a request scope of its own, against the service's
/// store and outbox on the test harness: what they publish is what the bus sees.
/// </summary>
public static class IngestApiHarness
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Maria, the firm's finance manager, signed in for the tenant.</summary>
    public static readonly ClaimsPrincipal Maria =
        new(new ClaimsIdentity([new Claim("sub", "maria"), new Claim("role", Roles.FinanceManager), new Claim("tenants", Tenant)], "test", "sub", "role"));

    /// <summary>Runs the handler in a request scope and waits until the bus has handled what it published.</summary>
    public static async Task<T> CallAsync<T>(this ServiceHarness harness, Func<IServiceProvider, Task<T>> handler)
    {
        T result;
        await using (var scope = harness.Services.CreateAsyncScope())
            result = await handler(scope.ServiceProvider);
        await harness.SettleAsync();
        return result;
    }

    public static Task<Results<Accepted<DealsApi.IngestResult>, Ok<DealsApi.IngestResult>, ValidationProblem>> IngestAsync(this ServiceHarness harness,
        GenericDealRequest request) =>
        harness.CallAsync(sp => DealsApi.IngestDeal(Tenant, request, sp.GetRequiredService<IUnitOfWork>(), harness.Time, Ct));

    public static Task<Results<Accepted<DealsApi.EventResult>, Ok<DealsApi.EventResult>, ValidationProblem>> LogTimeAsync(this ServiceHarness harness,
        string externalDealId, TimeEntryRequest request) =>
        harness.CallAsync(sp => DealsApi.LogTime(Tenant, externalDealId, request, sp.GetRequiredService<IUnitOfWork>(), harness.Time, Ct));

    public static Task<Results<Ok<BillingDefaultsApi.BillingDefaultsView>, ValidationProblem, ProblemHttpResult>> PutBillingDefaultsAsync(this ServiceHarness harness,
        BillingDefaultsRequest request) =>
        harness.CallAsync(sp => BillingDefaultsApi.Put(Tenant, request, Maria, sp.GetRequiredService<IUnitOfWork>(), harness.Time, Ct));

    /// <summary>
    /// The firm's defaults: time and materials billed every two weeks on Net 30, and its standard rates in pounds
    /// (senior 150, junior 95) with a dollar rate for US work.
    /// </summary>
    public static readonly BillingDefaultsRequest FirmDefaults = new()
    {
        Model = "TimeAndMaterials",
        Period = "Biweekly",
        PaymentTerms = "Net 30",
        RateCard =
        [
            new TenantRateInput { Role = "senior", Rate = 150m, Currency = "GBP", Product = "CONSULT-HR" },
            new TenantRateInput { Role = "junior", Rate = 95m, Currency = "GBP" },
            new TenantRateInput { Role = "senior", Rate = 190m, Currency = "USD" },
        ],
    };

    /// <summary>Contoso's ERP rollout as the firm's project tool posts it to the generic API, with the billing block given.</summary>
    public static GenericDealRequest ErpRollout(string externalDealId, BillingTermsInput? billing, decimal amount = 18_500m) => new()
    {
        SourceSystem = "projects",
        ExternalDealId = externalDealId,
        DealName = "Contoso ERP rollout, phase 1",
        Currency = Currency,
        Amount = amount,
        Customer = Contoso(),
        Lines = [new DealLine { Description = "ERP rollout, phase 1", Quantity = 1, UnitPrice = amount }],
        Billing = billing,
    };

    public static Guid ProjectsFlow(string externalDealId) => FlowId.For(Tenant, "projects", externalDealId);
}
