using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Apis;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Apis;

/// <summary>
/// The parallel-run report: two deals drafted (not posted) in March against finance's hand-made QuickBooks invoices,
/// which accounting-sync returns over the bus (here a stand-in that answers like it).
/// </summary>
public sealed class ParallelRunApiTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ServiceHarness _harness = null!;

    /// <summary>Answers the search as accounting-sync would, from a fixed set of QuickBooks invoices.</summary>
    public sealed class BooksStandIn : IConsumer<FindAccountingInvoices>
    {
        public static bool Connected { get; set; } = true;

        public Task Consume(ConsumeContext<FindAccountingInvoices> context) => Connected
            ? context.RespondAsync(new AccountingInvoicesFound
            {
                TenantId = context.Message.TenantId,
                AsOf = DateTimeOffset.UtcNow,
                Invoices =
                [
                    // Finance billed the ERP deal by hand, 150 less on the training line.
                    new AccountingInvoice
                    {
                        Id = "901", DocNumber = "1001", CustomerRef = "58", TxnDate = new DateOnly(2026, 3, 3), Total = 18_350m,
                        Lines = [new() { ItemRef = "1", Description = "ERP rollout", Amount = 18_350m }],
                    },
                    // An invoice the platform posted itself is not finance's.
                    new AccountingInvoice { Id = "905", CustomerRef = "58", TxnDate = new DateOnly(2026, 3, 2), Total = 99m, PostedInvoiceId = Guid.NewGuid() },
                    // Finance billed a customer we drafted nothing for in the period.
                    new AccountingInvoice { Id = "907", DocNumber = "1003", CustomerRef = "58", TxnDate = new DateOnly(2026, 3, 25), Total = 1_200m },
                ],
            })
            : context.RespondAsync(new AccountingInvoiceSearchFailed { TenantId = context.Message.TenantId, Kind = "NotConnected", Message = "No QuickBooks company is connected." });
    }

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x => { x.AddBillingRulesHandlers(); x.AddConsumer<BooksStandIn>(); }, cancellationToken: Ct);
        var policy = BillingPolicy.DefaultFor(Tenant);
        policy.Rollout.Mode = BillingMode.ParallelRun;
        await _harness.Store.CommitAsync([DocumentWrite.Upsert(BillingPolicy.CollectionName, Tenant, policy)], Ct);
        await _harness.DeliverAsync(new ItemMappingChanged { TenantId = Tenant, ProductKey = "*", ItemRef = "1", ChangedAt = ServiceHarness.DefaultStart });
        foreach (var deal in new[] { ErpRolloutWon("deal-a"), ErpRolloutWon("deal-b") with { Amount = 2_000m, Lines = [new DealLine { Description = "Audit", Quantity = 1, UnitPrice = 2_000m }] } })
        {
            await _harness.DeliverAsync(deal);
            await _harness.DeliverAsync(ContosoReady(deal.FlowId, Guid.NewGuid()));
        }
    }

    public ValueTask DisposeAsync()
    {
        BooksStandIn.Connected = true;
        return _harness.DisposeAsync();
    }

    private async Task<Results<Ok<ParallelRunView>, ValidationProblem, ProblemHttpResult>> Report(DateOnly from, DateOnly to)
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        return await ParallelRunApi.Report(Tenant, from, to, _harness.Store, scope.ServiceProvider.GetRequiredService<SagaCollection<QuoteToCashState>>(),
            scope.ServiceProvider.GetRequiredService<IRequestClient<FindAccountingInvoices>>(), _harness.Time, Ct);
    }

    [Fact]
    public async Task Drafted_invoices_are_compared_with_finances_hand_made_ones()
    {
        var view = Assert.IsType<Ok<ParallelRunView>>((await Report(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31))).Result).Value!;

        Assert.Equal((2, 2), (view.DraftedInvoices, view.HandMadeInvoices));
        var report = view.Report;
        var pair = Assert.Single(report.AmountDifferences);
        Assert.Equal((18_500m, 18_350m, 150m), (pair.DraftedTotal, pair.HandMadeTotal, pair.Difference));
        Assert.Equal(2_000m, Assert.Single(report.Extra).Total);      // drafted, finance did not bill it
        Assert.Equal("1003", Assert.Single(report.Missing).Reference); // finance billed it, billing did not draft it
    }

    [Fact]
    public async Task A_tenant_without_quickbooks_and_a_backwards_period_get_clear_answers()
    {
        BooksStandIn.Connected = false;
        var notConnected = await Report(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
        var problem = Assert.IsType<ProblemHttpResult>(notConnected.Result);
        Assert.Equal(409, problem.StatusCode);
        Assert.Contains("NotConnected", problem.ProblemDetails.Detail);

        Assert.IsType<ValidationProblem>((await Report(new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 1))).Result);
    }
}
