using System.Xml;
using System.Xml.Linq;

namespace QuoteToCash.Sandbox.Salesforce.Domain;

public sealed record OutboundNotification(string NotificationId, string SObjectType, IReadOnlyList<(string Field, string Value)> Fields);

public sealed record OutboundBatch(string EndpointUrl, string OrganizationId, string ActionId, string EnterpriseUrl, string PartnerUrl,
    IReadOnlyList<OutboundNotification> Notifications);

/// <summary>The SOAP 1.1 "notifications" message of Salesforce Outbound Messaging, and the check of the listener's Ack.</summary>
public static class OutboundMessageEnvelope
{
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";
    public static readonly XNamespace SObjects = "urn:sobject.enterprise.soap.sforce.com";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";

    public static string Build(OutboundBatch batch)
    {
        var notifications = new XElement(Outbound + "notifications",
            new XAttribute("xmlns", Outbound.NamespaceName),
            new XElement(Outbound + "OrganizationId", batch.OrganizationId),
            new XElement(Outbound + "ActionId", batch.ActionId),
            new XElement(Outbound + "SessionId", new XAttribute(Xsi + "nil", "true")),
            new XElement(Outbound + "EnterpriseUrl", batch.EnterpriseUrl),
            new XElement(Outbound + "PartnerUrl", batch.PartnerUrl));
        foreach (var notification in batch.Notifications)
        {
            notifications.Add(new XElement(Outbound + "Notification",
                new XElement(Outbound + "Id", notification.NotificationId),
                new XElement(Outbound + "sObject",
                    new XAttribute(Xsi + "type", "sf:" + notification.SObjectType),
                    new XAttribute(XNamespace.Xmlns + "sf", SObjects.NamespaceName),
                    notification.Fields.Select(f => new XElement(SObjects + f.Field, f.Value)))));
        }
        var envelope = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(Soap + "Envelope",
                new XAttribute(XNamespace.Xmlns + "soapenv", Soap.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "xsd", Xsd.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName),
                new XElement(Soap + "Body", notifications)));
        using var writer = new Utf8StringWriter();
        envelope.Save(writer, SaveOptions.None);
        return writer.ToString();
    }

    /// <summary>True when the response is a SOAP message whose Ack element says true.</summary>
    public static bool IsAcknowledged(string? response)
    {
        if (string.IsNullOrWhiteSpace(response))
            return false;
        try
        {
            var document = XDocument.Parse(response);
            return document.Descendants().Any(e => e.Name.LocalName == "Ack" && string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase));
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
