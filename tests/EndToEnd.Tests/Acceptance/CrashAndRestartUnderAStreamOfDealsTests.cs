using System.Diagnostics;
using System.Text.Json;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 6, crash and restart: under a stream of 200 won deals, accounting-sync, then billing-rules, then
/// master-data are killed with SIGKILL mid-flow and started again on the same port and data, and the broker is
/// restarted once. Every deal still ends with exactly one correct invoice in QuickBooks, and no customer exists there
/// twice. The platform runs on a RabbitMQ node of its own, so restarting it disturbs no other test.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CrashAndRestartUnderAStreamOfDealsTests
{
    private const int Deals = 200;
    private const int Customers = 40;
    private const double DealsPerSecond = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_deal_gets_exactly_one_correct_invoice_through_kills_of_three_services_and_a_broker_restart()
    {
        TestEnvironment.RequireRabbitMq();
        var unavailable = PrivateRabbitMq.Unavailable();
        Assert.SkipWhen(unavailable is not null, "This scenario restarts the broker, on a node of its own: " + unavailable);
        await using var broker = await PrivateRabbitMq.StartAsync();
        var quiet = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning", ["Logging__LogLevel__QuoteToCash"] = "Warning" };
        await using var platform = new LocalPlatform(broker.AmqpUri, "acc-", new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["*"] = quiet,
            // The stream and the test's own reads stay within QuickBooks' real limits; nothing here needs them lowered or raised.
        });
        await platform.StartAsync(TimeSpan.FromSeconds(180));
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints, "acc-crash", TenantCrm.None);

        var customers = Enumerable.Range(1, Customers)
            .Select(i => new GenericCustomer($"K-{i}", $"Resilient Goods {i:00} Inc", $"{i} Anvil Way", $"ap{i}@resilient-goods.test")).ToList();
        var expected = Enumerable.Range(1, Deals).ToDictionary(i => $"S-{i:000}", i => (decimal)(1 + i % 9) * 95m + i);
        var chaos = new List<string>();
        var clock = Stopwatch.StartNew();

        // The stream: deals at a steady rate through the gateway, whatever is down meanwhile.
        var sender = Task.Run(async () =>
        {
            var i = 0;
            foreach (var (dealId, total) in expected)
            {
                var due = TimeSpan.FromSeconds(i / DealsPerSecond);
                if (due > clock.Elapsed)
                    await Task.Delay(due - clock.Elapsed, Ct);
                var customer = customers[i % Customers];
                var quantity = 1 + (i + 1) % 9;
                await tenant.GenericDealAsync(dealId, customer, [("Delivery", quantity, 95m), ("Handling", 1m, i + 1)]);
                i++;
            }
        }, Ct);

        // The faults, spread over the stream: each service killed mid-flow and started again, then the broker restarted.
        async Task AtAsync(double seconds, string what, Func<Task> fault)
        {
            if (TimeSpan.FromSeconds(seconds) > clock.Elapsed)
                await Task.Delay(TimeSpan.FromSeconds(seconds) - clock.Elapsed, Ct);
            var started = clock.Elapsed;
            await fault();
            chaos.Add($"{what} at {started.TotalSeconds:0.0} s, back after {(clock.Elapsed - started).TotalSeconds:0.0} s");
        }
        async Task KillAndRestartAsync(string service)
        {
            await platform.KillAsync(service);
            Assert.True(platform.Process(service).HasExited);
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            await platform.StartAgainAsync(service, TimeSpan.FromSeconds(180));
        }
        var span = Deals / DealsPerSecond;
        await AtAsync(span * 0.15, "SIGKILL accounting-sync", () => KillAndRestartAsync("accounting-sync"));
        await AtAsync(span * 0.35, "SIGKILL billing-rules", () => KillAndRestartAsync("billing-rules"));
        await AtAsync(span * 0.55, "SIGKILL master-data", () => KillAndRestartAsync("master-data"));
        await AtAsync(span * 0.75, "RabbitMQ restart", () => broker.RestartAsync(TimeSpan.FromSeconds(2)));
        await sender;

        ILookup<string, JsonElement> invoices = Enumerable.Empty<JsonElement>().ToLookup(_ => "");
        var all = await Eventually(async () =>
        {
            invoices = await tenant.Books.InvoicesByDealAsync();
            return expected.Keys.All(d => invoices[$"deal:generic:{d}"].Any());
        }, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(3));
        await Task.Delay(TimeSpan.FromSeconds(5), Ct); // room for a late duplicate
        invoices = await tenant.Books.InvoicesByDealAsync();
        var missing = expected.Keys.Where(d => !invoices[$"deal:generic:{d}"].Any()).ToList();
        Assert.True(all, $"invoices for {Deals - missing.Count} of {Deals} deals after {string.Join("; ", chaos)}. Missing: {string.Join(", ", missing.Take(20))}\n{platform.LogTails()}");

        foreach (var (dealId, total) in expected)
        {
            var posted = invoices[$"deal:generic:{dealId}"].ToList();
            Assert.True(posted.Count == 1, $"deal {dealId}: {posted.Count} invoices in QuickBooks ({string.Join("; ", chaos)})");
            Assert.Equal(total, posted[0].GetProperty("TotalAmt").GetDecimal());
        }
        Assert.Equal(Deals, invoices.Sum(g => g.Count()));

        // One QuickBooks customer per CRM customer, and each deal billed to its own.
        var inBooks = (await tenant.Books.CustomersAsync()).Where(c => c.GetProperty("DisplayName").GetString()!.Contains("Resilient Goods", StringComparison.Ordinal)).ToList();
        Assert.Equal(Customers, inBooks.Count);
        Assert.Equal(Customers, inBooks.Select(c => c.GetProperty("DisplayName").GetString()!.ToUpperInvariant()).Distinct().Count());
        var nameById = inBooks.ToDictionary(c => c.GetProperty("Id").GetString()!, c => c.GetProperty("DisplayName").GetString()!);
        var i = 0;
        foreach (var dealId in expected.Keys)
        {
            var customerRef = invoices[$"deal:generic:{dealId}"].Single().GetProperty("CustomerRef").GetProperty("value").GetString()!;
            Assert.Contains(customers[i++ % Customers].LegalName.Replace(" Inc", "", StringComparison.Ordinal), nameById[customerRef], StringComparison.Ordinal);
        }
    }
}
