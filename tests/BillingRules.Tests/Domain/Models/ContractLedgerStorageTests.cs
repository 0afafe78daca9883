using System.Text.Json;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Storage;
using static QuoteToCash.BillingRules.Tests.Domain.Models.Deals;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

/// <summary>A ledger lives inside the saga instance, so it must come back from the store exactly as it went in.</summary>
public sealed class ContractLedgerStorageTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
    private readonly LiteDbDocumentStore _store;

    public ContractLedgerStorageTests() => _store = new LiteDbDocumentStore(_file);

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_file);
    }

    public static TheoryData<BillingModel> Models => [.. Enum.GetValues<BillingModel>()];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_ledger_in_use_round_trips_through_LiteDB(BillingModel model)
    {
        var ledger = InUse(model);

        await _store.CommitAsync([DocumentWrite.Insert("contract-ledgers", model.ToString(), ledger)], TestContext.Current.CancellationToken);
        var loaded = await _store.Collection<ContractLedger>("contract-ledgers").GetAsync(model.ToString(), TestContext.Current.CancellationToken);

        Assert.NotNull(loaded);
        Assert.Equal(JsonSerializer.Serialize(ledger), JsonSerializer.Serialize(loaded.Value));
        // And it keeps billing from where it was: nothing issued before is issued again.
        var later = BillingContract.Advance(loaded.Value, D(6, 1));
        Assert.DoesNotContain(later.Due, d => ledger.IssuedKeys.Contains(d.Key));
    }

    /// <summary>A ledger of the model with every part of it filled: plan, time, history, subscription state.</summary>
    private static ContractLedger InUse(BillingModel model)
    {
        DealLine[] lines = [new() { Description = "Discovery", Sku = "consult-day", Quantity = 4, UnitPrice = 1_200m, DiscountPercent = 5m, ServiceStart = D(3, 2) }];
        var terms = new BillingTerms
        {
            Model = model,
            Period = BillingPeriod.Biweekly,
            NotToExceed = model == BillingModel.TimeAndMaterials ? 3_000m : null,
            PurchaseOrder = "PO-77",
            Instalments = [Part("sign", 50m, label: "Half on signing"), Part("done", 50m, trigger: InstalmentTrigger.OnCompletion), Part("extra", amount: 250m, trigger: InstalmentTrigger.OnDate, date: D(5, 1))],
            Milestones = [new() { Id = "m1", Name = "Design", Percent = 60m }, new() { Id = "m2", Name = "Build", Amount = 1_824m }],
            RateCard = [Rate("senior", 150m, product: "SENIOR-HOUR"), Rate("senior", 175m, person: "Ana Ruiz")],
            Retainer = new RetainerTerms { Deposit = 2_000m, Threshold = 500m, Replenishment = 1_000m },
            Subscription = new SubscriptionTerms { Quantity = 5m, UnitPrice = 49.99m, StartDate = D(3, 31), Periods = 12, Product = "SEAT" },
        };
        var ledger = Start(terms, 4_560m, lines);
        BillingContract.Activate(ledger, D(3, 2));
        BillingContract.ReachMilestone(ledger, "m1", "Design", null, null, D(3, 20));
        BillingContract.ReachMilestone(ledger, "cr-1", "Change request", null, null, D(3, 21));
        BillingContract.LogTime(ledger, Time("e1", "Ana Ruiz", "senior", D(3, 3), 7.5m), D(3, 3));
        BillingContract.LogTime(ledger, Time("e2", "Ben Ito", "senior", D(3, 4), 12m, billable: false), D(3, 4));
        BillingContract.LogTime(ledger, Time("e3", "Ben Ito", "senior", D(3, 17), 14m, rate: 160m), D(3, 17));
        BillingContract.Advance(ledger, D(4, 14));
        BillingContract.LogTime(ledger, Time("e4", "Ana Ruiz", "senior", D(3, 5), 2m), D(4, 14));
        BillingContract.Change(ledger, terms with { Subscription = terms.Subscription with { Quantity = 8m } }, 4_560m, D(4, 14));
        return ledger;
    }
}
