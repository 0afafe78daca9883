using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

/// <summary>The receiving end of Outbound Messages and change events in these tests.</summary>
public static class OutboundMessages
{
    /// <summary>Where deliveries point, as for the platform's intake.</summary>
    public const string Path = "/webhooks/salesforce/demo-sf";

    /// <summary>The SOAP notificationsResponse a listener answers an Outbound Message with.</summary>
    public static string Ack(bool value) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + $"<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>{(value ? "true" : "false")}</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>";

    /// <summary>A receiver that acknowledges every notification unless a test says otherwise.</summary>
    public static Task<HttpReceiver> StartReceiverAsync() => HttpReceiver.StartAsync(Path, _ => (200, Ack(true)));
}
