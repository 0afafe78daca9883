using System.Security;
using System.Xml;
using System.Xml.Linq;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>One notification of a Salesforce Outbound Message: the record ID and the fields the rule sends.</summary>
public sealed record SalesforceNotification(string NotificationId, string ObjectType, string RecordId, IReadOnlyDictionary<string, string?> Fields);

public sealed record SalesforceOutboundMessage(string OrganizationId, string ActionId, string? EnterpriseUrl, IReadOnlyList<SalesforceNotification> Notifications);

/// <summary>Reads Outbound Message SOAP envelopes and writes the acknowledgement and fault envelopes. Pure.</summary>
public static class SalesforceOutboundMessages
{
    public const int MaxNotifications = 100;
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static SalesforceOutboundMessage Parse(string xml)
    {
        XDocument document;
        try
        {
            // No DTDs, no external entities: a SOAP body never needs them.
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException exception)
        {
            throw new FormatException("The body is not well-formed XML.", exception);
        }
        var notifications = document.Root?.Element(Soap + "Body")?.Element(Outbound + "notifications")
                            ?? throw new FormatException("The envelope has no soapenv:Body/notifications element.");
        var organizationId = notifications.Element(Outbound + "OrganizationId")?.Value
                             ?? throw new FormatException("notifications lacks OrganizationId.");
        var actionId = notifications.Element(Outbound + "ActionId")?.Value ?? throw new FormatException("notifications lacks ActionId.");
        var items = notifications.Elements(Outbound + "Notification").Select(n =>
        {
            var id = n.Element(Outbound + "Id")?.Value ?? throw new FormatException("A Notification lacks Id.");
            var sObject = n.Element(Outbound + "sObject") ?? throw new FormatException("A Notification lacks sObject.");
            var type = sObject.Attribute(Xsi + "type")?.Value ?? "sf:sObject";
            var fields = sObject.Elements().ToDictionary(f => f.Name.LocalName,
                f => f.Attribute(Xsi + "nil")?.Value == "true" ? null : f.Value, StringComparer.Ordinal);
            var recordId = fields.GetValueOrDefault("Id") ?? throw new FormatException("An sObject lacks its Id.");
            return new SalesforceNotification(id, type.Contains(':') ? type[(type.IndexOf(':') + 1)..] : type, recordId, fields);
        }).ToList();
        if (items.Count is 0 or > MaxNotifications)
            throw new FormatException($"An Outbound Message carries 1 to {MaxNotifications} notifications, not {items.Count}.");
        return new SalesforceOutboundMessage(organizationId, actionId, notifications.Element(Outbound + "EnterpriseUrl")?.Value, items);
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
