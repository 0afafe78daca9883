using System.Text;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

/// <summary>
/// Signed HubSpot batches whose events cannot be real: refused as malformed (400 at the webhook) while the batch is
/// parsed, before anything is stored or published.
/// </summary>
public class HubSpotEventsHostileInputTests
{
    private static string Event(string occurredAt = "1772442000000", string propertyValue = "\"closedwon\"") =>
        $$"""[{"eventId":1,"subscriptionId":2,"portalId":3,"appId":4,"occurredAt":{{occurredAt}},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":5,"propertyName":"dealstage","propertyValue":{{propertyValue}}}]""";

    [Fact]
    public void A_plausible_event_is_read() =>
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1772442000000), DateTimeOffset.FromUnixTimeMilliseconds(Assert.Single(HubSpotEvents.Parse(Encoding.UTF8.GetBytes(Event()))).OccurredAt));

    [Theory]
    [InlineData("9000000000000000000")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("\"9000000000000000000\"")]
    public void An_occurrence_that_is_no_instant_is_malformed(string occurredAt) =>
        Assert.Throws<FormatException>(() => HubSpotEvents.Parse(Encoding.UTF8.GetBytes(Event(occurredAt))));

    [Fact]
    public void Invalid_utf8_inside_a_value_is_malformed()
    {
        var body = Encoding.UTF8.GetBytes(Event(propertyValue: "\"XX\""));
        var at = Array.IndexOf(body, (byte)'X');
        body[at] = 0xC3;
        body[at + 1] = 0x28;

        var refused = Assert.Throws<FormatException>(() => HubSpotEvents.Parse(body));
        Assert.Contains("UTF-8", refused.Message);
    }

    [Fact]
    public void An_escaped_lone_surrogate_inside_a_value_is_malformed()
    {
        // Valid JSON, valid UTF-8, yet no string can hold it.
        var refused = Assert.Throws<FormatException>(() => HubSpotEvents.Parse(Encoding.UTF8.GetBytes(Event(propertyValue: "\"\\ud800\""))));
        Assert.Contains("surrogate", refused.Message);
    }
}
