using Microsoft.Extensions.Time.Testing;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.Salesforce;

namespace QuoteToCash.CrmIngest.Tests.Infrastructure;

/// <summary>Stage metadata is read from the CRM at most once per five minutes per tenant, on the platform's clock.</summary>
public class PipelineStageCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The CRM's stages as an admin keeps editing them: every read returns the next version.</summary>
    private sealed class EditedPipeline
    {
        public int Reads { get; private set; }

        public Task<IReadOnlyList<PipelineStage>> ReadAsync(CancellationToken _)
        {
            Reads++;
            IReadOnlyList<PipelineStage> stages = [new PipelineStage("default", "closedwon", $"Won (version {Reads})", IsClosed: true, Probability: 1m)];
            return Task.FromResult(stages);
        }
    }

    [Fact]
    public async Task The_stages_read_are_used_until_five_minutes_have_passed_then_read_again()
    {
        var cache = new PipelineStageCache(_clock);
        var crm = new EditedPipeline();
        var cancel = TestContext.Current.CancellationToken;

        var first = await cache.GetOrLoadAsync(("hubspot", "tenant-a"), crm.ReadAsync, cancel);
        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        var almostFive = await cache.GetOrLoadAsync(("hubspot", "tenant-a"), crm.ReadAsync, cancel);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var afterFive = await cache.GetOrLoadAsync(("hubspot", "tenant-a"), crm.ReadAsync, cancel);

        Assert.Equal("Won (version 1)", first.Single().Label);
        Assert.Equal("Won (version 1)", almostFive.Single().Label);
        Assert.Equal("Won (version 2)", afterFive.Single().Label);
    }

    [Fact]
    public async Task Tenants_and_crms_are_cached_apart()
    {
        var cache = new PipelineStageCache(_clock);
        var crm = new EditedPipeline();
        var cancel = TestContext.Current.CancellationToken;

        await cache.GetOrLoadAsync(("hubspot", "tenant-a"), crm.ReadAsync, cancel);
        var otherTenant = await cache.GetOrLoadAsync(("hubspot", "tenant-b"), crm.ReadAsync, cancel);
        var otherCrm = await cache.GetOrLoadAsync(("salesforce", "tenant-a"), crm.ReadAsync, cancel);

        Assert.Equal("Won (version 2)", otherTenant.Single().Label);
        Assert.Equal("Won (version 3)", otherCrm.Single().Label);
    }

    [Fact]
    public async Task Each_host_has_its_own_cache()
    {
        var crm = new EditedPipeline();
        var cancel = TestContext.Current.CancellationToken;

        await new PipelineStageCache(_clock).GetOrLoadAsync(("hubspot", "tenant-a"), crm.ReadAsync, cancel);
        var fromAnotherHost = await new PipelineStageCache(_clock).GetOrLoadAsync(("hubspot", "tenant-a"), crm.ReadAsync, cancel);

        Assert.Equal("Won (version 2)", fromAnotherHost.Single().Label);
    }

    [Fact]
    public async Task A_salesforce_org_shape_is_described_again_after_ten_minutes()
    {
        var cache = new SalesforceOrgShapeCache(_clock);
        var describes = 0;
        Task<SalesforceOrgShape> DescribeAsync(CancellationToken _) =>
            Task.FromResult(new SalesforceOrgShape([], [], HasContactRoles: ++describes > 1));
        var cancel = TestContext.Current.CancellationToken;

        var first = await cache.GetOrLoadAsync("https://org.example|token", DescribeAsync, cancel);
        _clock.Advance(TimeSpan.FromMinutes(9));
        var cached = await cache.GetOrLoadAsync("https://org.example|token", DescribeAsync, cancel);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var described = await cache.GetOrLoadAsync("https://org.example|token", DescribeAsync, cancel);

        Assert.False(first.HasContactRoles);
        Assert.False(cached.HasContactRoles);
        Assert.True(described.HasContactRoles);
    }
}
