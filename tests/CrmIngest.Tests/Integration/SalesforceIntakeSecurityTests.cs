using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// The Salesforce endpoints against an attacker: an Outbound Message needs the connection's endpoint token, is read within
/// XML limits and deduplicated per record and change; the relay needs its signature; bad input gets a 4xx and changes nothing.
/// </summary>
public sealed class SalesforceIntakeSecurityTests : IDisposable
{
    internal const string Organization = "00D5g000004XyZaEAK";
    private const string RelaySecret = "relay-secret";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-sfsec-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly LiteDbDocumentStore _store;
    private readonly IDataProtectionProvider _protection;
    private readonly List<object> _published = [];

    public SalesforceIntakeSecurityTests()
    {
        Directory.CreateDirectory(_directory);
        _store = new LiteDbDocumentStore(Path.Combine(_directory, "crm-ingest.db"));
        _protection = new ServiceCollection().AddDataProtection().UseEphemeralDataProtectionProvider().Services.BuildServiceProvider()
            .GetRequiredService<IDataProtectionProvider>();
    }

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The outbound policy of a local run: the Salesforce stand-in listens on 127.0.0.1.</summary>
    private static readonly OutboundPolicy LoopbackAllowed = new ServiceCollection()
        .AddOutboundPolicy().Configure<OutboundOptions>(o => o.AllowLoopback = true)
        .BuildServiceProvider().GetRequiredService<OutboundPolicy>();

    /// <summary>Connects the tenant through the connection API and returns the Outbound Message URL it showed once.</summary>
    internal static async Task<string> ConnectAsync(IDocumentStore store, IDataProtectionProvider protection, string tenant, string baseUrl, string? relaySecret = null,
        string accessToken = "00D!session")
    {
        var answer = await CrmConnectionApi.Put(tenant, new CrmConnectionApi.ConnectionRequest
        {
            Kind = "salesforce", BaseUrl = baseUrl, AccessToken = accessToken, OrganizationId = Organization, ClientSecret = relaySecret,
        }, store, protection, LoopbackAllowed, TimeProvider.System, TestContext.Current.CancellationToken);
        var view = Assert.IsType<Ok<CrmConnectionApi.ConnectionView>>(answer.Result).Value!;
        return Assert.IsType<string>(view.OutboundMessageUrl);
    }

    internal static string Notification(string notificationId, string recordId, string? modstamp = null, string extraFields = "") => $"""
           <Notification>
            <Id>{notificationId}</Id>
            <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>{recordId}</sf:Id>
             {(modstamp is null ? "" : $"<sf:SystemModstamp>{modstamp}</sf:SystemModstamp>")}
             <sf:IsWon>true</sf:IsWon>{extraFields}
            </sObject>
           </Notification>
        """;

    internal static string Envelope(string organization, params string[] notifications) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>{organization}</OrganizationId>
           <ActionId>04k5g000000Gm1QAAS</ActionId>
           {string.Concat(notifications)}
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    internal sealed record Answer(int Status, string Body, IReadOnlyList<object> Published);

    /// <summary>Posts to an endpoint as Kestrel would hand the request over; each request has its own unit of work, writing through to the store.</summary>
    internal static async Task<Answer> PostAsync(IDocumentStore store, IDataProtectionProvider protection, string pathAndQuery, string body,
        string contentType = "text/xml", Action<HttpRequest>? prepare = null)
    {
        var context = new DefaultHttpContext();
        var query = pathAndQuery.IndexOf('?');
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 5101);
        context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = contentType;
        prepare?.Invoke(context.Request);
        context.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        context.Response.Body = new MemoryStream();
        var unitOfWork = new TestUnitOfWork(store, TestUnitOfWorkMode.WriteThrough);
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var tenant = segments[2];
        var result = segments.Length > 3 && segments[3] == "events"
            ? await CrmWebhooksApi.ReceiveSalesforceEventsAsync(tenant, context.Request, store, unitOfWork, protection, TimeProvider.System, NullLoggerFactory.Instance,
                TestContext.Current.CancellationToken)
            : await CrmWebhooksApi.ReceiveSalesforceAsync(tenant, context.Request, store, unitOfWork, TimeProvider.System, NullLoggerFactory.Instance,
                TestContext.Current.CancellationToken);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return new Answer(context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken),
            unitOfWork.Published);
    }

    private Task<Answer> PostAsync(string pathAndQuery, string body, string contentType = "text/xml", Action<HttpRequest>? prepare = null) =>
        PostAsync(_store, _protection, pathAndQuery, body, contentType, prepare);

    private async Task<List<CrmDelivery>> DeliveriesAsync() =>
        (await _store.Collection<CrmDelivery>(CrmDelivery.CollectionName).FindAsync(_ => true, cancellationToken: TestContext.Current.CancellationToken))
        .Select(d => d.Value).ToList();

    /// <summary>A client fault with <paramref name="status"/>; with <paramref name="reason"/>, its faultstring must name that rule.</summary>
    private static void AssertSoapFault(Answer answer, int status, string? reason = null)
    {
        Assert.Equal(status, answer.Status);
        Assert.Contains("<faultcode>soapenv:Client</faultcode>", answer.Body);
        if (reason is not null)
            Assert.Matches("<faultstring>[^<]*" + System.Text.RegularExpressions.Regex.Escape(reason) + "[^<]*</faultstring>", answer.Body);
        Assert.Empty(answer.Published);
    }

    private static readonly string DepthRule = $"nested more than {SalesforceOutboundMessages.MaxDepth} levels deep";
    private static readonly string ElementRule = $"more than {SalesforceOutboundMessages.MaxElements} elements";

    /// <summary>The envelope with a SOAP header: nothing in it is read, so only the reader's own limits apply to it.</summary>
    private static string WithHeader(string envelope, string header) =>
        envelope.Replace("<soapenv:Body>", "<soapenv:Header>" + header + "</soapenv:Header><soapenv:Body>", StringComparison.Ordinal);

    private static string Nested(string name, int levels) =>
        string.Concat(Enumerable.Repeat($"<{name}>", levels)) + string.Concat(Enumerable.Repeat($"</{name}>", levels));

    [Fact]
    public async Task Without_the_endpoint_token_an_outbound_message_is_refused_before_its_body_is_read()
    {
        var url = await ConnectAsync(_store, _protection, "acme", "http://127.0.0.1:9");
        var forged = Envelope(Organization, Notification("04l5g00000AbCdFAAV", "0065g00000XyZ99AAB"));

        AssertSoapFault(await PostAsync("/webhooks/salesforce/acme", forged), 401);
        AssertSoapFault(await PostAsync("/webhooks/salesforce/acme?token=guessed", forged), 401);
        AssertSoapFault(await PostAsync(url + "&token=again", forged), 401);
        // Even a body far over any limit costs nothing without the token: it is never read.
        AssertSoapFault(await PostAsync("/webhooks/salesforce/acme?token=guessed", new string('<', 2 * CrmWebhooksApi.MaxBodyBytes)), 401);

        Assert.Empty(await DeliveriesAsync());
        var accepted = await PostAsync(url, forged);
        Assert.Equal(200, accepted.Status);
        Assert.Contains("<Ack>true</Ack>", accepted.Body);
    }

    [Fact]
    public async Task Rotating_the_token_shows_a_new_one_once_and_refuses_the_old_one()
    {
        var old = await ConnectAsync(_store, _protection, "rotate", "http://127.0.0.1:9");
        var again = await CrmConnectionApi.Put("rotate", new CrmConnectionApi.ConnectionRequest
        {
            Kind = "salesforce", BaseUrl = "http://127.0.0.1:9", AccessToken = "00D!session", OrganizationId = Organization,
        }, _store, _protection, LoopbackAllowed, TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.Null(Assert.IsType<Ok<CrmConnectionApi.ConnectionView>>(again.Result).Value!.OutboundMessageUrl);
        var shown = await CrmConnectionApi.Get("rotate", _store, TestContext.Current.CancellationToken);
        Assert.Null(Assert.IsType<Ok<CrmConnectionApi.ConnectionView>>(shown.Result).Value!.OutboundMessageUrl);

        var rotated = await CrmConnectionApi.RotateOutboundMessageToken("rotate", _store, TimeProvider.System, TestContext.Current.CancellationToken);
        var token = Assert.IsType<Ok<CrmConnectionApi.OutboundMessageTokenView>>(rotated.Result).Value!;
        Assert.Equal(OutboundMessageToken.EndpointPath("rotate", token.Token), token.OutboundMessageUrl);
        var message = Envelope(Organization, Notification("04l5g00000AbCdFAAV", "0065g00000XyZ99AAB"));
        AssertSoapFault(await PostAsync(old, message), 401);
        Assert.Equal(200, (await PostAsync(token.OutboundMessageUrl, message)).Status);
    }

    [Fact]
    public async Task A_seen_notification_id_does_not_swallow_another_record_or_a_newer_change()
    {
        var url = await ConnectAsync(_store, _protection, "dedupe", "http://127.0.0.1:9");
        const string notificationId = "04l5g00000AbCdEAAV";
        var first = await PostAsync(url, Envelope(Organization, Notification(notificationId, "0065g00000XyZ12AAB", "2026-03-01T10:00:00.000Z")));
        var otherRecord = await PostAsync(url, Envelope(Organization, Notification(notificationId, "0065g00000XyZ13AAB", "2026-03-01T10:00:00.000Z")));
        var newerChange = await PostAsync(url, Envelope(Organization, Notification(notificationId, "0065g00000XyZ12AAB", "2026-03-01T10:05:00.000Z")));
        var resent = await PostAsync(url, Envelope(Organization, Notification(notificationId, "0065g00000XyZ12AAB", "2026-03-01T10:00:00.000Z")));
        // Without SystemModstamp the notification ID stands in for the change, still per record.
        var noModstamp = await PostAsync(url, Envelope(Organization, Notification(notificationId, "0065g00000XyZ12AAB")));
        var noModstampOther = await PostAsync(url, Envelope(Organization, Notification(notificationId, "0065g00000XyZ14AAB")));

        Assert.All([first, otherRecord, newerChange, resent, noModstamp, noModstampOther], a => Assert.Equal(200, a.Status));
        Assert.Equal("0065g00000XyZ12AAB", Assert.IsType<ProcessCrmEvent>(Assert.Single(first.Published)).ObjectId);
        Assert.Equal("0065g00000XyZ13AAB", Assert.IsType<ProcessCrmEvent>(Assert.Single(otherRecord.Published)).ObjectId);
        Assert.Equal("0065g00000XyZ12AAB", Assert.IsType<ProcessCrmEvent>(Assert.Single(newerChange.Published)).ObjectId);
        Assert.Empty(resent.Published);
        Assert.Single(noModstamp.Published);
        Assert.Single(noModstampOther.Published);
        Assert.Single(await DeliveriesAsync(), d => d.Status == "Duplicate");
    }

    [Fact]
    public async Task Deeply_nested_or_huge_xml_is_refused_with_a_soap_fault_and_nothing_is_stored()
    {
        var url = await ConnectAsync(_store, _protection, "xml", "http://127.0.0.1:9");
        var deep = new StringBuilder().Insert(0, "<a>", 60_000).Insert(60_000 * 3, "</a>", 60_000).ToString();
        var deepInside = Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB", extraFields: "<sf:Name>" + deep + "</sf:Name>"));
        // Just under the body limit: a million characters in one field, or as many small elements.
        var hugeField = Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB", extraFields: "<sf:Name>" + new string('x', 1_040_000) + "</sf:Name>"));
        var manyElements = Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB",
            extraFields: string.Concat(Enumerable.Range(0, 100_000).Select(i => "<sf:F/>"))));
        var dtd = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" + Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB", extraFields: "<sf:Name>&b;</sf:Name>"))[40..];

        AssertSoapFault(await PostAsync(url, deep), 400, DepthRule);
        AssertSoapFault(await PostAsync(url, deepInside), 400, DepthRule);
        AssertSoapFault(await PostAsync(url, hugeField), 400, $"longer than {SalesforceOutboundMessages.MaxFieldCharacters} characters");
        AssertSoapFault(await PostAsync(url, manyElements), 400, ElementRule);
        AssertSoapFault(await PostAsync(url, dtd), 400, "not well-formed XML");
        Assert.Empty(await DeliveriesAsync());
        Assert.Empty(await _store.Collection<SeenCrmEvent>(SeenCrmEvent.CollectionName).FindAsync(_ => true, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Nesting_past_the_depth_limit_where_nothing_is_read_is_refused_by_the_depth_rule_alone()
    {
        var url = await ConnectAsync(_store, _protection, "depth", "http://127.0.0.1:9");
        var message = Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB"));
        // Envelope and Header are two levels, so ten more reach the limit exactly and eleven pass it.
        var atTheLimit = WithHeader(message, Nested("trace", SalesforceOutboundMessages.MaxDepth - 2));
        var pastItInTheHeader = WithHeader(message, Nested("trace", SalesforceOutboundMessages.MaxDepth - 1));
        var farPastItInTheHeader = WithHeader(message, Nested("trace", 5_000));
        // An element the reader does not know, beside the notifications: ignored, yet still counted.
        var pastItInAnUnknownElement = message.Replace("<ActionId>", Nested("extension", 40) + "<ActionId>", StringComparison.Ordinal);
        var pastItInANotification = Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB")
            .Replace("<Id>", Nested("note", 20) + "<Id>", StringComparison.Ordinal));

        AssertSoapFault(await PostAsync(url, pastItInTheHeader), 400, DepthRule);
        AssertSoapFault(await PostAsync(url, farPastItInTheHeader), 400, DepthRule);
        AssertSoapFault(await PostAsync(url, pastItInAnUnknownElement), 400, DepthRule);
        AssertSoapFault(await PostAsync(url, pastItInANotification), 400, DepthRule);
        Assert.Empty(await DeliveriesAsync());

        // The same message within the limit is taken in: nothing but the depth refused the others.
        var accepted = await PostAsync(url, atTheLimit);
        Assert.Equal(200, accepted.Status);
        Assert.Single(accepted.Published);
    }

    [Fact]
    public async Task Elements_past_the_count_limit_where_nothing_is_read_are_refused_by_the_element_rule_alone()
    {
        var url = await ConnectAsync(_store, _protection, "elements", "http://127.0.0.1:9");
        var message = WithHeader(Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB")), "");
        var own = System.Xml.Linq.XDocument.Parse(message).Descendants().Count();
        var room = SalesforceOutboundMessages.MaxElements - own;
        // Distinct empty elements in the header, each one level deep and a few characters long: only their number is wrong.
        string Distinct(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"<h{i}/>"));
        var atTheLimit = message.Replace("<soapenv:Header>", "<soapenv:Header>" + Distinct(room), StringComparison.Ordinal);
        var pastIt = message.Replace("<soapenv:Header>", "<soapenv:Header>" + Distinct(room + 1), StringComparison.Ordinal);
        // The same again as unknown elements beside the notification, one inside the other in small groups.
        var pastItBesideTheNotification = message.Replace("<ActionId>",
            string.Concat(Enumerable.Repeat(Nested("x", 3), (room + 3) / 3)) + "<ActionId>", StringComparison.Ordinal);

        AssertSoapFault(await PostAsync(url, pastIt), 400, ElementRule);
        AssertSoapFault(await PostAsync(url, pastItBesideTheNotification), 400, ElementRule);
        Assert.Empty(await DeliveriesAsync());

        var accepted = await PostAsync(url, atTheLimit);
        Assert.Equal(200, accepted.Status);
        Assert.Single(accepted.Published);
    }

    [Fact]
    public async Task A_repeated_sobject_field_is_a_soap_fault_and_changes_nothing()
    {
        var url = await ConnectAsync(_store, _protection, "repeat", "http://127.0.0.1:9");
        var repeated = Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g00000XyZ12AAB", extraFields: "<sf:Id>0065g00000XyZ13AAB</sf:Id>"));
        var badId = Envelope(Organization, Notification("04l5g00000AbCdEAAV", "0065g0000' OR Id != '"));

        AssertSoapFault(await PostAsync(url, repeated), 400);
        AssertSoapFault(await PostAsync(url, badId), 400);
        Assert.Empty(await DeliveriesAsync());
    }

    private static Action<HttpRequest> Signed(string body, string secret = RelaySecret) => request =>
        request.Headers[SalesforceChangeEvents.SignatureHeader] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private const string ChangeEvent = """
        {"channel":"/data/OpportunityChangeEvent","data":{"event":{"replayId":1},"payload":{"ChangeEventHeader":{"entityName":"Opportunity",
        "recordIds":["0065g00000XyZ12AAB"],"changeType":"UPDATE","transactionKey":"tx-1","sequenceNumber":1,"commitTimestamp":1795000000000,"commitUser":"005A"}}}}
        """;

    [Fact]
    public async Task The_relay_is_refused_unsigned_even_without_a_relay_secret_and_accepted_signed()
    {
        await ConnectAsync(_store, _protection, "nosecret", "http://127.0.0.1:9");
        await ConnectAsync(_store, _protection, "relay", "http://127.0.0.1:9", relaySecret: RelaySecret);

        var noSecret = await PostAsync("/webhooks/salesforce/nosecret/events", ChangeEvent, "application/json");
        var unsigned = await PostAsync("/webhooks/salesforce/relay/events", ChangeEvent, "application/json");
        var wrong = await PostAsync("/webhooks/salesforce/relay/events", ChangeEvent, "application/json", Signed(ChangeEvent, "not-the-secret"));
        Assert.Equal([401, 401, 401], new[] { noSecret.Status, unsigned.Status, wrong.Status });
        Assert.All([noSecret, unsigned, wrong], a => Assert.Contains("\"status\":401", a.Body));
        Assert.Empty(await DeliveriesAsync());

        var signed = await PostAsync("/webhooks/salesforce/relay/events", ChangeEvent, "application/json", Signed(ChangeEvent));
        Assert.Equal(200, signed.Status);
        Assert.Single(signed.Published);
    }

    [Theory]
    [InlineData("""{"data":"payload"}""")]
    [InlineData("""{"data":{"payload":[1]}}""")]
    [InlineData("""{"data":{"event":7,"payload":{"ChangeEventHeader":{"entityName":"Opportunity","recordIds":[1,2],"changeType":"UPDATE","transactionKey":"t"}}}}""")]
    [InlineData("""{"data":{"payload":{"ChangeEventHeader":{"entityName":"Opportunity","recordIds":["0065g00000XyZ12AAB"],"changeType":"UPDATE","transactionKey":"t","sequenceNumber":{},"commitTimestamp":"soon"}}}}""")]
    [InlineData("""{"data":{"payload":{"ChangeEventHeader":"header"}}}""")]
    [InlineData("""{"channel":5,"data":{"event":{"EventUuid":3},"payload":{"OpportunityId__c":42}}}""")]
    [InlineData("""[{"data":{"event":{"replayId":[]},"payload":{"RecordId__c":{"a":1}}}}]""")]
    public async Task Wrong_json_types_on_the_relay_are_a_problem_and_change_nothing(string body)
    {
        await ConnectAsync(_store, _protection, "types", "http://127.0.0.1:9", relaySecret: RelaySecret);

        var answer = await PostAsync("/webhooks/salesforce/types/events", body, "application/json", Signed(body));

        Assert.Equal(400, answer.Status);
        Assert.Contains("\"status\":400", answer.Body);
        Assert.Empty(answer.Published);
        Assert.Empty(await DeliveriesAsync());
    }
}
