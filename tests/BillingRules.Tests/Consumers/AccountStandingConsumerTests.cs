using QuoteToCash.BillingRules.Domain.Standing;
using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Consumers;

/// <summary>The customer's standing record on the harness: one record across the customer's flows, changed once per transition.</summary>
public sealed class AccountStandingConsumerTests : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddBillingRulesHandlers(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static InvoiceLatenessChanged Late(string dealId, bool late, int day) => new()
    {
        TenantId = Tenant, FlowId = FlowOf(dealId), InvoiceId = Guid.NewGuid(), DocNumber = "10" + day, CustomerId = ContosoId,
        CrmCompanyRef = "hubspot:company-4711", PastDue30 = late, ChangedAt = ServiceHarness.DefaultStart.AddDays(day),
    };

    private Task<CustomerStanding?> Stored() =>
        _harness.GetAsync<CustomerStanding>(CustomerStanding.CollectionName, CustomerStanding.KeyFor(Tenant, ContosoId));

    [Fact]
    public async Task Flows_of_one_customer_reporting_at_the_same_time_are_all_recorded_and_the_standing_changes_once()
    {
        var reports = Enumerable.Range(1, 6).Select(i => Late($"deal-{i}", late: true, day: 40)).ToList();

        var ids = await Task.WhenAll(reports.Select(r => _harness.PublishAsync(r)));
        foreach (var id in ids)
            await _harness.ConsumedAsync<InvoiceLatenessChanged>(id);
        await _harness.SettleAsync();

        var stored = await Stored();
        Assert.Equal(6, stored!.Invoices.Count(i => i.PastDue30));
        Assert.Equal(AccountStandings.PastDue30, stored.Standing);
        var changed = Assert.Single(_harness.Published<AccountStandingChanged>());
        Assert.Equal(("hubspot:company-4711", ContosoId, AccountStandings.PastDue30), (changed.CrmCompanyRef, changed.CustomerId, changed.Standing));
    }

    [Fact]
    public async Task A_redelivered_report_changes_nothing_and_the_last_settled_invoice_makes_the_customer_good()
    {
        var late = Late("deal-1", late: true, day: 40);
        var id = await _harness.DeliverAsync(late);
        await _harness.PublishAsync(late, id);
        await _harness.ConsumedAsync<InvoiceLatenessChanged>(id, times: 2);
        await _harness.DeliverAsync(late with { ChangedAt = late.ChangedAt.AddHours(1) }); // the same fact, sent again

        await _harness.DeliverAsync(late with { PastDue30 = false, ChangedAt = late.ChangedAt.AddDays(2) });
        await _harness.SettleAsync();

        Assert.Equal([AccountStandings.PastDue30, AccountStandings.Good], _harness.Published<AccountStandingChanged>().Select(s => s.Standing));
        Assert.Equal(AccountStandings.Good, (await Stored())!.Standing);
    }
}
