using System.Text;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class HubSpotEventsTests
{
    [Fact]
    public void A_batch_parses_into_events_with_a_composite_identity()
    {
        var events = HubSpotEvents.Parse(Encoding.UTF8.GetBytes("""
            [{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"deal.propertyChange","attemptNumber":0,
              "objectId":697680835,"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM","appId":54321},
             {"eventId":1,"subscriptionId":12346,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"company.creation","attemptNumber":2,
              "objectId":42,"changeSource":"INTEGRATION","sourceId":"54321","appId":54321}]
            """));

        Assert.Equal(2, events.Count);
        Assert.Equal(("deal", "dealstage", "closedwon"), (events[0].ObjectType, events[0].PropertyName, events[0].PropertyValue));
        Assert.NotEqual(events[0].Identity, events[1].Identity); // same eventId, different subscription
        Assert.Equal(2, events[1].AttemptNumber);
        Assert.Equal("54321", events[1].SourceId);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("[{\"eventId\":1}]")]
    [InlineData("[{\"eventId\":\"x\",\"subscriptionId\":1,\"portalId\":1,\"occurredAt\":1,\"subscriptionType\":\"deal.creation\",\"objectId\":1}]")]
    public void Malformed_bodies_are_refused(string body) =>
        Assert.Throws<FormatException>(() => HubSpotEvents.Parse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void More_than_a_hundred_events_is_not_a_hubspot_delivery()
    {
        var body = "[" + string.Join(',', Enumerable.Range(1, 101).Select(i =>
            $$"""{"eventId":{{i}},"subscriptionId":1,"portalId":1,"occurredAt":1,"subscriptionType":"deal.creation","objectId":{{i}}}""")) + "]";
        Assert.Throws<FormatException>(() => HubSpotEvents.Parse(Encoding.UTF8.GetBytes(body)));
    }
}
