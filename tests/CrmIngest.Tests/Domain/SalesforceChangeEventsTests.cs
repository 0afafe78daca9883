using System.Security.Cryptography;
using System.Text;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class SalesforceChangeEventsTests
{
    private const string Cdc = """
        {"data":{"schema":"abc","payload":{"ChangeEventHeader":{"entityName":"Opportunity","recordIds":["006Q2000001","006Q2000002","006*"],
          "changeType":"UPDATE","changeOrigin":"com/salesforce/api/rest/60.0","transactionKey":"tx-1","sequenceNumber":3,"commitTimestamp":1795000000000,
          "commitUser":"005Q2000009","commitNumber":42,"changedFields":["StageName"]},"StageName":"Closed Won"},"event":{"replayId":17}},
         "channel":"/data/OpportunityChangeEvent"}
        """;

    [Fact]
    public void A_change_event_names_each_record_it_touched_and_skips_wildcards()
    {
        var events = SalesforceChangeEvents.Parse(Encoding.UTF8.GetBytes(Cdc));

        Assert.Equal(["006Q2000001", "006Q2000002"], events.Select(e => e.RecordId));
        Assert.All(events, e => Assert.Equal(("Opportunity", "UPDATE", "005Q2000009"), (e.EntityName, e.ChangeType, e.CommitUser)));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795000000000), events[0].CommittedAt);
        Assert.NotEqual(events[0].Identity, events[1].Identity);
        Assert.Equal(events[0].Identity, SalesforceChangeEvents.Parse(Encoding.UTF8.GetBytes(Cdc))[0].Identity); // a re-sent event keeps its identity
    }

    [Fact]
    public void A_platform_event_names_its_opportunity_in_a_field()
    {
        var body = """[{"data":{"payload":{"Opportunity_Id__c":"006Q2000007","CreatedById":"005X","CreatedDate":"2026-11-25T10:00:00Z"},"event":{"replayId":3,"EventUuid":"e-1"}},"channel":"/event/Deal_Won__e"}]""";

        var single = Assert.Single(SalesforceChangeEvents.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(("006Q2000007", "Opportunity", "EVENT"), (single.RecordId, single.EntityName, single.ChangeType));
        Assert.Contains("e-1", single.Identity);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"channel\":\"/data/OpportunityChangeEvent\"}")]
    [InlineData("{\"data\":{\"payload\":{\"ChangeEventHeader\":{\"entityName\":\"Opportunity\",\"changeType\":\"UPDATE\",\"transactionKey\":\"t\"}}}}")]
    [InlineData("{\"data\":{\"payload\":{\"Amount__c\":5}},\"channel\":\"/event/Other__e\"}")]
    public void Malformed_messages_are_refused(string body) =>
        Assert.Throws<FormatException>(() => SalesforceChangeEvents.Parse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void The_relay_signature_is_base64_hmac_sha256_of_the_body()
    {
        var body = Encoding.UTF8.GetBytes(Cdc);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("relay-secret"), body));

        Assert.True(SalesforceChangeEvents.SignatureMatches(body, signature, "relay-secret"));
        Assert.False(SalesforceChangeEvents.SignatureMatches(body, signature, "other"));
        Assert.False(SalesforceChangeEvents.SignatureMatches(body, null, "relay-secret"));
        Assert.False(SalesforceChangeEvents.SignatureMatches(body, "%%%", "relay-secret"));
    }

    [Theory]
    [InlineData("transactionKey")]
    [InlineData("recordId")]
    [InlineData("EventUuid")]
    public void An_event_whose_identity_would_not_fit_a_store_key_is_refused(string longPart)
    {
        var text = new string('k', 1_100);
        var body = longPart == "EventUuid"
            ? $$$"""{"data":{"payload":{"Opportunity_Id__c":"006Q2000007"},"event":{"replayId":3,"EventUuid":"{{{text}}}"}},"channel":"/event/Deal_Won__e"}"""
            : Cdc.Replace(longPart == "transactionKey" ? "tx-1" : "006Q2000002", text, StringComparison.Ordinal);

        var refused = Assert.Throws<FormatException>(() => SalesforceChangeEvents.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.Contains("too long", refused.Message);
    }
}
