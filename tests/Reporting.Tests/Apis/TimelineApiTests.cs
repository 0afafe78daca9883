using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.Reporting.Tests.Apis;

public sealed class TimelineApiTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x => x.AddConsumer<FlowTimelineConsumer>(), cancellationToken: TestContext.Current.CancellationToken);
        await _harness.DeliverAsync(ErpRolloutWon());
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_timeline_is_shown_as_a_view_of_typed_facts()
    {
        var result = await TimelineApi.GetTimeline(Tenant, FlowOf("deal-9001"), _harness.Store, TestContext.Current.CancellationToken);

        var timeline = Assert.IsType<Ok<TimelineView>>(result.Result).Value!;
        var entry = Assert.Single(timeline.Entries);
        Assert.Equal(("DealWon", 18_500m, "GBP"), (entry.Event, entry.Amount, entry.Currency));
        var json = JsonSerializer.SerializeToElement(timeline, JsonSerializerOptions.Web);
        Assert.Equal(18_500m, json.GetProperty("entries")[0].GetProperty("amount").GetDecimal());
        Assert.False(json.TryGetProperty("version", out _));
    }

    [Fact]
    public async Task A_flow_without_events_and_another_tenants_flow_are_the_same_404_problem()
    {
        var missing = await TimelineApi.GetTimeline(Tenant, Guid.NewGuid(), _harness.Store, TestContext.Current.CancellationToken);
        var otherTenant = await TimelineApi.GetTimeline("another-firm", FlowOf("deal-9001"), _harness.Store, TestContext.Current.CancellationToken);

        foreach (var result in new[] { missing, otherTenant })
        {
            var problem = Assert.IsType<ProblemHttpResult>(result.Result);
            Assert.Equal((404, "application/problem+json"), (problem.StatusCode, problem.ContentType));
        }
    }
}
