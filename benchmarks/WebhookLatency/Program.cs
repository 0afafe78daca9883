using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QuoteToCash.Testing;

// Usage: dotnet run -c Release --project benchmarks/WebhookLatency [-- ratePerSecond seconds]
// Starts crm-ingest and the gateway on loopback (RabbitMQ from RABBITMQ_URI or the local default), connects a
// HubSpot tenant, then sends signed single-event webhooks through the gateway at a fixed rate and measures
// the time to the 200. Afterwards every accepted delivery must be in crm-ingest's deliveries view.
var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
var rabbit = Environment.GetEnvironmentVariable("RABBITMQ_URI") ?? "amqp://guest:guest@127.0.0.1:5672/";
var work = Path.Combine(Path.GetTempPath(), "q2c-latency-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
const string secret = "benchmark-hubspot-client-secret";
const string tenant = "latency";

await using var crm = new ServiceProcess("crm-ingest", "QuoteToCash.CrmIngest", ServiceProcess.FreePort(), new Dictionary<string, string>
{
    ["ConnectionStrings__rabbitmq"] = rabbit,
    ["Storage__DataDirectory"] = work,
    ["Auth__SigningKey"] = signingKey,
    ["Messaging__EndpointPrefix"] = "bench-crm-ingest",
    ["Connections__AllowLoopback"] = "true", // the sandbox listens on 127.0.0.1
    ["Logging__LogLevel__Default"] = "Warning",
}, work);
crm.Start();
await crm.WaitReadyAsync(TimeSpan.FromSeconds(90));
var gatewayEnvironment = new Dictionary<string, string>
{
    ["Auth__SigningKey"] = signingKey,
    ["Logging__LogLevel__Default"] = "Warning",
    ["ReverseProxy__Clusters__crm-ingest__Destinations__primary__Address"] = crm.BaseAddress.ToString(),
};
await using var gateway = new ServiceProcess("gateway", "QuoteToCash.Gateway", ServiceProcess.FreePort(), gatewayEnvironment, work);
gateway.Start();
await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60), "/health/live");

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = gateway.BaseAddress,
    Timeout = TimeSpan.FromSeconds(30),
};
var adminToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
{
    Issuer = "quotetocash-local",
    Audience = "quotetocash",
    Subject = new ClaimsIdentity([new Claim("sub", "benchmark"), new Claim("role", "admin"), new Claim("tenants", "*")]),
    Expires = DateTime.UtcNow.AddHours(1),
    SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
});
using (var connect = new HttpRequestMessage(HttpMethod.Put, $"/api/crm/{tenant}/connection")
{
    // The CRM API points at a closed port: this run measures intake, and the later processing fails and retries in the background.
    Content = JsonContent.Create(new { kind = "hubspot", baseUrl = "http://127.0.0.1:9", accessToken = "pat", clientSecret = secret, appId = "1", portalId = "1" }),
})
{
    connect.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
    (await client.SendAsync(connect)).EnsureSuccessStatusCode();
}

var uri = new Uri(gateway.BaseAddress, $"/webhooks/hubspot/{tenant}").ToString();
HttpRequestMessage Webhook(long objectId)
{
    var body = JsonSerializer.Serialize(new[]
    {
        new { eventId = objectId, subscriptionId = 1, portalId = 1, appId = 1, occurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
              subscriptionType = "deal.propertyChange", attemptNumber = 0, objectId, propertyName = "dealstage", propertyValue = "closedwon", changeSource = "CRM" },
    });
    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/hubspot/{tenant}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
    request.Headers.Add("X-HubSpot-Signature-v3",
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("POST" + uri + body + timestamp))));
    return request;
}

// Warm-up: JIT, connection pool, LiteDB file.
for (var i = 0; i < 50; i++)
    (await client.SendAsync(Webhook(-1 - i))).EnsureSuccessStatusCode();

Console.WriteLine($"Sending {rate}/s for {seconds} s through the gateway...");
var total = rate * seconds;
var latencies = new double[total];
var statuses = new int[total];
var tasks = new List<Task>(total);
var clock = Stopwatch.StartNew();
for (var i = 0; i < total; i++)
{
    var due = TimeSpan.FromSeconds((double)i / rate);
    var wait = due - clock.Elapsed;
    if (wait > TimeSpan.Zero)
        await Task.Delay(wait);
    var index = i;
    tasks.Add(Task.Run(async () =>
    {
        using var request = Webhook(1_000_000 + index);
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request);
            statuses[index] = (int)response.StatusCode;
        }
        catch (Exception)
        {
            statuses[index] = -1;
        }
        latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
    }));
}
await Task.WhenAll(tasks);
var elapsed = clock.Elapsed.TotalSeconds;

var ok = statuses.Count(s => s == 200);
var sorted = latencies.Order().ToArray();
double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

// Zero lost: every acknowledged delivery is in the operator's deliveries view (newest first, paged by time).
var stored = 0;
var seenIds = new HashSet<string>();
var until = DateTime.UtcNow.AddMinutes(1);
for (var page = 0; page < 1000; page++)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/crm/{tenant}/deliveries?limit=1000&until={Uri.EscapeDataString(until.ToString("O"))}");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
    var rows = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<List<JsonElement>>() ?? [];
    var fresh = rows.Where(r => seenIds.Add(r.GetProperty("deliveryId").GetString()!)).ToList();
    if (fresh.Count == 0)
        break;
    stored += fresh.Count;
    until = rows.Min(r => r.GetProperty("received").GetDateTime()).ToUniversalTime();
}
stored -= 50; // the warm-up deliveries

Console.WriteLine($"requests: {total} in {elapsed:F1} s ({total / elapsed:F0}/s); 200 OK: {ok}; other: {total - ok}");
Console.WriteLine($"acknowledgement latency ms: p50 {Percentile(0.50):F1}, p90 {Percentile(0.90):F1}, p99 {Percentile(0.99):F1}, max {sorted[^1]:F1}");
Console.WriteLine($"deliveries stored: {stored} of {ok} acknowledged");
Directory.Delete(work, recursive: true);
return ok == total && stored >= ok ? 0 : 1;
