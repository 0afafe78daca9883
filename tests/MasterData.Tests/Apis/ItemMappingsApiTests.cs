using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Apis;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.MasterData.Tests.Peers;
using QuoteToCash.Testing.Harness;
using QuoteToCash.Testing.Scenarios;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Apis;

/// <summary>
/// Item mappings against QuickBooks' lists (as accounting-sync reports them), missing mappings on won deals, four-eyes
/// approval of revenue-impacting changes, and the coverage report.
/// </summary>
public sealed class ItemMappingsApiTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static ClaimsPrincipal User(string name, string role) => Operators.User(name, role);
    private static readonly ClaimsPrincipal Maria = User("maria", Roles.FinanceManager);
    private static readonly ClaimsPrincipal Omar = User("omar", Roles.FinanceManager);
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddMasterDataHandlers(), s => s.AddMasterDataServices(), cancellationToken: Ct);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private Task LoadQuickBooksLists() => _harness.DeliverAsync(new AccountingReferenceDataChanged
    {
        TenantId = Tenant, RealmId = "9130", AsOf = ServiceHarness.DefaultStart,
        Items = [new() { Id = "11", Name = "Consulting day" }, new() { Id = "12", Name = "Implementation" }, new() { Id = "13", Name = "Old item", Active = false }],
        IncomeAccounts = [new() { Id = "79", Name = "Services income" }, new() { Id = "80", Name = "Licence income" }],
        Classes = [new() { Id = "5", Name = "Advisory" }, new() { Id = "6", Name = "Delivery" }],
        TaxCodes = [new() { Id = "TAX", Name = "Standard" }, new() { Id = "NON", Name = "Exempt" }],
        Currencies = ["GBP", "USD"],
    });

    private static Contracts.CrmIngest.DealWon Deal(string dealId, params DealLine[] lines) =>
        ErpRolloutWon(dealId, wonAt: ServiceHarness.DefaultStart.AddDays(-10)) with { Lines = lines, DealName = $"Deal {dealId}" };

    private static readonly DealLine ConsultingDays = new() { Sku = "consult-day", Description = "Consulting day", Quantity = 10, UnitPrice = 1_200m };
    private static readonly DealLine Training = new() { ProductId = "prod-77", Description = "Training workshop", Quantity = 2, UnitPrice = 950m, DiscountPercent = 10 };

    private Task<Results<Ok<List<MappingResultView>>, ValidationProblem, ProblemHttpResult>> Put(ClaimsPrincipal user, params ItemMappingRequest[] mappings) =>
        Call(sp => ItemMappingsApi.PutMappings(Tenant, mappings.ToList()!, user, _harness.Store, sp.GetRequiredService<CustomerBook>(),
            sp.GetRequiredService<IUnitOfWork>(), Ct));

    private async Task<T> Call<T>(Func<IServiceProvider, Task<T>> handler)
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        return await handler(scope.ServiceProvider);
    }

    private static ItemMappingRequest ConsultingMapping(string income = "79", string? classRef = "5", string taxCode = "TAX") =>
        new(null, "CONSULT-DAY", "Consulting day", "11", income, classRef, null, taxCode, null);

    private async Task<List<ReviewItem>> OpenMissing() =>
        (await _harness.Store.Collection<ReviewItem>(ReviewItem.CollectionName)
            .FindAsync(i => i.Kind == ReviewKind.MappingMissing && i.Status == ReviewStatus.Open, cancellationToken: Ct)).Select(d => d.Value).ToList();

    [Fact]
    public async Task An_unmapped_product_on_a_won_deal_is_a_review_item_naming_the_product_and_every_deal()
    {
        await _harness.DeliverAsync(Deal("deal-1", ConsultingDays));
        var messageId = await _harness.PublishAsync(Deal("deal-2", ConsultingDays));
        await _harness.PublishAsync(Deal("deal-2", ConsultingDays), messageId);
        await _harness.ConsumedAsync<Contracts.CrmIngest.DealWon>(messageId, times: 2);

        var item = Assert.Single(await OpenMissing());
        Assert.Equal("sku:CONSULT-DAY", item.ProductKey);
        Assert.Equal([FlowOf("deal-1"), FlowOf("deal-2")], item.FlowIds);
        Assert.Equal(["product 'Consulting day' (sku:CONSULT-DAY) on deal 'Deal deal-1' has no QuickBooks item mapping",
            "product 'Consulting day' (sku:CONSULT-DAY) on deal 'Deal deal-2' has no QuickBooks item mapping"], item.Reasons);
    }

    [Fact]
    public async Task Mappings_wait_for_quickbooks_lists_and_are_checked_against_them()
    {
        var early = await Put(Maria, ConsultingMapping());
        Assert.Equal(409, Assert.IsType<ProblemHttpResult>(early.Result).StatusCode);

        await LoadQuickBooksLists();
        var bad = await Put(Maria, new ItemMappingRequest(null, "X-1", null, "13", "999", null, "7", "TAX", null), new ItemMappingRequest(null, null, null, "11", null, null, null, null, null));

        var problem = Assert.IsType<ValidationProblem>(bad.Result);
        Assert.Equal(["[0].departmentRef", "[0].incomeAccountRef", "[0].itemRef", "[1].crmProductId"], problem.ProblemDetails.Errors.Keys.Order());
        Assert.Contains("inactive", problem.ProblemDetails.Errors["[0].itemRef"][0]);
        Assert.Empty((await ItemMappingsApi.ListMappings(Tenant, _harness.Store, Ct)).Value!);
    }

    [Fact]
    public async Task Mapping_a_product_closes_its_missing_mapping_item()
    {
        await LoadQuickBooksLists();
        await _harness.DeliverAsync(Deal("deal-1", ConsultingDays));

        var result = Assert.IsType<Ok<List<MappingResultView>>>((await Put(Maria, ConsultingMapping())).Result).Value!;

        Assert.Equal(MappingOutcome.Created, Assert.Single(result).Outcome);
        Assert.Empty(await OpenMissing());
        var mapping = Assert.Single((await ItemMappingsApi.ListMappings(Tenant, _harness.Store, Ct)).Value!);
        Assert.Equal(("sku:CONSULT-DAY", 1, "maria", "11"), (mapping.ProductKey, mapping.Version, mapping.ChangedBy, mapping.Target.ItemRef));
    }

    [Fact]
    public async Task A_revenue_impacting_change_takes_effect_only_with_a_second_finance_managers_approval()
    {
        await LoadQuickBooksLists();
        await Put(Maria, ConsultingMapping());

        var requested = Assert.IsType<Ok<List<MappingResultView>>>((await Put(Maria, ConsultingMapping(income: "80"))).Result).Value!;
        Assert.Equal(MappingOutcome.PendingApproval, Assert.Single(requested).Outcome);
        Assert.Equal("79", Assert.Single(requested).Mapping.Target.IncomeAccountRef);
        await _harness.SettleAsync();
        Assert.Equal([(1, "79")], _harness.Published<ItemMappingChanged>().Select(c => (c.Version, c.IncomeAccountRef)));

        var own = await Call(sp => ItemMappingsApi.Approve(Tenant, new MappingDecisionRequest("sku:CONSULT-DAY", null), Maria, _harness.Store,
            sp.GetRequiredService<CustomerBook>(), sp.GetRequiredService<IUnitOfWork>(), Ct));
        Assert.Equal(403, Assert.IsType<ProblemHttpResult>(own.Result).StatusCode);

        var approved = await Call(sp => ItemMappingsApi.Approve(Tenant, new MappingDecisionRequest("sku:CONSULT-DAY", "licence revenue from Q2"), Omar,
            _harness.Store, sp.GetRequiredService<CustomerBook>(), sp.GetRequiredService<IUnitOfWork>(), Ct));
        var mapping = Assert.IsType<Ok<ItemMappingView>>(approved.Result).Value!;
        Assert.Equal((2, "80", "maria"), (mapping.Version, mapping.Target.IncomeAccountRef, mapping.ChangedBy));
        Assert.Null(mapping.Pending);
        Assert.Equal([(1, (string?)null), (2, "omar")], mapping.Versions.Select(v => (v.Version, v.ApprovedBy)));
        // Billing learns of the approved change, and only of approved ones.
        await _harness.SettleAsync();
        var changes = _harness.Published<ItemMappingChanged>().OrderBy(c => c.Version).ToList();
        Assert.Equal([(1, "79"), (2, "80")], changes.Select(c => (c.Version, c.IncomeAccountRef)));
        Assert.All(changes, c => Assert.Equal((Tenant, "sku:CONSULT-DAY", "11", "TAX"), (c.TenantId, c.ProductKey, c.ItemRef, c.TaxCodeRef)));
    }

    [Fact]
    public async Task A_change_that_moves_no_revenue_applies_at_once_and_a_billing_specialists_change_waits()
    {
        await LoadQuickBooksLists();
        await Put(Maria, ConsultingMapping());

        var reclassed = Assert.IsType<Ok<List<MappingResultView>>>((await Put(Maria, ConsultingMapping(classRef: "6"))).Result).Value!;
        var proposed = Assert.IsType<Ok<List<MappingResultView>>>((await Put(User("ben", Roles.BillingSpecialist),
            new ItemMappingRequest("prod-77", null, "Training", "12", "79", null, null, "TAX", null))).Result).Value!;

        Assert.Equal((MappingOutcome.Updated, 2, "6"), (reclassed[0].Outcome, reclassed[0].Mapping.Version, reclassed[0].Mapping.Target.ClassRef));
        Assert.Equal((MappingOutcome.PendingApproval, 0), (proposed[0].Outcome, proposed[0].Mapping.Version));
        Assert.Equal(MappingOutcome.Unchanged, Assert.IsType<Ok<List<MappingResultView>>>((await Put(Maria, ConsultingMapping(classRef: "6"))).Result).Value![0].Outcome);
    }

    [Fact]
    public async Task Coverage_is_the_share_of_won_revenue_on_mapped_products_with_the_top_unmapped_and_default_item_use()
    {
        await LoadQuickBooksLists();
        await Put(Maria, ConsultingMapping());
        await _harness.DeliverAsync(Deal("deal-1", ConsultingDays, Training));
        await _harness.DeliverAsync(Deal("deal-2", Training));
        await Call(sp => PolicyApi.PutPolicy(Tenant, new PolicyRequest(null, null, null, null, null, null, DefaultItemRef: "12"), User("root", Roles.Admin),
            sp.GetRequiredService<CustomerBook>(), _harness.Store, sp.GetRequiredService<IUnitOfWork>(), Ct));
        await _harness.SettleAsync();
        Assert.Contains(_harness.Published<ItemMappingChanged>(), c => c.ProductKey == ItemMappingEvents.DefaultItemKey && c.ItemRef == "12");
        await _harness.DeliverAsync(Deal("deal-3", new DealLine { Sku = "travel", Description = "Travel", Quantity = 1, UnitPrice = 400m }));

        var report = Assert.IsType<Ok<CoverageReport>>((await Call(sp => ItemMappingsApi.Coverage(Tenant, _harness.Store, sp.GetRequiredService<CustomerBook>(), Ct))).Result).Value!;

        var gbp = Assert.Single(report.ByCurrency);
        // 12,000 mapped of 12,000 + 2 × 1,710 + 400 won.
        Assert.Equal(("GBP", 15_820m, 12_000m, 400m, 0.7585m), (gbp.Currency, gbp.WonRevenue, gbp.MappedRevenue, gbp.DefaultItemRevenue, gbp.MappedShare));
        Assert.Equal(1, report.DefaultItemUses);
        Assert.Equal(("id:prod-77", 3_420m, 2), (report.TopUnmapped[0].ProductKey, report.TopUnmapped[0].Revenue, report.TopUnmapped[0].Deals));
        Assert.DoesNotContain(await OpenMissing(), i => i.ProductKey == "sku:TRAVEL");
    }
}
