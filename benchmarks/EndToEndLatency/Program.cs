using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QuoteToCash.Contracts;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Platform;

// Usage (after `dotnet build benchmarks/EndToEndLatency -c Release`):
//   dotnet artifacts/bin/EndToEndLatency/release/EndToEndLatency.dll fixed 20 300 10       # 20 won deals/s for 300 s, over 10 tenants
//   dotnet artifacts/bin/EndToEndLatency/release/EndToEndLatency.dll ramp 20,50,100 30 40  # 30 s at each rate, drained in between
// The deals are spread over tenants (each its own HubSpot portal and QuickBooks company). crm-ingest reads each deal
// back from HubSpot (about 4 requests a deal) within the limit the portal reports on every answer; the sandbox's
// limits are raised here, as a portal on a high plan would be, so the HubSpot budget does not bind.
// Starts the whole platform (gateway, five services, three sandboxes) on a RabbitMQ node of its own (so the broker's
// counters are this run's alone; RABBITMQ_URI is used instead when no private node can run), with the QuickBooks and
// HubSpot sandbox limits (and accounting-sync's governor) raised so neither binds. Deals are created in HubSpot
// beforehand, already closed-won; the run sends each deal's signed "dealstage = closedwon" webhook through the gateway
// at the fixed rate and measures webhook sent -> InvoicePosted (the invoice exists in QuickBooks; the timeline's time for
// it is when accounting-sync published the event, after QuickBooks answered), per stage from the reporting timeline,
// and checks every invoice is in QuickBooks exactly once.
var mode = args.Length > 0 ? args[0] : "fixed";
var rates = (args.Length > 1 ? args[1] : "20").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
var stepSeconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : mode == "ramp" ? 30 : 300;
var tenantCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : (int)Math.Ceiling(rates.Max() / 2);
if (mode is not ("fixed" or "ramp") || (mode == "fixed" && rates.Length != 1))
{
    Console.Error.WriteLine("usage: EndToEndLatency fixed <rate> <seconds> [tenants] | ramp <rate,rate,...> <seconds per step> [tenants]");
    return 2;
}

PrivateRabbitMq? broker = null;
string rabbit;
if (PrivateRabbitMq.Unavailable() is null)
{
    broker = await PrivateRabbitMq.StartAsync();
    rabbit = broker.AmqpUri;
}
else
{
    rabbit = Environment.GetEnvironmentVariable("RABBITMQ_URI") ?? "amqp://guest:guest@127.0.0.1:5672/";
    Console.WriteLine($"No private RabbitMQ node ({PrivateRabbitMq.Unavailable()}); using {rabbit}, without message counters.");
}

// Q2C_BENCH_STORE_WRITES=1: the services export their metrics (and spans) to a local OTLP receiver, so the run also
// reports store commits and document writes per deal, by service and collection. Off by default: the export costs CPU.
var storeWrites = Environment.GetEnvironmentVariable("Q2C_BENCH_STORE_WRITES") == "1" ? await QuoteToCash.Testing.Telemetry.OtlpReceiver.StartAsync() : null;
var quiet = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning", ["Logging__LogLevel__QuoteToCash"] = "Warning" };
if (storeWrites is not null)
    foreach (var (key, value) in storeWrites.ExporterEnvironment)
        quiet[key] = value;
Dictionary<string, string> With(Dictionary<string, string> extra) => quiet.Concat(extra).ToDictionary(x => x.Key, x => x.Value);
await using var platform = new LocalPlatform(rabbit, "bench-", new Dictionary<string, IReadOnlyDictionary<string, string>>
{
    ["*"] = quiet,
    // The governor plans against the sandbox's limits: raised together.
    ["accounting-sync"] = With(new()
    {
        ["QuickBooks__Limits__RequestsPerMinute"] = "10000000", ["QuickBooks__Limits__ConcurrentRequests"] = "64",
        ["QuickBooks__Limits__BatchesPerMinute"] = "1000000",
    }),
    ["quickbooks-sandbox"] = With(new()
    {
        ["QuickBooks__Limits__RequestsPerMinute"] = "10000000", ["QuickBooks__Limits__ConcurrentRequests"] = "1000",
        ["QuickBooks__Limits__BatchesPerMinute"] = "1000000", ["QuickBooks__Limits__BatchesPerMinutePerRealm"] = "1000000",
    }),
    ["hubspot-sandbox"] = With(new()
    {
        ["HubSpot__RateLimit__BurstLimit"] = "100000000", ["HubSpot__RateLimit__DailyLimit"] = "1000000000", ["HubSpot__RateLimit__SearchPerSecond"] = "100000",
    }),
    ["salesforce-sandbox"] = quiet,
    ["gateway"] = quiet,
});
try
{
    Console.WriteLine("Starting the platform...");
    var starting = Stopwatch.StartNew();
    await platform.StartAsync(TimeSpan.FromSeconds(240));
    Console.WriteLine($"  ready in {starting.Elapsed.TotalSeconds:0.0} s");
    // Q2C_BENCH_WARMUP=<deals>@<rate>: what is sent first and not measured (default 40 deals at 5/s). A warm-up of a
    // minute or more at the measured rate lets the runtime finish compiling the hot paths, so the step measures the
    // steady state rather than the first minutes after a start.
    var warmupSetting = (Environment.GetEnvironmentVariable("Q2C_BENCH_WARMUP") is { Length: > 0 } w ? w : "40@5").Split('@');
    var warmupDeals = int.Parse(warmupSetting[0], CultureInfo.InvariantCulture);
    var warmupRate = double.Parse(warmupSetting[1], CultureInfo.InvariantCulture);
    var totalDeals = warmupDeals + (int)Math.Ceiling(rates.Sum(r => r * stepSeconds));
    Console.WriteLine($"Setting up {tenantCount} tenants and {totalDeals} won deals in HubSpot (20 companies per tenant)...");
    var prepare = Stopwatch.StartNew();
    var deals = new List<BenchDeal>();
    var tenants = new List<PlatformTenant>();
    var perTenant = (int)Math.Ceiling(totalDeals / (double)tenantCount);
    for (var t = 0; t < tenantCount; t++)
    {
        // The app subscribes to nothing: this run sends the won webhooks itself, so it knows when each left.
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints, $"bench-{t:00}", TenantCrm.HubSpot, hubSpotSubscriptions: []);
        tenants.Add(tenant);
        foreach (var dealId in await CreateDealsAsync(tenant, perTenant))
            deals.Add(new BenchDeal(tenant, dealId));
    }
    // Round robin over the tenants, in sending order.
    deals = deals.Select((d, i) => (d, i)).OrderBy(x => x.i % perTenant).ThenBy(x => x.i / perTenant).Select(x => x.d).Take(totalDeals).ToList();
    Console.WriteLine($"  ready in {prepare.Elapsed.TotalSeconds:0} s");

    static async Task<List<string>> CreateDealsAsync(PlatformTenant tenant, int count)
    {
        var portal = tenant.HubSpot!;
        var products = tenant.Products.Take(2).ToArray();
        async Task<List<string>> BatchCreateAsync(string type, IReadOnlyList<object> inputs)
        {
            var ids = new List<string>();
            foreach (var chunk in inputs.Chunk(100))
            {
                var created = await portal.CallAsync(HttpMethod.Post, $"/crm/v3/objects/{type}/batch/create", new { inputs = chunk });
                ids.AddRange(created.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            }
            return ids;
        }
        static object Association(string id, int type) => new { to = new { id }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = type } } };
        var companies = await BatchCreateAsync("companies", Enumerable.Range(1, 20).Select(i => (object)new
        {
            properties = new { name = $"{tenant.Id} client {i:00} Inc", address = $"{i} Load St", city = "Portland", state = "OR", zip = "97201", country = "US" },
        }).ToList());
        var contacts = await BatchCreateAsync("contacts", Enumerable.Range(1, 20).Select(i => (object)new
        {
            properties = new { email = $"ap@{tenant.Id}-client-{i:00}.test", firstname = "Ivy" },
        }).ToList());
        var dealIds = new List<string>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(100))
        {
            var created = await BatchCreateAsync("deals", chunk.Select(i => (object)new
            {
                properties = new Dictionary<string, string>
                {
                    ["dealname"] = $"Benchmark deal {i:00000}", ["dealstage"] = "closedwon", ["pipeline"] = "default", ["deal_currency_code"] = "USD",
                    ["amount"] = (10m * products[0].UnitPrice + (1 + i % 5) * products[1].UnitPrice).ToString(CultureInfo.InvariantCulture),
                },
                associations = new[] { Association(companies[i % 20], 5), Association(contacts[i % 20], 3) },
            }).ToList());
            await BatchCreateAsync("line_items", created.SelectMany((deal, k) => new object[]
            {
                new { properties = new { hs_product_id = products[0].CrmProductId, name = products[0].Name, quantity = "10", price = products[0].UnitPrice.ToString(CultureInfo.InvariantCulture) },
                      associations = new[] { Association(deal, 20) } },
                new { properties = new { hs_product_id = products[1].CrmProductId, name = products[1].Name, quantity = (1 + chunk[k] % 5).ToString(CultureInfo.InvariantCulture),
                      price = products[1].UnitPrice.ToString(CultureInfo.InvariantCulture) }, associations = new[] { Association(deal, 20) } },
            }).ToList());
            dealIds.AddRange(created);
        }
        return dealIds;
    }

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = platform.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    var sent = new ConcurrentDictionary<BenchDeal, DateTime>();
    var ackFailures = 0;
    long eventId = 1;
    HttpRequestMessage Webhook(BenchDeal deal)
    {
        var portal = deal.Tenant.HubSpot!;
        var dealId = deal.DealId;
        var webhookUri = new Uri(platform.Gateway.BaseAddress, $"/webhooks/hubspot/{deal.Tenant.Id}").ToString();
        var body = JsonSerializer.Serialize(new[]
        {
            new
            {
                eventId = Interlocked.Increment(ref eventId), subscriptionId = 1, portalId = long.Parse(portal.PortalId, CultureInfo.InvariantCulture),
                appId = long.Parse(portal.AppId, CultureInfo.InvariantCulture), occurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                subscriptionType = "deal.propertyChange", attemptNumber = 0, objectId = long.Parse(dealId, CultureInfo.InvariantCulture),
                propertyName = "dealstage", propertyValue = "closedwon", changeSource = "CRM",
            },
        });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, webhookUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-v3",
            Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(portal.ClientSecret), Encoding.UTF8.GetBytes("POST" + webhookUri + body + timestamp))));
        return request;
    }
    async Task SendAsync(IReadOnlyList<BenchDeal> deals, double rate)
    {
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(deals.Count);
        for (var i = 0; i < deals.Count; i++)
        {
            var wait = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            var deal = deals[i];
            tasks.Add(Task.Run(async () =>
            {
                using var request = Webhook(deal);
                sent[deal] = DateTime.UtcNow;
                try
                {
                    using var response = await http.SendAsync(request);
                    if (!response.IsSuccessStatusCode)
                        Interlocked.Increment(ref ackFailures);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref ackFailures);
                }
            }));
        }
        await Task.WhenAll(tasks);
    }

    // Reads back through the services directly (same token), so the gateway's per-tenant API limit does not pace the run.
    using var reporting = new HttpClient { BaseAddress = platform.Process("reporting").BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    reporting.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.AdminToken);
    async Task<int> InvoicesInQuickBooksAsync()
    {
        var count = 0;
        foreach (var tenant in tenants)
            count += (await tenant.Books.InvoicesByDealAsync()).Count;
        return count;
    }
    async Task<bool> DrainAsync(int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await InvoicesInQuickBooksAsync() >= expected)
                return true;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        return await InvoicesInQuickBooksAsync() >= expected;
    }
    // Each event's time for the stages is when its producer announced it (a won deal's own time is the CRM's close date);
    // InvoicePosted's own time is when QuickBooks' answer reached accounting-sync, i.e. when the invoice existed there.
    async Task<List<(string Event, DateTime At, DateTime Announced)>> TimelineAsync(BenchDeal deal)
    {
        var flowId = FlowId.For(deal.Tenant.Id, "hubspot", deal.DealId);
        var answer = await JsonHttp.SendAsync(reporting, HttpMethod.Get, $"/api/reports/{deal.Tenant.Id}/flows/{flowId}/timeline");
        if (!answer.Ok || !answer.Json.TryGetProperty("entries", out var entries))
            return [];
        return entries.EnumerateArray().Select(e =>
        {
            var at = e.GetProperty("at").GetDateTime().ToUniversalTime();
            var announced = e.TryGetProperty("announcedAt", out var a) && a.ValueKind == JsonValueKind.String ? a.GetDateTime().ToUniversalTime() : at;
            return (e.GetProperty("event").GetString()!, at, announced);
        }).ToList();
    }

    // CPU used so far by each platform process, and by the whole machine (busy time of all cores, from /proc/stat).
    Dictionary<string, TimeSpan> CpuSnapshot()
    {
        var snapshot = new Dictionary<string, TimeSpan>();
        foreach (var (name, process) in platform.Processes)
            if (process.ProcessorTime is { } used)
                snapshot[name] = used;
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait; USER_HZ is 100.
        snapshot["machine"] = TimeSpan.FromMilliseconds((fields.Take(8).Sum() - fields[3] - fields[4]) * 10);
        return snapshot;
    }

    // Each service's store commits and document writes so far ("commits", "writes" and "writes:<collection>").
    Dictionary<(string Service, string Key), double> StoreWrites()
    {
        var totals = new Dictionary<(string, string), double>();
        if (storeWrites is null)
            return totals;
        void Add(string service, string key, double value) => totals[(service, key)] = totals.GetValueOrDefault((service, key)) + value;
        foreach (var (service, _, value) in storeWrites.CounterSeries("q2c.store.commits"))
            Add(service, "commits", value);
        foreach (var (service, attributes, value) in storeWrites.CounterSeries("q2c.store.writes"))
        {
            Add(service, "writes", value);
            Add(service, "writes:" + attributes.GetValueOrDefault("collection", "?"), value);
        }
        return totals;
    }

    // Warm-up: JIT, connection pools, LiteDB files, the customers' first creation in QuickBooks is not what is measured.
    var warmup = deals.Take(warmupDeals).ToList();
    Console.WriteLine($"Warm-up: {warmup.Count} deals at {warmupRate}/s...");
    await SendAsync(warmup, warmupRate);
    if (!await DrainAsync(warmup.Count, TimeSpan.FromMinutes(10)))
        throw new InvalidOperationException("The warm-up deals were not all invoiced within 10 minutes.\n" + platform.LogTails());

    var results = new List<string>();
    var offset = warmup.Count;
    var posted = warmup.Count;
    foreach (var rate in rates)
    {
        var step = deals.Skip(offset).Take((int)Math.Ceiling(rate * stepSeconds)).ToList();
        offset += step.Count;
        var before = broker is null ? null : await broker.CountersAsync();
        var cpuBefore = CpuSnapshot();
        var writesBefore = StoreWrites();
        var spansBefore = storeWrites?.Spans.Count ?? 0;
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine($"Sending {step.Count} won webhooks at {rate}/s for {stepSeconds} s (load average {load})...");
        var run = Stopwatch.StartNew();
        // Where work waits: every queue's depth, once a second, from the send to the drain.
        using var sampling = new CancellationTokenSource();
        var depths = new ConcurrentDictionary<string, (long Sum, long Max, int Samples)>();
        var sampler = broker is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var (queue, depth) in await broker.QueueDepthsAsync())
                    depths.AddOrUpdate(queue, (depth, depth, 1), (_, d) => (d.Sum + depth, Math.Max(d.Max, depth), d.Samples + 1));
                await Task.Delay(TimeSpan.FromSeconds(1), sampling.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        await SendAsync(step, rate);
        var sendSeconds = run.Elapsed.TotalSeconds;
        posted += step.Count;
        var drained = await DrainAsync(posted, TimeSpan.FromMinutes(10));
        var drainSeconds = run.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        var after = broker is null ? null : await broker.CountersAsync();
        var cpuAfter = CpuSnapshot();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the timeline consumer's last events, and the last metric export
        var writesAfter = StoreWrites();

        var latencies = new List<double>();
        var latencyOf = new Dictionary<BenchDeal, double>();
        var stages = new Dictionary<string, List<double>>();
        var missing = 0;
        foreach (var dealId in step)
        {
            var events = await TimelineAsync(dealId);
            var postedAt = events.FirstOrDefault(e => e.Event == "InvoicePosted").At;
            if (postedAt == default)
            {
                missing++;
                continue;
            }
            latencies.Add(latencyOf[dealId] = (postedAt - sent[dealId]).TotalMilliseconds);
            var previous = ("webhook sent", sent[dealId]);
            foreach (var e in events.Where(e => e.Announced <= postedAt.AddSeconds(1)).OrderBy(e => e.Event == "InvoicePosted" ? postedAt : e.Announced))
            {
                var when = e.Event == "InvoicePosted" ? postedAt : e.Announced;
                var key = $"{previous.Item1} -> {e.Event}";
                if (!stages.TryGetValue(key, out var list))
                    stages[key] = list = [];
                list.Add((when - previous.Item2).TotalMilliseconds);
                previous = (e.Event, when);
                if (e.Event == "InvoicePosted")
                    break;
            }
        }
        var byDeal = new Dictionary<PlatformTenant, ILookup<string, JsonElement>>();
        foreach (var tenant in tenants)
            byDeal[tenant] = await tenant.Books.InvoicesByDealAsync();
        var duplicates = step.Count(d => byDeal[d.Tenant][$"deal:hubspot:{d.DealId}"].Count() > 1);
        var absent = step.Count(d => !byDeal[d.Tenant][$"deal:hubspot:{d.DealId}"].Any());
        latencies.Sort();
        double P(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        // Did latency run away? Compare the first and the last fifth of the step, in sending order.
        var ordered = step.Where(d => latencies.Count > 0).Select(d => (d, sent[d])).OrderBy(x => x.Item2).Select(x => x.d).ToList();
        var fifth = Math.Max(1, ordered.Count / 5);
        double Median(IEnumerable<BenchDeal> deals) => P(deals.Where(latencyOf.ContainsKey).Select(d => latencyOf[d]).Order().ToList(), 0.5);
        var firstFifth = Median(ordered.Take(fifth));
        var lastFifth = Median(ordered.TakeLast(fifth));
        var messages = before is null || after is null ? "n/a" : $"{(double)after.Since(before).Published / step.Count:0.0} published, {(double)after.Since(before).Delivered / step.Count:0.0} delivered";
        var line = $"| {rate}/s for {stepSeconds} s, {tenantCount} tenants | {step.Count} | {step.Count - absent} once, {duplicates} twice or more, {absent} missing, {ackFailures} webhook errors | "
            + $"{P(latencies, 0.5):0} ms | {P(latencies, 0.9):0} ms | {P(latencies, 0.99):0} ms | {latencies.LastOrDefault():0} ms | "
            + $"{firstFifth:0} → {lastFifth:0} ms | {messages} | sent in {sendSeconds:0.0} s, all posted after {drainSeconds:0.0} s{(drained ? "" : " (NOT drained)")} | {load} |";
        results.Add(line);
        Console.WriteLine(line);
        Console.WriteLine("  where the time goes (consecutive timeline events, p50 / p99 ms):");
        foreach (var (stage, values) in stages.Where(s => s.Value.Count >= step.Count / 10).OrderBy(s => P(s.Value.Order().ToList(), 0.5)))
        {
            var sorted = values.Order().ToList();
            Console.WriteLine($"    {stage,-60} n={sorted.Count,5}  p50 {P(sorted, 0.5),7:0}  p99 {P(sorted, 0.99),7:0}");
        }
        if (!depths.IsEmpty)
        {
            Console.WriteLine("  queues with work waiting (mean / max messages, sampled each second):");
            foreach (var (queue, d) in depths.Where(d => d.Value.Max > 0).OrderByDescending(d => (double)d.Value.Sum / d.Value.Samples).Take(12))
                Console.WriteLine($"    {queue,-60} mean {(double)d.Sum / d.Samples,8:0.0}  max {d.Max,6}");
        }
        if (missing > 0)
            Console.WriteLine($"  {missing} deals without InvoicePosted in their timeline");
        // CPU per deal, from the send to the drain: each process's own, and the machine's (the broker, this driver and
        // the kernel are the difference). Reporting may still be catching up when the invoices are all in.
        Console.WriteLine($"  CPU per deal, send to drain ({drainSeconds:0.0} s; machine {cpuAfter["machine"].TotalSeconds - cpuBefore["machine"].TotalSeconds:0.0} CPU-s of {2 * drainSeconds:0.0} available on 2 cores):");
        foreach (var (name, used) in cpuAfter.Where(c => cpuBefore.ContainsKey(c.Key)).Select(c => (c.Key, c.Value - cpuBefore[c.Key])).OrderByDescending(c => c.Item2))
            Console.WriteLine($"    {name,-20} {used.TotalMilliseconds / step.Count,7:0.0} ms");
        if (storeWrites is not null)
        {
            // Counted from the send to 3 s after the drain; reporting may still be catching up, so its figure is a floor.
            Console.WriteLine("  store commits and document writes per deal (by service; the collections with most writes):");
            foreach (var service in writesAfter.Keys.Select(k => k.Service).Distinct().Order())
            {
                double Delta(string key) => writesAfter.GetValueOrDefault((service, key)) - writesBefore.GetValueOrDefault((service, key));
                var top = writesAfter.Keys.Where(k => k.Service == service && k.Key.StartsWith("writes:", StringComparison.Ordinal))
                    .Select(k => (Collection: k.Key[7..], Writes: Delta(k.Key) / step.Count)).Where(c => c.Writes > 0.005).OrderByDescending(c => c.Writes).Take(8);
                Console.WriteLine($"    {service,-16} {Delta("commits") / step.Count,5:0.0} commits  {Delta("writes") / step.Count,5:0.0} writes  "
                    + string.Join(", ", top.Select(c => $"{c.Collection} {c.Writes:0.0}")));
            }
            // Where the time goes inside the services: each kind of span's duration over the step (its count per deal,
            // p50 and p99), the slowest at the median first.
            var spans = storeWrites.Spans.Skip(spansBefore).Where(x => x.Duration > TimeSpan.Zero)
                .GroupBy(x => (x.Service, x.Name)).Where(g => g.Count() >= step.Count / 4)
                .Select(g => (g.Key, Count: g.Count(), Sorted: g.Select(x => x.Duration.TotalMilliseconds).Order().ToList()))
                .OrderByDescending(g => P(g.Sorted, 0.5)).Take(25).ToList();
            Console.WriteLine("  spans by service and name (per deal, p50 / p99 ms):");
            foreach (var (key, count, sorted) in spans)
                Console.WriteLine($"    {key.Service,-16} {key.Name,-58} {(double)count / step.Count,5:0.0}  {P(sorted, 0.5),8:0.0}  {P(sorted, 0.99),8:0.0}");
        }
    }
    Console.WriteLine();
    Console.WriteLine("| Run | Deals | In QuickBooks | p50 | p90 | p99 | max | median, first → last fifth | messages per deal | duration | load average at start |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    foreach (var line in results)
        Console.WriteLine(line);
    return 0;
}
finally
{
    // Q2C_BENCH_LOGS=<directory> keeps every process's log of the run there.
    if (Environment.GetEnvironmentVariable("Q2C_BENCH_LOGS") is { Length: > 0 } keep)
    {
        Directory.CreateDirectory(keep);
        foreach (var log in Directory.GetFiles(platform.DataDirectory, "*.log"))
            File.Copy(log, Path.Combine(keep, Path.GetFileName(log)), overwrite: true);
    }
    if (broker is not null)
        await broker.DisposeAsync();
    if (storeWrites is not null)
        await storeWrites.DisposeAsync();
}

/// <summary>A deal of the run: its tenant (portal, QuickBooks company) and its HubSpot ID.</summary>
internal sealed record BenchDeal(PlatformTenant Tenant, string DealId);
