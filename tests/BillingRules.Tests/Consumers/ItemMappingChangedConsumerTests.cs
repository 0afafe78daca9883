using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.BillingRules.Infrastructure.Catalog;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Consumers;

/// <summary>Billing's copy of master data's item mappings only moves forward, whatever order the changes arrive in.</summary>
public sealed class ItemMappingChangedConsumerTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddBillingRulesHandlers(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static ItemMappingChanged Change(int version, string income, int minutes) => new()
    {
        TenantId = Tenant, ProductKey = "sku:CONSULT-DAY", ProductName = "Consulting day", ItemRef = "11", IncomeAccountRef = income,
        TaxCodeRef = "TAX", Version = version, ChangedAt = ServiceHarness.DefaultStart.AddMinutes(minutes),
    };

    private Task<CatalogItem?> Kept() => _harness.GetAsync<CatalogItem>(CatalogItem.CollectionName, CatalogItem.KeyFor(Tenant, "sku:CONSULT-DAY"));

    [Fact]
    public async Task A_mapping_change_is_kept_for_drafting()
    {
        await _harness.DeliverAsync(Change(1, "79", 0));

        var item = await Kept();
        Assert.Equal(("11", "79", "TAX", 1), (item!.ItemRef, item.IncomeAccountRef, item.TaxCodeRef, item.Version));
    }

    [Fact]
    public async Task A_late_older_change_does_not_undo_a_newer_one()
    {
        await _harness.DeliverAsync(Change(2, "80", 5));
        await _harness.DeliverAsync(Change(1, "79", 0));

        Assert.Equal((2, "80"), ((await Kept())!.Version, (await Kept())!.IncomeAccountRef));
    }

    [Fact]
    public async Task A_redelivered_change_leaves_the_copy_as_it_was()
    {
        var id = await _harness.PublishAsync(Change(1, "79", 0));
        await _harness.PublishAsync(Change(1, "79", 0), id);
        await _harness.ConsumedAsync<ItemMappingChanged>(id, times: 2);

        Assert.Equal((1, "79"), ((await Kept())!.Version, (await Kept())!.IncomeAccountRef));
    }

    [Fact]
    public async Task Removing_the_default_item_clears_it()
    {
        await _harness.DeliverAsync(new ItemMappingChanged { TenantId = Tenant, ProductKey = "*", ItemRef = "19", ChangedAt = ServiceHarness.DefaultStart });
        await _harness.DeliverAsync(new ItemMappingChanged { TenantId = Tenant, ProductKey = "*", ItemRef = null, ChangedAt = ServiceHarness.DefaultStart.AddHours(1) });

        var item = await _harness.GetAsync<CatalogItem>(CatalogItem.CollectionName, CatalogItem.KeyFor(Tenant, "*"));
        Assert.Null(item!.ItemRef);
    }
}
