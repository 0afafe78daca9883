using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.Testing;

// Usage: dotnet run -c Release --project benchmarks/QboPosting [-- invoices]
// Needs RABBITMQ_URI (or a local broker). Starts the QuickBooks sandbox with QuickBooks' real limits
// (500 requests/min, 10 concurrent, 40 batches/min per realm) and accounting-sync, queues the invoices
// for one realm at once, and measures how fast they reach QuickBooks.
var invoices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var rabbit = Environment.GetEnvironmentVariable("RABBITMQ_URI") ?? MessagingExtensions.DefaultRabbitMqUri;
var work = Path.Combine(Path.GetTempPath(), "q2c-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

await using var sandbox = new ServiceProcess("quickbooks-sandbox", "QuoteToCash.Sandbox.QuickBooks", ServiceProcess.FreePort(), new Dictionary<string, string>(), work);
await using var accounting = new ServiceProcess("accounting-sync", "QuoteToCash.AccountingSync", ServiceProcess.FreePort(), new Dictionary<string, string>
{
    ["ConnectionStrings__rabbitmq"] = rabbit,
    ["Storage__DataDirectory"] = work,
    ["Auth__SigningKey"] = signingKey,
    // Production refuses to keep QuickBooks tokens without a key-encryption key: a random one for this run.
    ["DataProtection__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    ["Messaging__EndpointPrefix"] = "bench-accounting-sync",
    ["Connections__AllowLoopback"] = "true", // the sandbox listens on 127.0.0.1
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__QuoteToCash"] = "Warning",
}, work);
sandbox.Start();
accounting.Start();
await sandbox.WaitReadyAsync(TimeSpan.FromSeconds(60), "/", anyAnswer: true);
await accounting.WaitReadyAsync(TimeSpan.FromSeconds(90));

using var sandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress };
async Task<JsonElement> Post(string path, object body)
{
    using var response = await sandboxHttp.PostAsJsonAsync(path, body);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
    return JsonSerializer.Deserialize<JsonElement>(text);
}
var realm = (await Post("/_sandbox/realms", new { name = "benchmark" })).GetProperty("realmId").GetString()!;
var app = await Post("/_sandbox/apps", new { name = "platform", webhookUrl = (string?)null, webhookFormat = "legacy" });
var consent = await Post($"/_sandbox/realms/{realm}/connections", new { clientId = app.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });

using var api = new HttpClient { BaseAddress = accounting.BaseAddress };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
{
    Issuer = "quotetocash-local",
    Audience = "quotetocash",
    Subject = new ClaimsIdentity([new Claim("sub", "benchmark"), new Claim("role", "admin"), new Claim("tenants", "*")]),
    Expires = DateTime.UtcNow.AddHours(1),
    SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
}));
(await api.PutAsJsonAsync("/api/accounting/bench/connection", new
{
    environment = "sandbox",
    baseUrl = sandbox.BaseAddress.ToString(),
    tokenUrl = new Uri(sandbox.BaseAddress, "/oauth2/v1/tokens/bearer").ToString(),
    realmId = realm,
    clientId = app.GetProperty("clientId").GetString(),
    clientSecret = app.GetProperty("clientSecret").GetString(),
    refreshToken = consent.GetProperty("refreshToken").GetString(),
})).EnsureSuccessStatusCode();

// One customer, created with the sandbox's tools connection.
using var qbo = new HttpClient { BaseAddress = sandbox.BaseAddress };
qbo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", consent.GetProperty("accessToken").GetString());
qbo.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
var customerResponse = await qbo.PostAsJsonAsync($"/v3/company/{realm}/customer?minorversion=75", new { DisplayName = "Benchmark Customer " + Guid.NewGuid().ToString("N")[..6] });
var customerId = (await customerResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Customer").GetProperty("Id").GetString();

var posted = new ConcurrentDictionary<Guid, DateTimeOffset>();
var failed = new ConcurrentDictionary<Guid, string>();
var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    MessagingExtensions.ConfigureHost(cfg, new Uri(rabbit));
    cfg.ReceiveEndpoint($"bench-observer-{Guid.NewGuid():N}", e =>
    {
        e.AutoDelete = true;
        e.Durable = false;
        e.Handler<InvoicePosted>(c => { if (c.Message.TenantId == "bench") posted.TryAdd(c.Message.InvoiceId, DateTimeOffset.UtcNow); return Task.CompletedTask; });
        e.Handler<InvoicePostingFailed>(c => { if (c.Message.TenantId == "bench") failed.TryAdd(c.Message.InvoiceId, c.Message.Message); return Task.CompletedTask; });
    });
});
await bus.StartAsync();

Console.WriteLine($"Queueing {invoices} invoices for realm {realm}...");
var started = Stopwatch.StartNew();
var queuedAt = DateTimeOffset.UtcNow;
await Task.WhenAll(Enumerable.Range(0, invoices).Select(i => bus.Publish(new PostInvoice
{
    TenantId = "bench",
    FlowId = FlowId.For("bench", "benchmark", i.ToString(CultureInfo.InvariantCulture)),
    InvoiceId = Guid.NewGuid(),
    CustomerId = Guid.NewGuid(),
    AccountingCustomerRef = customerId,
    Currency = "USD",
    Memo = "benchmark",
    InvoiceDate = new DateOnly(2026, 11, 25),
    DueDate = new DateOnly(2026, 12, 25),
    Lines = [new InvoiceLine { Description = "Consulting", ItemRef = "1", Quantity = 8m, UnitPrice = 150m, Amount = 1200m }],
})));
Console.WriteLine($"Queued in {started.Elapsed.TotalSeconds:F1} s; waiting for QuickBooks...");
while (posted.Count + failed.Count < invoices && started.Elapsed < TimeSpan.FromMinutes(10))
{
    await Task.Delay(1000);
    if ((int)started.Elapsed.TotalSeconds % 10 == 0)
        Console.WriteLine($"{started.Elapsed.TotalSeconds:F0} s: {posted.Count} posted, {failed.Count} failed");
}
Console.WriteLine();
await bus.StopAsync();

var times = posted.Values.Order().ToList();
var first = times.FirstOrDefault();
var last = times.LastOrDefault();
var total = (last - queuedAt).TotalSeconds;
// Steady state: the best and worst full minute after the first one (the first minute holds the burst the limits allow).
var perMinute = new List<int>();
for (var start = first; start.AddMinutes(1) <= last; start = start.AddSeconds(1))
    perMinute.Add(times.Count(t => t >= start && t < start.AddMinutes(1)));
var firstMinute = times.Count(t => t < first.AddMinutes(1));
var entities = JsonSerializer.Deserialize<JsonElement>(await sandboxHttp.GetStringAsync($"/_sandbox/realms/{realm}/entities/invoice"));
var list = entities.ValueKind == JsonValueKind.Array ? entities : entities.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
var inQuickBooks = list.GetArrayLength();
var distinct = list.EnumerateArray().Select(e => e.GetProperty("Id").GetString()).Distinct().Count();

Console.WriteLine($"invoices queued: {invoices}; posted: {posted.Count}; failed: {failed.Count}; in QuickBooks: {inQuickBooks} ({distinct} distinct)");
Console.WriteLine($"queued → last posted: {total:F1} s; average {posted.Count / total * 60:F0} invoices/min");
Console.WriteLine($"first 60 s after the first post: {firstMinute} invoices ({firstMinute / 12.0:F1}% of the 1200/min ceiling)");
if (perMinute.Count > 0)
    Console.WriteLine($"full 60 s windows inside the run: best {perMinute.Max()}, worst {perMinute.Min()} invoices (ceiling 1200)");
var minimumSeconds = Math.Ceiling(invoices / 1200.0 - 1) * 60;
Console.WriteLine($"last invoice posted {total:F1} s after queueing; the limits allow {minimumSeconds:F0} s at best (all of a window's 40 batches at its start)");
var throttled = File.ReadLines(Path.Combine(work, "accounting-sync.log")).Count(l => l.Contains("QuickBooks throttled realm", StringComparison.Ordinal));
Console.WriteLine($"429 answers from QuickBooks during the run: {throttled}");
foreach (var reason in failed.Values.Distinct().Take(5))
    Console.WriteLine("failure: " + reason);
Directory.Delete(work, recursive: true);
return posted.Count == invoices && inQuickBooks == invoices && distinct == invoices ? 0 : 1;
