using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public sealed class HubSpotRateLimitTests
{
    [Theory]
    [InlineData("100", "10000", 100, 10_000)]
    [InlineData("190", "10000", 190, 10_000)]
    [InlineData("150", "1000", 150, 1_000)]
    public void The_limit_is_read_from_hubspots_headers(string max, string interval, int expectedMax, int expectedMs) =>
        Assert.Equal(new HubSpotRateLimit(expectedMax, TimeSpan.FromMilliseconds(expectedMs)), HubSpotRateLimit.FromHeaders(max, interval));

    [Theory]
    [InlineData(null, "10000")]
    [InlineData("100", null)]
    [InlineData("0", "10000")]
    [InlineData("-5", "10000")]
    [InlineData("100", "0")]
    [InlineData("a lot", "10000")]
    [InlineData("100", "86400000")]
    public void Missing_or_senseless_headers_teach_nothing(string? max, string? interval) =>
        Assert.Null(HubSpotRateLimit.FromHeaders(max, interval));

    [Theory]
    [InlineData(100, 0.1, 90, 10)]
    [InlineData(190, 0.1, 171, 19)]
    [InlineData(5, 0.1, 4, 1)]
    [InlineData(2, 0.9, 1, 1)]
    [InlineData(1, 0.1, 1, 1)]
    [InlineData(100, 0, 99, 1)]
    public void The_write_back_gets_its_share_and_never_all_of_it(int max, double share, int reads, int writes) =>
        Assert.Equal((reads, writes), new HubSpotRateLimit(max, TimeSpan.FromSeconds(10)).Split((decimal)share));

    [Fact]
    public void A_share_outside_zero_to_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HubSpotRateLimit.Default.Split(1.5m));
}
