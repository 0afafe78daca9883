using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;

namespace QuoteToCash.CrmIngest.Tests.WriteBack;

/// <summary>A 429 whose Retry-After is a date is waited out on the platform's clock, not the machine's.</summary>
public class HubSpotWriterRetryAfterTests
{
    /// <summary>A HubSpot portal whose deal properties all exist and which throttles the first write with a Retry-After date.</summary>
    private sealed class ThrottlingPortal(TimeProvider clock, TimeSpan retryAfter) : HttpMessageHandler
    {
        public ConcurrentQueue<(string Method, DateTimeOffset At)> Writes { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
            {
                var results = HubSpotWriter.DealProperties.Select(p => new
                {
                    name = p.Name,
                    options = (p.Options ?? []).Select((o, i) => new { label = o, value = o, displayOrder = i, hidden = false }),
                });
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(new { results })) });
            }
            var now = clock.GetUtcNow();
            Writes.Enqueue((request.Method.Method, now));
            if (Writes.Count == 1)
            {
                var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now + retryAfter);
                return Task.FromResult(throttled);
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }

    [Fact]
    public async Task A_retry_after_date_is_waited_out_on_the_platform_clock()
    {
        // Far from the machine's clock: a writer that read the system clock would wait the capped maximum or not at all.
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 3, 12, 0, 0, TimeSpan.Zero));
        var portal = new ThrottlingPortal(clock, TimeSpan.FromSeconds(20));
        var options = Options.Create(new WriteBackOptions { HubSpotPermitsPerWindow = 1000, HubSpotWindow = TimeSpan.FromSeconds(1), MaxRetryWait = TimeSpan.FromMinutes(1) });
        var writer = new HubSpotWriter(new HttpClient(portal), options, new HubSpotRateBudget(options), clock, new RecordingLogger<HubSpotWriter>());
        var target = new HubSpotTarget("tenant-" + Guid.NewGuid().ToString("N")[..8], "https://portal.invalid", "token");
        var start = clock.GetUtcNow();

        var write = writer.UpdateDealAsync(target, "4711", new InvoiceWriteBack("INV-1001", WriteBackValues.Posted, 1250m, null), TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => portal.Writes.Count == 1);
        clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Single(portal.Writes);

        clock.Advance(TimeSpan.FromSeconds(1));
        await write.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal([start, start.AddSeconds(20)], portal.Writes.Select(w => w.At));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25, TestContext.Current.CancellationToken);
        Assert.True(condition());
    }
}
