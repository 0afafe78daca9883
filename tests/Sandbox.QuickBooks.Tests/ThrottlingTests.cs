using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>Limits scaled down: a window of 10 seconds on a clock the tests move by hand.</summary>
public sealed class ThrottlingTests
{
    private static QboSandboxFactory Limited(FakeTimeProvider time, int requests = 1_000_000, int concurrent = 1_000, int batches = 1_000_000) => new()
    {
        Time = time,
        Settings = new Dictionary<string, string?>
        {
            ["QuickBooks:Limits:RequestsPerMinute"] = requests.ToString(),
            ["QuickBooks:Limits:ConcurrentRequests"] = concurrent.ToString(),
            ["QuickBooks:Limits:BatchesPerMinute"] = batches.ToString(),
            ["QuickBooks:Limits:Window"] = "00:00:10",
        },
    };

    private static void AssertThrottleFault(QboResponse response)
    {
        Assert.Equal((HttpStatusCode)429, response.Status);
        Assert.Equal("application/xml", response.ContentType);
        var document = XDocument.Parse(response.Text);
        XNamespace finance = "http://schema.intuit.com/finance/v3";
        Assert.Equal(finance + "IntuitResponse", document.Root!.Name);
        var fault = document.Root.Element(finance + "Fault")!;
        Assert.Equal("SERVICE", fault.Attribute("type")!.Value);
        var error = fault.Element(finance + "Error")!;
        Assert.Equal("3001", error.Attribute("code")!.Value);
        Assert.Equal("message=ThrottleExceeded; errorCode=003001; statusCode=429", error.Element(finance + "Message")!.Value);
        Assert.Equal("The request limit was reached.  Try again later", error.Element(finance + "Detail")!.Value);
    }

    [Fact]
    public async Task Requests_over_the_per_realm_limit_get_the_xml_throttle_fault_even_when_json_was_asked_for()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = Limited(time, requests: 5);
        var company = await sandbox.CompanyAsync();
        var other = await sandbox.CompanyAsync();

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await company.QueryAsync("select * from Term")).Status);
        var throttled = await company.QueryAsync("select * from Term");

        AssertThrottleFault(throttled);
        // The limit is per realm: another company is served.
        Assert.Equal(HttpStatusCode.OK, (await other.QueryAsync("select * from Term")).Status);
        // Once the window has passed, the realm is served again.
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.OK, (await company.QueryAsync("select * from Term")).Status);
    }

    [Fact]
    public async Task Batches_over_the_per_app_batch_limit_are_throttled()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = Limited(time, batches: 2);
        var company = await sandbox.CompanyAsync();
        var batch = new JsonObject { ["BatchItemRequest"] = new JsonArray(new JsonObject { ["bId"] = "1", ["Query"] = "select * from Term" }) }.ToJsonString();

        Assert.Equal(HttpStatusCode.OK, (await company.PostAsync("batch", batch)).Status);
        Assert.Equal(HttpStatusCode.OK, (await company.PostAsync("batch", batch)).Status);
        AssertThrottleFault(await company.PostAsync("batch", batch));
        // Plain requests still pass: only batches hit this limit.
        Assert.Equal(HttpStatusCode.OK, (await company.QueryAsync("select * from Term")).Status);
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.OK, (await company.PostAsync("batch", batch)).Status);
    }

    [Fact]
    public async Task More_concurrent_requests_than_allowed_are_throttled()
    {
        await using var sandbox = new QboSandboxFactory { Settings = new Dictionary<string, string?> { ["QuickBooks:Limits:ConcurrentRequests"] = "2" } };
        var company = await sandbox.CompanyAsync();
        // Every request is held for a while, so several overlap.
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, latencyMs = 1500 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => company.QueryAsync("select * from Term")));

        Assert.True(responses.Count(r => r.Status == HttpStatusCode.OK) >= 1);
        var throttled = responses.Where(r => r.Status == (HttpStatusCode)429).ToList();
        Assert.NotEmpty(throttled);
        AssertThrottleFault(throttled[0]);
    }
}
