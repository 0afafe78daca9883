using System.Text.Json;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 5: while QuickBooks throttles (429), answers server errors (500, 502, 503) and drops connections after it
/// committed a write (the sandbox's fault injector, for this tenant's company only), a stream of won deals still ends
/// with every invoice posted exactly once, and no customer created twice.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class QuickBooksThrottlingErrorsAndDroppedConnectionsTests(PlatformFixture platform)
{
    private const int DealsPerPhase = 8;
    private const int Customers = 6;

    [Fact]
    public async Task Every_invoice_is_posted_exactly_once_through_throttling_server_errors_and_dropped_connections()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.NewTenant("acc-faults"), TenantCrm.None);
        var customers = Enumerable.Range(1, Customers)
            .Select(i => new GenericCustomer($"C-{i}", $"Faulty Weather {i} LLC", $"{i} Storm Road", $"ap{i}@faulty-weather.test")).ToList();
        var expected = new Dictionary<string, decimal>();
        var phases = new (string What, int Status, double ErrorRate, double DropRate)[]
        {
            ("throttled", 429, 0.4, 0.2),
            ("service unavailable", 503, 0.4, 0.2),
            ("internal errors and bad gateways", 500, 0.3, 0.3),
            ("bad gateway", 502, 0.3, 0.3),
        };
        const int faultsPerPhase = 25;
        var deal = 0;
        foreach (var (what, status, errorRate, dropRate) in phases)
        {
            await tenant.Books.SetFaultsAsync(errorRate: errorRate, errorStatus: status, dropConnectionAfterCommitRate: dropRate, count: faultsPerPhase);
            for (var i = 0; i < DealsPerPhase; i++, deal++)
            {
                var quantity = 1 + deal % 7;
                var dealId = $"F-{deal + 1:000}";
                expected[dealId] = quantity * 125m;
                await tenant.GenericDealAsync(dealId, customers[deal % Customers], [("Advisory", quantity, 125m)]);
            }
            // The phase lasts until its faults are used up (or long enough that the platform must have met several).
            var used = await Eventually(async () => await tenant.Books.FaultsLeftAsync() is null, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
            Assert.True(used || await tenant.Books.FaultsLeftAsync() < faultsPerPhase, $"QuickBooks was never {what}: the platform sent it nothing during the phase");
        }
        await tenant.Books.ClearFaultsAsync();

        ILookup<string, JsonElement> invoices = Enumerable.Empty<JsonElement>().ToLookup(_ => "");
        var all = await Eventually(async () =>
        {
            invoices = await tenant.Books.InvoicesByDealAsync();
            return expected.Keys.All(d => invoices[$"deal:generic:{d}"].Any());
        }, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(2));
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // room for a late duplicate
        invoices = await tenant.Books.InvoicesByDealAsync();
        Assert.True(all, $"invoices in QuickBooks for {expected.Keys.Count(d => invoices[$"deal:generic:{d}"].Any())} of {expected.Count} deals; missing: "
            + string.Join(", ", expected.Keys.Where(d => !invoices[$"deal:generic:{d}"].Any())));
        foreach (var (dealId, total) in expected)
        {
            var posted = invoices[$"deal:generic:{dealId}"].ToList();
            Assert.True(posted.Count == 1, $"deal {dealId}: {posted.Count} invoices in QuickBooks");
            Assert.Equal(total, posted[0].GetProperty("TotalAmt").GetDecimal());
        }
        Assert.Equal(expected.Count, invoices.Sum(g => g.Count()));

        var names = (await tenant.Books.CustomersAsync()).Select(c => c.GetProperty("DisplayName").GetString()!).Where(n => n.Contains("Faulty Weather", StringComparison.Ordinal)).ToList();
        Assert.Equal(Customers, names.Count);
        Assert.Equal(Customers, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
