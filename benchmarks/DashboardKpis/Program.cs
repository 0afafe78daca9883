using System.Diagnostics;
using System.Globalization;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.ServiceDefaults.Storage;

// Usage: DashboardKpis [invoices] [rounds]
// Fills reporting's LiteDB store with one tenant's read models (made by the real projector from generated events), then answers
// every KPI endpoint the dashboard calls for a 12-month range, as the API does (filters, computation, JSON or CSV written out),
// and reports the server time of the whole set: once cold (read models loaded from the store) and then warm.
var invoiceCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
const string tenant = "benchmark-tenant";
var today = new DateOnly(2026, 11, 30);
var directory = Path.Combine(Path.GetTempPath(), "q2c-dashboard-kpis", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
try
{
    var path = Path.Combine(directory, "reporting.db");
    var fill = Stopwatch.StartNew();
    var set = new MemoryReadModelSet();
    var eventCount = Generate(invoiceCount, today, set);
    using (var store = new LiteDbDocumentStore(path))
    {
        var writes = set.Documents.Select(d => d.Value switch
        {
            DealFact x => DocumentWrite.Upsert(d.Key.Collection, d.Key.Key, x),
            InvoiceFact x => DocumentWrite.Upsert(d.Key.Collection, d.Key.Key, x),
            CustomerFact x => DocumentWrite.Upsert(d.Key.Collection, d.Key.Key, x),
            ExceptionFact x => DocumentWrite.Upsert(d.Key.Collection, d.Key.Key, x),
            _ => throw new InvalidOperationException(),
        }).ToList();
        var stamp = 1L;
        foreach (var document in set.Documents.Values)
            document.UpdatedTicks = stamp++;
        foreach (var batch in writes.Chunk(1_000))
            await store.CommitAsync(batch);
    }
    fill.Stop();
    Console.WriteLine($"Projected {eventCount:N0} events into {set.Documents.Values.OfType<InvoiceFact>().Count():N0} invoices, " +
                      $"{set.Documents.Values.OfType<DealFact>().Count():N0} deals, {set.Documents.Values.OfType<CustomerFact>().Count():N0} customers, " +
                      $"{set.Documents.Values.OfType<ExceptionFact>().Count():N0} exceptions in {fill.Elapsed.TotalSeconds:0.0} s; database {new FileInfo(path).Length / 1024 / 1024:N0} MiB");

    // A fresh process on the filled file: the first dashboard load reads the read models from disk.
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Logging.ClearProviders();
    builder.Services.AddSingleton<IDocumentStore>(_ => new LiteDbDocumentStore(path));
    builder.Services.AddSingleton<TimeProvider>(new FixedTime(new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)));
    builder.Services.AddReportingReadModels();
    await using var app = builder.Build();
    var services = app.Services;
    var snapshots = services.GetRequiredService<QuoteToCash.Reporting.Infrastructure.KpiSnapshots>();
    var settings = services.GetRequiredService<IReportingSettingsStore>();
    var time = services.GetRequiredService<TimeProvider>();
    // The service creates these on its first KPI request; a running service has them.
    await snapshots.EnsureIndexesAsync(CancellationToken.None);
    await settings.UpdateAsync(tenant, s =>
    {
        s.CostRates = new CostRates { DefaultRate = 70m, Roles = new() { ["senior"] = 110m, ["junior"] = 55m } };
        s.Targets = KpiMetrics.All.Take(4).Select(m => new KpiTarget { Metric = m.Key, BaselineValue = 10m, BaselineDate = today.AddDays(-60), TargetValue = 5m, TargetBy = today.AddDays(30) }).ToList();
    }, CancellationToken.None);

    var filter = new KpiApi.KpiFilter(today.AddMonths(-12).AddDays(1).ToString("yyyy-MM-dd"), today.ToString("yyyy-MM-dd"), null, null, null);
    var ct = CancellationToken.None;
    var endpoints = new (string Name, Func<HttpRequest, Task<IResult>> Call)[]
    {
        ("kpis/process", r => KpiApi.Answer(tenant, filter, r, snapshots, time, c => c.Process(), null, ct)),
        ("kpis/cash", r => KpiApi.Answer(tenant, filter, r, snapshots, time, c => c.Cash(), null, ct)),
        ("kpis/revenue", r => KpiApi.Answer(tenant, filter, r, snapshots, time, c => c.Revenue(), null, ct)),
        ("kpis/profitability", r => KpiApi.Profitability(tenant, filter, r, snapshots, time, settings, ct)),
        ("kpis/aging", r => KpiApi.Aging(tenant, filter, r, snapshots, time, ct)),
        ("kpis/dso-trend", r => KpiApi.DsoTrend(tenant, filter, r, snapshots, time, ct)),
        ("kpis/cycle-time-trend", r => KpiApi.CycleTimeTrend(tenant, filter, r, snapshots, time, ct)),
        ("kpis/bridge", r => KpiApi.Bridge(tenant, filter, r, snapshots, time, ct)),
        ("kpis/account-standing", r => KpiApi.AccountStanding(tenant, filter, r, snapshots, time, ct)),
        ("targets", _ => KpiApi.GetTargets(tenant, settings, snapshots, time, ct)),
    };

    async Task<(double Total, Dictionary<string, double> Each, long Bytes)> Dashboard()
    {
        var each = new Dictionary<string, double>();
        long bytes = 0;
        var total = Stopwatch.StartNew();
        foreach (var (name, call) in endpoints)
        {
            var watch = Stopwatch.StartNew();
            var context = new DefaultHttpContext { RequestServices = services };
            context.Response.Body = new MemoryStream();
            await (await call(context.Request)).ExecuteAsync(context);
            each[name] = watch.Elapsed.TotalMilliseconds;
            bytes += context.Response.Body.Length;
            if (context.Response.StatusCode != 200)
                throw new InvalidOperationException($"{name} answered {context.Response.StatusCode}");
        }
        return (total.Elapsed.TotalMilliseconds, each, bytes);
    }

    var cold = await Dashboard();
    Console.WriteLine($"Cold dashboard (read models loaded from LiteDB): {cold.Total:0} ms, {cold.Bytes / 1024:N0} KiB of answers");
    foreach (var (name, ms) in cold.Each)
        Console.WriteLine($"  {name,-24} {ms,8:0.0} ms");
    var warm = new List<(double Total, Dictionary<string, double> Each, long Bytes)>();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < rounds; i++)
        warm.Add(await Dashboard());
    var cpuPerDashboard = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / rounds;
    // One payment arrives (as the consumer writes it): the next dashboard merges the changed invoice and rebuilds the indexes.
    var served = services.GetRequiredService<IDocumentStore>();
    var afterChange = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        var some = (await served.Collection<InvoiceFact>(ReadModelCollections.Invoices).FindAsync(d => d.TenantId == tenant, limit: 1)).Single();
        some.Value.Payments.Add(new MoneyMovementFact { Id = $"late-{i}", At = time.GetUtcNow(), Amount = 1m });
        some.Value.UpdatedTicks = QuoteToCash.Reporting.Infrastructure.ChangeStamp.Next(time);
        await served.CommitAsync([DocumentWrite.Replace(ReadModelCollections.Invoices, some.Id, some.Value, some.Version)]);
        afterChange.Add((await Dashboard()).Total);
    }
    afterChange.Sort();
    Console.WriteLine($"Dashboard right after a change (5 rounds): p50 {afterChange[2]:0} ms, max {afterChange[^1]:0} ms");
    var totals = warm.Select(w => w.Total).Order().ToList();
    Console.WriteLine($"Warm dashboard over {rounds} rounds: p50 {totals[totals.Count / 2]:0} ms, min {totals[0]:0} ms, max {totals[^1]:0} ms wall; " +
                      $"{cpuPerDashboard:0} ms of CPU per dashboard (all threads; the machine's load average was {File.ReadAllText("/proc/loadavg").Split(' ')[0]}). Each endpoint, p50:");
    foreach (var (name, _) in endpoints)
        Console.WriteLine($"  {name,-24} {warm.Select(w => w.Each[name]).Order().ElementAt(rounds / 2),8:0.0} ms");
}
finally
{
    Directory.Delete(directory, recursive: true);
}

// Twelve months and more of a consulting firm: deals across the five billing models, one to six invoices each, payments (some late,
// some partial), credit memos, write-offs, voids, time entries, holds and posting failures, customers some flagged as duplicates.
static int Generate(int invoiceCount, DateOnly today, MemoryReadModelSet set)
{
    const string tenant = "benchmark-tenant";
    var random = new Random(20261130);
    var models = Enum.GetValues<BillingModel>();
    string[] units = ["Consulting", "Advisory", "Managed services"];
    string[] regions = ["UK", "US", "EU"];
    string[] people = ["ana", "ben", "chloe", "dev", "eli", "fay", "gus", "hana"];
    var customers = Enumerable.Range(0, 900).Select(i => (Id: DeterministicId.Create(Guid.Empty, $"customer-{i}"), Name: $"Customer {i} Ltd")).ToList();
    var events = 0;
    var invoices = 0;
    var deal = 0;
    void Apply(object message, DateTimeOffset at)
    {
        ReadModelProjector.Apply(message, set, at);
        events++;
    }
    static SyncExceptionClosed Closed(SyncExceptionOpened opened, DateTimeOffset at) => new()
    {
        TenantId = opened.TenantId, ExceptionId = opened.ExceptionId, Kind = opened.Kind, RootCause = opened.RootCause, Entity = opened.Entity, EntityId = opened.EntityId,
        Operation = opened.Operation, FlowId = opened.FlowId, OpenedAt = opened.OpenedAt, SlaDue = opened.SlaDue, Status = SyncExceptionClosed.Resolved, ClosedAt = at,
        ClosedBy = "platform", ResolvedAutomatically = true,
    };
    while (invoices < invoiceCount)
    {
        deal++;
        var flow = FlowId.For(tenant, "hubspot", $"deal-{deal}");
        var model = models[random.Next(models.Length)];
        var customer = customers[random.Next(customers.Count)];
        var won = new DateTimeOffset(today.AddDays(-random.Next(0, 470)).ToDateTime(new TimeOnly(9 + random.Next(8), 0)), TimeSpan.Zero);
        var amount = Math.Round((decimal)(2_000 + random.NextDouble() * 48_000), 2);
        Apply(new DealWon
        {
            TenantId = tenant, FlowId = flow, SourceSystem = "hubspot", ExternalDealId = $"deal-{deal}", DealName = $"Deal {deal}", Currency = "GBP", Amount = amount,
            Customer = new CustomerSnapshot { ExternalId = $"c-{customer.Id}", LegalName = customer.Name }, BillingModel = model,
            Billing = new BillingTerms
            {
                Model = model, Retainer = model == BillingModel.Retainer ? new RetainerTerms { Deposit = amount / 2 } : null,
                Subscription = model == BillingModel.Subscription ? new SubscriptionTerms { UnitPrice = amount / 12 } : null,
            },
            BusinessUnit = units[random.Next(units.Length)], Region = regions[random.Next(regions.Length)], WonAt = won,
        }, won);
        if (random.Next(8) == 0)
            Apply(new CustomerNeedsReview { TenantId = tenant, FlowId = flow, CustomerId = customer.Id, Reasons = [$"possible duplicate of Customer {random.Next(900)} Ltd"] }, won.AddMinutes(1));
        Apply(new CustomerReady { TenantId = tenant, FlowId = flow, CustomerId = customer.Id, DisplayName = customer.Name }, won.AddMinutes(2));
        if (random.Next(10) == 0)
            Apply(new DealChanged { TenantId = tenant, FlowId = flow, SourceSystem = "hubspot", ExternalDealId = $"deal-{deal}", Amount = amount * 1.2m, ChangedAt = won.AddDays(20) }, won.AddDays(20));
        // Sync exceptions come from accounting-sync's queue: a hold opens one, lifting it closes it.
        var hold = new SyncExceptionOpened
        {
            TenantId = tenant, ExceptionId = DeterministicId.Create(flow, "hold"), Kind = "MappingMissing", RootCause = "MasterData", Entity = "Flow", EntityId = flow.ToString("D"),
            Operation = "BillingHold", FlowId = flow, OpenedAt = won.AddHours(1), SlaDue = won.AddHours(25),
        };
        var held = random.Next(25) == 0;
        if (held)
            Apply(hold, won.AddHours(1));
        if (random.Next(30) == 0 && held)
            Apply(Closed(hold, won.AddDays(2)), won.AddDays(2));
        if (model is BillingModel.TimeAndMaterials or BillingModel.Retainer)
            for (var t = 0; t < 6; t++)
                Apply(new TimeEntryLogged
                {
                    TenantId = tenant, FlowId = flow, SourceSystem = "hubspot", ExternalDealId = $"deal-{deal}", EntryId = $"t-{deal}-{t}", Person = people[random.Next(people.Length)],
                    Role = random.Next(2) == 0 ? "senior" : "junior", Date = DateOnly.FromDateTime(won.UtcDateTime).AddDays(t * 5), Hours = random.Next(1, 9),
                    Billable = random.Next(5) != 0, Rate = 150m,
                }, won.AddDays(t * 5));
        var parts = model switch { BillingModel.Subscription => 6, BillingModel.Milestones => 3, BillingModel.TimeAndMaterials => 4, _ => 1 + random.Next(2) };
        for (var n = 1; n <= parts && invoices < invoiceCount; n++, invoices++)
        {
            var invoiceId = DeterministicId.Create(flow, $"invoice-{n}");
            var date = DateOnly.FromDateTime(won.UtcDateTime).AddDays(1 + random.Next(3) + (n - 1) * 30);
            var due = date.AddDays(random.Next(3) switch { 0 => 15, 1 => 30, _ => 45 });
            var total = Math.Round(amount / parts, 2);
            var drafted = new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
            Apply(new InvoiceDrafted
            {
                TenantId = tenant, FlowId = flow, InvoiceId = invoiceId, CustomerId = customer.Id, Currency = "GBP", Lines = [], Total = total, InvoiceDate = date, DueDate = due,
                RequiresApproval = total > 20_000m,
            }, drafted);
            if (random.Next(40) == 0)
            {
                var refused = new SyncExceptionOpened
                {
                    TenantId = tenant, ExceptionId = DeterministicId.Create(invoiceId, "refused"), Kind = "Validation", RootCause = "QuickBooksRules", Entity = "Invoice",
                    EntityId = invoiceId.ToString("D"), Operation = "PostInvoice", FlowId = flow, OpenedAt = drafted.AddMinutes(5), SlaDue = drafted.AddHours(48),
                };
                Apply(refused, drafted.AddMinutes(5));
                Apply(Closed(refused, drafted.AddHours(1)), drafted.AddHours(1));
            }
            Apply(new InvoicePosted
            {
                TenantId = tenant, FlowId = flow, InvoiceId = invoiceId, AccountingInvoiceId = $"{deal}-{n}", DocNumber = $"INV-{deal}-{n}", Total = total, Balance = total,
                PostedAt = drafted.AddHours(random.Next(1, 30)), InvoiceDate = date, DueDate = due,
            }, drafted.AddHours(1));
            Apply(new InvoiceSent { TenantId = tenant, FlowId = flow, InvoiceId = invoiceId, SentAt = drafted.AddHours(random.Next(2, 60)) }, drafted.AddHours(2));
            var balance = total;
            var payDay = due.AddDays(random.Next(-20, 40));
            if (random.Next(6) == 0)
            {
                var credit = Math.Round(total * 0.1m, 2);
                Apply(new CreditMemoPosted
                {
                    TenantId = tenant, FlowId = flow, CreditMemoId = Guid.NewGuid(), InvoiceId = invoiceId, AccountingCreditMemoId = $"cm-{deal}-{n}", AccountingInvoiceId = $"{deal}-{n}",
                    DocNumber = $"CM-{deal}-{n}", Amount = credit, AppliedAmount = credit, InvoiceBalance = balance - credit, WriteOff = random.Next(5) == 0,
                    PostedAt = drafted.AddDays(7),
                }, drafted.AddDays(7));
                balance -= credit;
            }
            if (random.Next(50) == 0)
            {
                Apply(new InvoiceVoided { TenantId = tenant, FlowId = flow, InvoiceId = invoiceId, AccountingInvoiceId = $"{deal}-{n}", VoidedAt = drafted.AddDays(3) }, drafted.AddDays(3));
                continue;
            }
            if (payDay > today || random.Next(12) == 0)
                continue;
            var paid = random.Next(5) == 0 ? Math.Round(balance / 2, 2) : balance;
            var at = new DateTimeOffset(payDay.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
            Apply(new PaymentReceived
            {
                TenantId = tenant, FlowId = flow, InvoiceId = invoiceId, AccountingPaymentId = $"p-{deal}-{n}", Amount = paid, RemainingBalance = balance - paid, Currency = "GBP", ReceivedAt = at,
            }, at);
            Apply(new InvoiceStatusChanged
            {
                TenantId = tenant, FlowId = flow, InvoiceId = invoiceId, Status = paid == balance ? "Paid" : "Partially paid", BalanceDue = balance - paid, ChangedAt = at,
            }, at);
        }
    }
    return events;
}

/// <summary>A clock standing still at the benchmark's "today".</summary>
sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
