using System.Security;
using System.Xml;
using System.Xml.Linq;
using QuoteToCash.ServiceDefaults.Validation;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>One notification of a Salesforce Outbound Message: the record ID and the fields the rule sends.</summary>
public sealed record SalesforceNotification(string NotificationId, string ObjectType, string RecordId, IReadOnlyDictionary<string, string?> Fields);

public sealed record SalesforceOutboundMessage(string OrganizationId, string ActionId, string? EnterpriseUrl, IReadOnlyList<SalesforceNotification> Notifications);

/// <summary>
/// Reads Outbound Message SOAP envelopes and writes the acknowledgement and fault envelopes. Pure. Hostile XML is
/// refused while it is read, before any tree is built: no DTD, at most <see cref="MaxCharacters"/> characters, at most
/// <see cref="MaxDepth"/> levels of nesting and <see cref="MaxElements"/> elements.
/// </summary>
public static class SalesforceOutboundMessages
{
    public const int MaxNotifications = 100;
    /// <summary>Envelope, Body, notifications, Notification, sObject and a field are six levels; a field is never nested.</summary>
    public const int MaxDepth = 12;
    /// <summary>100 notifications of a few hundred fields each.</summary>
    public const int MaxElements = 50_000;
    public const long MaxCharacters = 1024 * 1024;
    /// <summary>The longest value a Salesforce field holds (a Long Text Area of 131,072 characters).</summary>
    public const int MaxFieldCharacters = 131_072;
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private static XmlReaderSettings ReaderSettings() => new()
    {
        // No DTDs, no external entities: a SOAP body never needs them.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static SalesforceOutboundMessage Parse(string xml)
    {
        XDocument document;
        try
        {
            // First a forward-only pass that stops at the first level or element too many; only a document
            // within the limits is loaded as a tree.
            using (var scout = XmlReader.Create(new StringReader(xml), ReaderSettings()))
            {
                var elements = 0;
                while (scout.Read())
                {
                    if (scout.NodeType != XmlNodeType.Element)
                        continue;
                    if (scout.Depth >= MaxDepth)
                        throw new FormatException($"The XML is nested more than {MaxDepth} levels deep.");
                    if (++elements > MaxElements)
                        throw new FormatException($"The XML has more than {MaxElements} elements.");
                }
            }
            using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings());
            document = XDocument.Load(reader);
        }
        catch (XmlException exception)
        {
            throw new FormatException("The body is not well-formed XML, or it exceeds the size limit or declares a DTD.", exception);
        }
        var notifications = document.Root?.Element(Soap + "Body")?.Element(Outbound + "notifications")
                            ?? throw new FormatException("The envelope has no soapenv:Body/notifications element.");
        var organizationId = notifications.Element(Outbound + "OrganizationId")?.Value
                             ?? throw new FormatException("notifications lacks OrganizationId.");
        if (!IsSalesforceId(organizationId))
            throw new FormatException("The OrganizationId is not a Salesforce ID.");
        var actionId = notifications.Element(Outbound + "ActionId")?.Value ?? throw new FormatException("notifications lacks ActionId.");
        var items = notifications.Elements(Outbound + "Notification").Select(n =>
        {
            var id = n.Element(Outbound + "Id")?.Value ?? throw new FormatException("A Notification lacks Id.");
            var sObject = n.Element(Outbound + "sObject") ?? throw new FormatException("A Notification lacks sObject.");
            var type = sObject.Attribute(Xsi + "type")?.Value ?? "sf:sObject";
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var field in sObject.Elements())
            {
                if (field.HasElements)
                    throw new FormatException($"The sObject field {field.Name.LocalName} has child elements; Outbound Message fields are plain values.");
                if (field.Value.Length > MaxFieldCharacters)
                    throw new FormatException($"The sObject field {field.Name.LocalName} is longer than {MaxFieldCharacters} characters.");
                if (!fields.TryAdd(field.Name.LocalName, field.Attribute(Xsi + "nil")?.Value == "true" ? null : field.Value))
                    throw new FormatException($"The sObject field {field.Name.LocalName} appears more than once in notification {id}.");
            }
            var recordId = fields.GetValueOrDefault("Id") ?? throw new FormatException("An sObject lacks its Id.");
            if (!IsSalesforceId(recordId))
                throw new FormatException($"The record ID of notification {id} is not a Salesforce ID.");
            var notification = new SalesforceNotification(id, type.Contains(':') ? type[(type.IndexOf(':') + 1)..] : type, recordId, fields);
            // The key a notification is remembered by holds its change stamp (or its Id): it must fit the store's keys.
            if (!InputLimits.IsStorableKey(DedupeKey(organizationId, notification)))
                throw new FormatException($"A notification's SystemModstamp, LastModifiedDate or Id is too long: with the org and record IDs it must fit {InputLimits.MaxKeyLength} characters ({InputLimits.MaxKeyBytes} bytes in UTF-8).");
            return notification;
        }).ToList();
        if (items.Count is 0 or > MaxNotifications)
            throw new FormatException($"An Outbound Message carries 1 to {MaxNotifications} notifications, not {items.Count}.");
        return new SalesforceOutboundMessage(organizationId, actionId, notifications.Element(Outbound + "EnterpriseUrl")?.Value, items);
    }

    /// <summary>A Salesforce record ID by its shape: 15 or 18 ASCII letters and digits. Whether the record exists only the org can say.</summary>
    public static bool IsSalesforceId(string? id) => id is { Length: 15 or 18 } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// What a notification is deduplicated on: the organization, the record (its 15-character ID) and the record's
    /// change identity (SystemModstamp, else LastModifiedDate, when the Outbound Message sends them), falling back to the
    /// notification ID only when neither is sent. A re-sent notification has the same key; a notification of another
    /// record, or of a newer change of the same record, never does, whatever its notification ID.
    /// </summary>
    public static string DedupeKey(string organizationId, SalesforceNotification notification)
    {
        var change = notification.Fields.GetValueOrDefault("SystemModstamp") is { Length: > 0 } modstamp ? "m:" + modstamp
            : notification.Fields.GetValueOrDefault("LastModifiedDate") is { Length: > 0 } modified ? "d:" + modified
            : "n:" + notification.NotificationId;
        return $"salesforce-om:{organizationId[..15]}:{notification.RecordId[..15]}:{change}";
    }

    /// <summary>Salesforce IDs compare on their first 15 characters (the 18-character form adds a case-safe suffix).</summary>
    public static bool SameOrganization(string a, string b) =>
        a.Length >= 15 && b.Length >= 15 && string.Equals(a[..15], b[..15], StringComparison.Ordinal);

    public static string Ack(bool ack = true) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>{(ack ? "true" : "false")}</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>""";

    /// <summary>A SOAP 1.1 fault: "soapenv:Client" for bad input, "soapenv:Server" for our own failures.</summary>
    public static string Fault(string faultCode, string message) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>{SecurityElement.Escape(faultCode)}</faultcode><faultstring>{SecurityElement.Escape(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>""";
}
