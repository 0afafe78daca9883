using Microsoft.Extensions.Options;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;

namespace QuoteToCash.CrmIngest.Tests.Infrastructure;

public sealed class HubSpotRateBudgetTests
{
    private static HttpResponseMessage Answer(int max, int intervalMs)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.Add("X-HubSpot-RateLimit-Max", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("X-HubSpot-RateLimit-Interval-Milliseconds", intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    private static async Task<int> PermitsWithoutWaiting(HubSpotRateBudget budget, string token, HubSpotTraffic traffic, int tries)
    {
        var granted = 0;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1)); // well inside the 10 s window: nothing is given back meanwhile
        try
        {
            for (var i = 0; i < tries; i++)
            {
                using var lease = await budget.AcquireAsync(token, traffic, cancel.Token);
                granted++;
            }
        }
        catch (OperationCanceledException)
        {
        }
        return granted;
    }

    [Fact]
    public async Task Before_hubspot_answers_the_reads_keep_ninety_of_the_lowest_plans_hundred_per_ten_seconds()
    {
        using var budget = new HubSpotRateBudget(Options.Create(new WriteBackOptions()));

        Assert.Equal(HubSpotRateLimit.Default, budget.LimitOf("t"));
        Assert.Equal(90, await PermitsWithoutWaiting(budget, "t", HubSpotTraffic.Read, 200));
        Assert.Equal(10, await PermitsWithoutWaiting(budget, "t", HubSpotTraffic.Write, 200));
    }

    [Fact]
    public async Task A_portal_on_a_higher_plan_is_used_to_the_limit_it_reports()
    {
        using var budget = new HubSpotRateBudget(Options.Create(new WriteBackOptions()));
        using var answer = Answer(1000, 10_000);

        budget.Observe("t", answer);

        Assert.Equal(new HubSpotRateLimit(1000, TimeSpan.FromSeconds(10)), budget.LimitOf("t"));
        Assert.Equal(900, await PermitsWithoutWaiting(budget, "t", HubSpotTraffic.Read, 2000));
        Assert.Equal(100, await PermitsWithoutWaiting(budget, "t", HubSpotTraffic.Write, 2000));
    }

    [Fact]
    public async Task A_lower_limit_is_respected_from_the_answer_that_reports_it_and_other_tokens_keep_theirs()
    {
        using var budget = new HubSpotRateBudget(Options.Create(new WriteBackOptions()));
        using var answer = Answer(20, 10_000);

        budget.Observe("small", answer);

        Assert.Equal(18, await PermitsWithoutWaiting(budget, "small", HubSpotTraffic.Read, 200));
        Assert.Equal(90, await PermitsWithoutWaiting(budget, "other", HubSpotTraffic.Read, 200));
    }

    [Fact]
    public async Task A_request_waiting_when_the_limit_rises_is_served_under_the_new_limit()
    {
        using var budget = new HubSpotRateBudget(Options.Create(new WriteBackOptions()));
        Assert.Equal(90, await PermitsWithoutWaiting(budget, "t", HubSpotTraffic.Read, 90));
        var waiting = budget.AcquireAsync("t", HubSpotTraffic.Read, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        using var answer = Answer(1000, 10_000);
        budget.Observe("t", answer);

        using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(lease.IsAcquired); // within 5 s: the old window (all 90 spent in its first second) would free it only after 10 s
    }
}
