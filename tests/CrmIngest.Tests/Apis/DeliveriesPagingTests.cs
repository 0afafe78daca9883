using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Tests.Infrastructure;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Tests.Apis;

public sealed class DeliveriesPagingTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);
    private readonly TemporaryStore _temporary = new();

    public void Dispose() => _temporary.Dispose();

    private async Task SeedAsync(int count, Func<int, long> ticksOf, string tenant = "acme")
    {
        var writes = Enumerable.Range(0, count).Select(i =>
        {
            var ticks = ticksOf(i);
            var id = $"{tenant}-{i:D4}";
            return DocumentWrite.Insert(CrmDelivery.CollectionName, id, new CrmDelivery
            {
                DeliveryId = id, TenantId = tenant, Source = "hubspot", Received = new DateTime(ticks, DateTimeKind.Utc), ReceivedTicks = ticks,
                ObjectIds = [$"deal-{i % 10}"],
            });
        }).ToList();
        await _temporary.Store.CommitAsync(writes, TestContext.Current.CancellationToken);
    }

    private async Task<(List<DeliveriesApi.DeliveryView> Page, string? Next)> PageAsync(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = "/api/crm/acme/deliveries";
        http.Request.QueryString = new QueryString(query);
        var q = http.Request.Query;
        var result = await DeliveriesApi.ListDeliveries("acme", q["objectId"].FirstOrDefault(), null, null, q["before"].FirstOrDefault(), _temporary.Store, http,
            TestContext.Current.CancellationToken, q.ContainsKey("limit") ? int.Parse(q["limit"]!, System.Globalization.CultureInfo.InvariantCulture) : 100);
        var page = Assert.IsType<Ok<List<DeliveriesApi.DeliveryView>>>(result.Result).Value!;
        var link = http.Response.Headers.Link.ToString();
        return (page, link.Length == 0 ? null : link[(link.IndexOf('?') + 1)..link.IndexOf('>')]);
    }

    private async Task<List<DeliveriesApi.DeliveryView>> AllPagesAsync(string query)
    {
        var all = new List<DeliveriesApi.DeliveryView>();
        string? next = query;
        while (next is not null)
        {
            (var page, next) = await PageAsync("?" + next);
            all.AddRange(page);
        }
        return all;
    }

    [Fact]
    public async Task Deliveries_come_newest_first_a_page_at_a_time_and_every_one_exactly_once()
    {
        await SeedAsync(250, i => Start.AddSeconds(i).Ticks);
        await SeedAsync(5, i => Start.AddSeconds(i).Ticks, tenant: "other");

        var (first, next) = await PageAsync("?limit=100");
        var all = await AllPagesAsync("limit=100");

        Assert.Equal(100, first.Count);
        Assert.Equal("acme-0249", first[0].DeliveryId);
        Assert.NotNull(next);
        Assert.Equal(250, all.Count);
        Assert.Equal(Enumerable.Range(0, 250).Reverse().Select(i => $"acme-{i:D4}"), all.Select(d => d.DeliveryId));
    }

    [Fact]
    public async Task Deliveries_received_in_the_same_tick_are_neither_skipped_nor_repeated_across_pages()
    {
        // Thirty deliveries share three ticks; pages of seven cut through every group.
        await SeedAsync(30, i => Start.Ticks + i / 10);

        var all = await AllPagesAsync("limit=7");

        Assert.Equal(30, all.Count);
        Assert.Equal(30, all.Select(d => d.DeliveryId).Distinct().Count());
    }

    [Fact]
    public async Task A_filter_on_the_object_pages_too()
    {
        await SeedAsync(100, i => Start.AddSeconds(i).Ticks);

        var all = await AllPagesAsync("objectId=deal-3&limit=4");

        Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 10 == 3).Reverse().Select(i => $"acme-{i:D4}"), all.Select(d => d.DeliveryId));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?before=yesterday")]
    public async Task A_bad_limit_or_cursor_is_a_validation_problem(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        var q = http.Request.Query;
        var result = await DeliveriesApi.ListDeliveries("acme", null, null, null, q["before"].FirstOrDefault(), _temporary.Store, http,
            TestContext.Current.CancellationToken, q.ContainsKey("limit") ? int.Parse(q["limit"]!, System.Globalization.CultureInfo.InvariantCulture) : 100);

        Assert.IsType<ValidationProblem>(result.Result);
    }
}
