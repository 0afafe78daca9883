extern alias crmingest;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using crmingest::QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// Hostile bodies for the webhooks, each sent with what authenticates it (the Outbound Message endpoint token in the
/// URL, a HubSpot v3 signature, an intuit-signature), so every one reaches the body's reader: the plausible delivery
/// first, then structural attacks (deep nesting, repeats, huge text, invalid UTF-8, DTDs) and the plausible delivery
/// with one part replaced by a value of the wrong type or shape.
/// </summary>
public static class WebhookInputs
{
    public const string SalesforceOrganization = "00D5g000004XyZaEAK";
    public const string HubSpotPortal = "62515";
    public const string QuickBooksRealm = "9130001";

    private static readonly string LongText = new('k', 1_100);
    private static readonly string LongUnicode = string.Concat(Enumerable.Repeat("é漢", 400));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The bytes with the first <paramref name="marker"/> replaced by a lead byte and a byte that cannot follow it.</summary>
    private static byte[] WithInvalidUtf8(string text, string marker)
    {
        var bytes = Utf8(text);
        var at = bytes.AsSpan().IndexOf(Utf8(marker));
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        return bytes;
    }

    private static string Nested(string name, int levels) =>
        string.Concat(Enumerable.Repeat($"<{name}>", levels)) + string.Concat(Enumerable.Repeat($"</{name}>", levels));

    // ---- Salesforce Outbound Messages -----------------------------------------------------------------------------

    /// <summary>
    /// The integration user the connections name: a change it made comes back as an echo, taken in and remembered like any
    /// other but not read from the CRM afterwards, so the fuzz host makes no CRM reads for what it accepts (a mutated
    /// user makes a change an ordinary one).
    /// </summary>
    public const string IntegrationUser = "005Q2000009AAAA";

    private const string Fields =
        "<sf:SystemModstamp>2026-03-01T10:00:00.000Z</sf:SystemModstamp><sf:LastModifiedById>" + IntegrationUser + "</sf:LastModifiedById>" +
        "<sf:IsWon>true</sf:IsWon><sf:StageName>Closed Won</sf:StageName>" +
        "<sf:Amount>15000</sf:Amount><sf:CloseDate>2026-03-01</sf:CloseDate><sf:Name>Website rebuild</sf:Name>";

    private static string NotificationId(int n) => "04l5g00000AbC" + n.ToString("D5", CultureInfo.InvariantCulture);

    private static string Notification(int n = 0, string fields = Fields, string extra = "", string type = "sf:Opportunity") =>
        $"<Notification>{extra}<Id>{NotificationId(n)}</Id><sObject xsi:type=\"{type}\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">" +
        $"<sf:Id>0065g00000XyZ{n % 100_000:D5}</sf:Id>{fields}</sObject></Notification>";

    private static string Envelope(string notifications, string header = "", string organization = SalesforceOrganization, string beforeActionId = "") =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" " +
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" + (header.Length > 0 ? $"<soapenv:Header>{header}</soapenv:Header>" : "") +
        "<soapenv:Body><notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">" +
        $"<OrganizationId>{organization}</OrganizationId>{beforeActionId}<ActionId>04k5g000000Gm1QAAS</ActionId><SessionId xsi:nil=\"true\"/>" +
        "<EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/00D5g000004XyZa</EnterpriseUrl>" +
        $"{notifications}</notifications></soapenv:Body></soapenv:Envelope>";

    /// <summary>Text that replaces one element's content in the plausible message (already XML: escaped where it must be).</summary>
    private static readonly IReadOnlyList<(string Text, string Why)> XmlTexts =
    [
        ("", "empty"),
        (LongText, "1,100 characters"),
        (LongUnicode, "2,000 bytes of UTF-8"),
        ("<![CDATA[</sf:Name><sf:Id>0065g00000XyZ13AAB</sf:Id>]]>", "CDATA holding markup"),
        ("&lt;script&gt;&amp;&quot;", "escaped markup"),
        ("\u202e\u200b\uFEFF", "bidi override, zero-width and BOM characters"),
        ("-1", "negative"),
        ("9e18", "9e18"),
        ("1e400", "1e400"),
        ("NaN", "NaN"),
        ("perhaps", "not a boolean"),
        ("2026-02-30T25:61:00Z", "an impossible time"),
        ("{\"model\":[1e30]}", "JSON of the wrong shape"),
        ("' OR Id != '", "a query fragment"),
        ("0065g00000XyZ12AAB0065g00000XyZ12AAB", "two IDs in one"),
    ];

    private static readonly string[] XmlTargets =
        ["OrganizationId", "ActionId", "EnterpriseUrl", "Id", "sf:Id", "sf:SystemModstamp", "sf:LastModifiedById", "sf:IsWon", "sf:StageName", "sf:Amount", "sf:CloseDate", "sf:Name"];

    private static string ReplaceContent(string xml, string element, string text)
    {
        var open = xml.IndexOf($"<{element}>", StringComparison.Ordinal) + element.Length + 2;
        var close = xml.IndexOf($"</{element}>", open, StringComparison.Ordinal);
        return xml[..open] + text + xml[close..];
    }

    /// <summary>Outbound Messages for <paramref name="path"/>, the endpoint URL with its token; the first is the plausible one.</summary>
    public static IEnumerable<FuzzCase> Salesforce(string path)
    {
        var n = 0;
        FuzzCase Case(byte[] body, string why, string contentType = "text/xml; charset=utf-8") =>
            new($"POST salesforce #{n++}", "POST", path, body, contentType, why);
        FuzzCase Xml(string body, string why) => Case(Utf8(body), why);
        var plausible = Envelope(Notification());

        yield return Xml(plausible, "plausible");
        // Nesting
        yield return Xml(Envelope(Notification(), header: Nested("h", 100_000)), "100,000 levels in the SOAP header");
        yield return Xml(Envelope(Notification(extra: Nested("n", 13))), "13 levels inside a notification");
        yield return Xml(Envelope(Notification(fields: "<sf:Name>" + Nested("b", 20) + "</sf:Name>")), "elements nested in a field");
        // Repeats
        yield return Xml(Envelope(Notification(), header: string.Concat(Enumerable.Repeat("<h/>", 60_000))), "60,000 elements in the SOAP header");
        yield return Xml(Envelope(Notification(), beforeActionId: string.Concat(Enumerable.Range(0, 60_000).Select(i => $"<u{i}/>"))), "60,000 distinct unknown elements");
        yield return Xml(Envelope(string.Concat(Enumerable.Range(0, 101).Select(i => Notification(i)))), "101 notifications");
        yield return Xml(Envelope(string.Concat(Enumerable.Range(0, 100).Select(i => Notification(i)))), "100 notifications");
        yield return Xml(Envelope(string.Concat(Enumerable.Repeat(Notification(), 100))), "one notification 100 times");
        yield return Xml(Envelope(Notification(fields: Fields + "<sf:Id>0065g00000XyZ13AAB</sf:Id>")), "a field twice");
        yield return Xml(Envelope(Notification(fields: string.Concat(Enumerable.Range(0, 5_000).Select(i => $"<sf:F{i}>v</sf:F{i}>")))), "5,000 fields");
        yield return Xml(plausible.Replace("<OrganizationId>", $"<OrganizationId>{SalesforceOrganization}</OrganizationId><OrganizationId>", StringComparison.Ordinal),
            "OrganizationId twice");
        yield return Xml(plausible.Replace("</soapenv:Body>", "</soapenv:Body><soapenv:Body/>", StringComparison.Ordinal), "a second Body");
        // Huge text
        yield return Xml(Envelope(Notification(fields: $"<sf:Name>{new string('x', 131_073)}</sf:Name>")), "131,073-character field");
        yield return Xml(Envelope(Notification(fields: $"<sf:Name>{new string('x', 1_040_000)}</sf:Name>")), "1,040,000-character field");
        yield return Xml(Envelope(Notification(fields: $"<sf:Name>{new string('x', 1_100_000)}</sf:Name>")), "body over 1 MiB");
        yield return Xml(Envelope(Notification(fields: $"<sf:{LongText}>v</sf:{LongText}>")), "1,100-character field name");
        yield return Xml(Envelope(Notification(type: "sf:" + LongText)), "1,100-character xsi:type");
        yield return Xml(Envelope(Notification(fields: $"<sf:LastModifiedDate>{LongText}</sf:LastModifiedDate>")), "1,100-character LastModifiedDate and no SystemModstamp");
        yield return Xml(Envelope(Notification(fields: "<sf:IsWon>true</sf:IsWon>")).Replace(NotificationId(0), LongText, StringComparison.Ordinal),
            "1,100-character notification Id and no change stamp");
        yield return Xml(Envelope(Notification(fields: "<sf:Name " + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"a{i}=\"v\" ")) + ">x</sf:Name>")),
            "10,000 attributes");
        // Encodings
        yield return Case(WithInvalidUtf8(plausible, "Website"), "invalid UTF-8 in a field value");
        yield return Case(WithInvalidUtf8(plausible, "StageName"), "invalid UTF-8 in an element name");
        yield return Case([0xFF, 0xFE, 0xFD, 0x3C], "invalid UTF-8 bytes");
        yield return Case([0xEF, 0xBB, 0xBF, .. Utf8(plausible)], "a byte-order mark");
        yield return Xml(plausible.Replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", StringComparison.Ordinal), "declared UTF-16, sent UTF-8");
        yield return Xml(ReplaceContent(plausible, "sf:Name", "&#0;"), "a NUL character reference");
        yield return Xml(ReplaceContent(plausible, "sf:Name", "&#xD800;"), "a lone surrogate reference");
        // DTDs, entities, processing instructions
        yield return Xml("<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
            + ReplaceContent(plausible, "sf:Name", "&c;")[38..], "entity expansion");
        yield return Xml("<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + ReplaceContent(plausible, "sf:Name", "&x;")[38..],
            "an external entity");
        yield return Xml(ReplaceContent(plausible, "sf:Name", "<?php x ?><!-- c -->x"), "a processing instruction and a comment");
        yield return Xml(ReplaceContent(plausible, "sf:Name", "&undeclared;"), "an undeclared entity");
        // Shape
        yield return Xml(plausible.Replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope", StringComparison.Ordinal), "SOAP 1.2 namespace");
        yield return Xml(plausible.Replace(" xmlns=\"http://soap.sforce.com/2005/09/outbound\"", "", StringComparison.Ordinal), "no outbound namespace");
        yield return Xml(Envelope(""), "no notification");
        yield return Xml(Envelope(Notification()).Replace("<OrganizationId>" + SalesforceOrganization + "</OrganizationId>", "", StringComparison.Ordinal), "no OrganizationId");
        yield return Xml(Envelope(Notification(), organization: "00D000000000001AAA"), "another organization");
        yield return Xml(Envelope(Notification()).Replace("<sf:Id>0065g00000XyZ00000</sf:Id>", "", StringComparison.Ordinal), "no record Id");
        yield return Xml(Envelope(Notification()).Replace("<sf:Id>0065g00000XyZ00000</sf:Id>", "<sf:Id xsi:nil=\"true\"/>", StringComparison.Ordinal), "a nil record Id");
        yield return Xml(Envelope(Notification(type: "")), "an empty xsi:type");
        yield return Xml(Envelope(Notification(type: ":::")), "xsi:type of colons");
        yield return Xml("<notifications/>", "a bare element");
        yield return Xml("<soapenv:Envelope", "truncated");
        yield return Case([], "empty body");
        yield return Xml("{\"notifications\":[]}", "JSON");
        yield return Case(Utf8(plausible), "as text/plain", "text/plain");
        // The plausible message with one element's text replaced
        foreach (var target in XmlTargets)
            foreach (var (text, why) in XmlTexts)
                yield return Xml(ReplaceContent(plausible, target, text), $"{target}: {why}");
    }

    // ---- Salesforce relay (Change Data Capture and Platform Events) --------------------------------------------------

    private const string ChangeEvent =
        """{"channel":"/data/OpportunityChangeEvent","data":{"event":{"replayId":17},"payload":{"ChangeEventHeader":{"entityName":"Opportunity","recordIds":["0065g00000XyZ12AAB"],"changeType":"UPDATE","transactionKey":"tx-1","sequenceNumber":3,"commitTimestamp":1795000000000,"commitUser":"005Q2000009AAAA"},"StageName":"Closed Won"}}}""";

    private const string PlatformEvent =
        """{"channel":"/event/Deal_Won__e","data":{"event":{"replayId":3,"EventUuid":"e-1"},"payload":{"Opportunity_Id__c":"0065g00000XyZ12AAB","CreatedById":"005Q2000009AAAA","CreatedDate":"2026-11-25T10:00:00Z"}}}""";

    /// <summary>Relayed events for <paramref name="path"/>, each with the relay's signature of its exact bytes; the first two are plausible.</summary>
    public static IEnumerable<FuzzCase> SalesforceRelay(string path, string relaySecret)
    {
        var n = 0;
        Action<HttpRequestMessage, byte[]> sign = (request, body) =>
            request.Headers.TryAddWithoutValidation(SalesforceChangeEvents.SignatureHeader, Convert.ToBase64String(HMACSHA256.HashData(Utf8(relaySecret), body)));
        FuzzCase Case(byte[] body, string why, string contentType = "application/json") => new($"POST salesforce relay #{n++}", "POST", path, body, contentType, why, sign);
        FuzzCase Json(string body, string why) => Case(Utf8(body), why);

        yield return Json(ChangeEvent, "plausible change event");
        yield return Json($"[{PlatformEvent}]", "plausible platform event");
        foreach (var (body, contentType, why) in HostileInputs.WholeBodies())
            yield return Case(body, why, contentType);
        yield return Json(ChangeEvent.Replace("tx-1", LongText, StringComparison.Ordinal), "1,100-character transactionKey");
        yield return Json(ChangeEvent.Replace("\"0065g00000XyZ12AAB\"", $"\"{LongText}\"", StringComparison.Ordinal), "1,100-character record ID");
        yield return Json(ChangeEvent.Replace("\"0065g00000XyZ12AAB\"", string.Join(",", Enumerable.Range(0, 2_000).Select(i => $"\"0065g00000X{i:D7}\"")), StringComparison.Ordinal),
            "2,000 record IDs");
        yield return Json(PlatformEvent.Replace("e-1", LongUnicode, StringComparison.Ordinal), "2,000-byte EventUuid");
        yield return Json(PlatformEvent.Replace("\"EventUuid\":\"e-1\"", "\"EventUuid\":null", StringComparison.Ordinal).Replace("/event/Deal_Won__e", "/event/" + LongText, StringComparison.Ordinal),
            "1,100-character channel and no EventUuid");
        yield return Json(ChangeEvent.Replace("\"0065g00000XyZ12AAB\"", "\"\\ud800\"", StringComparison.Ordinal), "a lone surrogate escape in a record ID");
        yield return Case(WithInvalidUtf8(ChangeEvent, "tx-1"), "invalid UTF-8 inside the transactionKey");
        yield return Json("[" + string.Join(",", Enumerable.Repeat(ChangeEvent, 2_000)) + "]", "one event 2,000 times");
        yield return Json(ChangeEvent.Replace("\"StageName\":\"Closed Won\"", "\"StageName\":" + new string('[', 3_000) + new string(']', 3_000), StringComparison.Ordinal),
            "3,000 nested arrays in the payload");

        foreach (var plausible in new[] { ChangeEvent, PlatformEvent })
        {
            var baseline = JsonNode.Parse(plausible);
            foreach (var (part, _) in HostileInputs.Parts(baseline, "$"))
                foreach (var (value, why) in HostileInputs.PartValues)
                    yield return Json(HostileInputs.Replace(baseline, part, value()), $"{part}: {why}");
        }
    }

    // ---- HubSpot ---------------------------------------------------------------------------------------------------

    /// <summary>The connected app's ID: events it caused itself (changeSource INTEGRATION) come back as echoes.</summary>
    public const string HubSpotAppId = "4";

    /// <summary>A plausible event, an echo of the connected app's own change (see <see cref="IntegrationUser"/> for why).</summary>
    private static string HubSpotEvent(int n = 0) =>
        $$"""{"eventId":{{100 + n}},"subscriptionId":2,"portalId":{{HubSpotPortal}},"appId":{{HubSpotAppId}},"occurredAt":1764000000000,"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":{{500 + n}},"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"INTEGRATION","sourceId":"{{HubSpotAppId}}"}""";

    /// <summary>HubSpot batches for <paramref name="path"/>, each signed (v3, timestamp of the moment it is sent) for <paramref name="signedUrl"/>.</summary>
    public static IEnumerable<FuzzCase> HubSpot(string path, string signedUrl, string secret)
    {
        var n = 0;
        Action<HttpRequestMessage, byte[]> sign = (request, body) =>
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation(HubSpotSignature.TimestampHeader, timestamp);
            request.Headers.TryAddWithoutValidation(HubSpotSignature.SignatureHeader, HubSpotSignature.Compute(secret, "POST", signedUrl, body, timestamp));
        };
        FuzzCase Case(byte[] body, string why, string contentType = "application/json") => new($"POST hubspot #{n++}", "POST", path, body, contentType, why, sign);
        FuzzCase Json(string body, string why) => Case(Utf8(body), why);
        var plausible = $"[{HubSpotEvent()}]";

        yield return Json(plausible, "plausible");
        foreach (var (body, contentType, why) in HostileInputs.WholeBodies())
            yield return Case(body, why, contentType);
        foreach (var (literal, why) in new[] { ("9e18", "9e18"), ("9E18", "9E18"), ("1e3", "1e3"), ("1764000000000.5", "a fraction"), ("-0", "minus zero"),
                     ("9000000000000000000", "9 quintillion"), ("\"1764000000000\"", "a string of digits"), ("253402300800000", "past year 9999") })
            yield return Json(plausible.Replace("1764000000000", literal, StringComparison.Ordinal), $"occurredAt {why}");
        yield return Case(WithInvalidUtf8(plausible, "closedwon"), "invalid UTF-8 inside a value");
        yield return Case([.. Utf8(plausible[..^3]), 0xC0, 0xAF, .. Utf8("\"}]")], "an overlong UTF-8 sequence");
        yield return Json(plausible.Replace("closedwon", "\\ud800", StringComparison.Ordinal), "a lone surrogate escape");
        yield return Json(plausible.Replace("closedwon", "\\u0000", StringComparison.Ordinal), "an escaped NUL");
        yield return Json("[]", "no event");
        yield return Json("[1]", "a number for an event");
        yield return Json("[null]", "null for an event");
        yield return Json("[[]]", "an array for an event");
        yield return Json(HubSpotEvent(), "an event without its array");
        yield return Json("[" + string.Join(",", Enumerable.Range(0, 100).Select(HubSpotEvent)) + "]", "100 events");
        yield return Json("[" + string.Join(",", Enumerable.Range(0, 101).Select(HubSpotEvent)) + "]", "101 events");
        yield return Json("[" + string.Join(",", Enumerable.Repeat(HubSpotEvent(), 2_000)) + "]", "one event 2,000 times");
        yield return Json(plausible.Replace("closedwon", new string('x', 1_000_000), StringComparison.Ordinal), "a 1,000,000-character value");
        yield return Json(plausible.Replace("closedwon", new string('x', 1_100_000), StringComparison.Ordinal), "body over 1 MiB");
        yield return Json(plausible.Replace("deal.propertyChange", LongText, StringComparison.Ordinal), "1,100-character subscriptionType");
        yield return Json(plausible.Replace("\"eventId\":100,", "\"eventId\":100,\"eventId\":\"x\",", StringComparison.Ordinal), "eventId twice");

        var baseline = JsonNode.Parse(plausible);
        foreach (var (part, _) in HostileInputs.Parts(baseline, "$"))
            foreach (var (value, why) in HostileInputs.PartValues)
                yield return Json(HostileInputs.Replace(baseline, part, value()), $"{part}: {why}");
    }

    // ---- QuickBooks ------------------------------------------------------------------------------------------------

    private static string CloudEvent(string id = "evt-1", string realm = QuickBooksRealm, string type = "qbo.invoice.updated.v1") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"intuit.fuzz","type":"{{{type}}}","time":"2026-03-02T09:00:00Z","intuitentityid":"130","intuitaccountid":"{{{realm}}}","data":{}}""";

    private static string Legacy(string realm = QuickBooksRealm, string entities = """{"name":"Invoice","id":"130","operation":"Update","lastUpdated":"2026-03-02T09:00:00Z"}""") =>
        $$$"""{"realmId":"{{{realm}}}","dataChangeEvent":{"entities":[{{{entities}}}]}}""";

    /// <summary>QuickBooks deliveries, each with the intuit-signature of its exact bytes under <paramref name="verifierToken"/>; the first two are plausible.</summary>
    public static IEnumerable<FuzzCase> QuickBooks(string verifierToken)
    {
        var n = 0;
        Action<HttpRequestMessage, byte[]> sign = (request, body) =>
            request.Headers.TryAddWithoutValidation("intuit-signature", Convert.ToBase64String(HMACSHA256.HashData(Utf8(verifierToken), body)));
        FuzzCase Case(byte[] body, string why, string contentType = "application/json") =>
            new($"POST quickbooks #{n++}", "POST", "/webhooks/quickbooks", body, contentType, why, sign);
        FuzzCase Json(string body, string why) => Case(Utf8(body), why);
        var cloud = $"[{CloudEvent()}]";
        var legacy = $$"""{"eventNotifications":[{{Legacy()}}]}""";

        yield return Json(cloud, "plausible CloudEvents");
        yield return Json(legacy, "plausible eventNotifications");
        foreach (var (body, contentType, why) in HostileInputs.WholeBodies())
            yield return Case(body, why, contentType);
        yield return Json("[" + string.Join(",", Enumerable.Range(0, 1_000).Select(i => CloudEvent($"evt-{i}"))) + "]", "1,000 events");
        yield return Json("[" + string.Join(",", Enumerable.Range(0, 1_001).Select(i => CloudEvent($"evt-{i}"))) + "]", "1,001 events");
        yield return Json("[" + string.Join(",", Enumerable.Range(0, 101).Select(i => CloudEvent($"evt-{i}", i == 0 ? QuickBooksRealm : $"{8_000_000 + i}"))) + "]", "101 companies");
        yield return Json("[" + string.Join(",", Enumerable.Repeat(CloudEvent(), 2_000)) + "]", "one event 2,000 times");
        yield return Json($$"""{"eventNotifications":[{{string.Join(",", Enumerable.Range(0, 101).Select(i => Legacy(i == 0 ? QuickBooksRealm : $"{8_000_000 + i}")))}}]}""",
            "101 companies, eventNotifications");
        yield return Json($"[{CloudEvent(id: LongText)}]", "1,100-character event id");
        yield return Json($"[{CloudEvent(id: string.Concat(Enumerable.Repeat("漢", 150)))}]", "450-byte event id");
        yield return Json($"[{CloudEvent(realm: new string('9', 201))}]", "201-character realmId");
        yield return Json($$"""{"eventNotifications":[{{Legacy(entities: $$"""{"name":"Invoice","id":"{{LongText}}","operation":"Update"}""")}}]}""",
            "1,100-character entity id, eventNotifications");
        foreach (var type in new[] { "qbo.invoice", "qbo..", "...", "qbo.invoice.", "qbo." + LongText + ".updated", "qbo.invoice.updated.v1.extra.parts" })
            yield return Json($"[{CloudEvent(type: type)}]", $"type '{(type.Length > 40 ? type[..40] + "…" : type)}'");
        yield return Case(WithInvalidUtf8(cloud, "evt-1"), "invalid UTF-8 inside the event id");
        yield return Json(cloud.Replace("evt-1", "\\ud800", StringComparison.Ordinal), "a lone surrogate escape in the event id");
        yield return Json(cloud.Replace("2026-03-02T09:00:00Z", "9999-99-99T99:99:99Z", StringComparison.Ordinal), "an impossible time");
        yield return Json(legacy.Replace("\"lastUpdated\":\"2026-03-02T09:00:00Z\"", "\"lastUpdated\":17", StringComparison.Ordinal), "a number for lastUpdated");
        yield return Json(cloud.Replace("\"data\":{}", "\"data\":" + string.Concat(Enumerable.Repeat("[", 2_000)) + string.Concat(Enumerable.Repeat("]", 2_000)), StringComparison.Ordinal),
            "2,000 nested arrays in data");
        yield return Json(cloud.Replace("\"data\":{}", "\"data\":\"" + new string('x', 2_200_000) + "\"", StringComparison.Ordinal), "body over 2 MiB");

        foreach (var plausible in new[] { cloud, legacy })
        {
            var baseline = JsonNode.Parse(plausible);
            foreach (var (part, _) in HostileInputs.Parts(baseline, "$"))
                foreach (var (value, why) in HostileInputs.PartValues)
                    yield return Json(HostileInputs.Replace(baseline, part, value()), $"{part}: {why}");
        }
    }
}
