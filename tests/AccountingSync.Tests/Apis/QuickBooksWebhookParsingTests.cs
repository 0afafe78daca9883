using System.Security.Cryptography;
using System.Text;
using QuoteToCash.AccountingSync.Apis;

namespace QuoteToCash.AccountingSync.Tests.Apis;

public class QuickBooksWebhookParsingTests
{
    private const string Legacy = """
        {"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[
          {"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"},
          {"name":"Invoice","id":"130","operation":"Void","lastUpdated":"2015-10-05T14:45:00-0700"}]}}]}
        """;

    private const string CloudEvents = """
        [{"specversion":"1.0","id":"88cd52aa-33b6-4351-9aa4-47572edbd068","source":"intuit.abc","type":"qbo.payment.created.v1",
          "datacontenttype":"application/json","time":"2025-09-10T21:31:25.179851517Z","intuitentityid":"1234","intuitaccountid":"310687","data":{}},
         {"specversion":"1.0","id":"f00d","source":"intuit.abc","type":"qbo.creditmemo.updated.v1","time":"2025-09-10T21:32:00Z",
          "intuitentityid":"77","intuitaccountid":"310687","data":{}}]
        """;

    [Fact]
    public void The_signature_is_base64_hmac_sha256_of_the_raw_body_with_the_verifier_token()
    {
        var body = Encoding.UTF8.GetBytes(Legacy);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("verifier-token"), body));

        Assert.True(QuickBooksWebhookApi.SignatureMatches(body, signature, "verifier-token"));
        Assert.False(QuickBooksWebhookApi.SignatureMatches(body, signature, "another-token"));
        Assert.False(QuickBooksWebhookApi.SignatureMatches(Encoding.UTF8.GetBytes(Legacy + " "), signature, "verifier-token"));
        Assert.False(QuickBooksWebhookApi.SignatureMatches(body, "not base64!", "verifier-token"));
        Assert.False(QuickBooksWebhookApi.SignatureMatches(body, null, "verifier-token"));
    }

    [Fact]
    public void Legacy_notifications_become_one_event_per_entity()
    {
        var (format, events) = QuickBooksWebhookApi.Parse(Encoding.UTF8.GetBytes(Legacy));

        Assert.Equal("legacy", format);
        Assert.Equal(2, events.Count);
        Assert.Equal(("1185883450", "Invoice", "130", "Void"), (events[1].RealmId, events[1].Entity, events[1].EntityId, events[1].Operation));
        Assert.NotEqual(events[0].EventId, events[1].EventId);
    }

    [Fact]
    public void Cloud_events_map_type_to_entity_and_operation_and_keep_their_id()
    {
        var (format, events) = QuickBooksWebhookApi.Parse(Encoding.UTF8.GetBytes(CloudEvents));

        Assert.Equal("cloudevents", format);
        Assert.Equal(("88cd52aa-33b6-4351-9aa4-47572edbd068", "310687", "Payment", "1234", "Create"),
            (events[0].EventId, events[0].RealmId, events[0].Entity, events[0].EntityId, events[0].Operation));
        Assert.Equal(("CreditMemo", "Update"), (events[1].Entity, events[1].Operation));
    }

    [Fact]
    public void A_body_of_neither_format_is_refused()
    {
        Assert.ThrowsAny<Exception>(() => QuickBooksWebhookApi.Parse(Encoding.UTF8.GetBytes("""{"hello":"world"}""")));
        Assert.ThrowsAny<Exception>(() => QuickBooksWebhookApi.Parse(Encoding.UTF8.GetBytes("""[{"id":"x"}]""")));
    }
}
