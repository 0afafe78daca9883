using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class SalesforceOutboundMessagesTests
{
    private const string Envelope = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>00D5g000004XyZaEAK</OrganizationId>
           <ActionId>04k5g000000Gm1QAAS</ActionId>
           <SessionId xsi:nil="true"/>
           <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/60.0/00D5g000004XyZa</EnterpriseUrl>
           <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/60.0/00D5g000004XyZa</PartnerUrl>
           <Notification>
            <Id>04l5g00000AbCdEAAV</Id>
            <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>0065g00000XyZ12AAB</sf:Id>
             <sf:AccountId>0015g00000QwErTAAZ</sf:AccountId>
             <sf:Amount>48000.0</sf:Amount>
             <sf:IsWon>true</sf:IsWon>
             <sf:Name>Acme — annual retainer</sf:Name>
             <sf:Description xsi:nil="true"/>
            </sObject>
           </Notification>
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    [Fact]
    public void An_outbound_message_parses_into_its_notifications()
    {
        var message = SalesforceOutboundMessages.Parse(Envelope);

        Assert.Equal("00D5g000004XyZaEAK", message.OrganizationId);
        Assert.Equal("04k5g000000Gm1QAAS", message.ActionId);
        var notification = Assert.Single(message.Notifications);
        Assert.Equal(("Opportunity", "0065g00000XyZ12AAB"), (notification.ObjectType, notification.RecordId));
        Assert.Equal("48000.0", notification.Fields["Amount"]);
        Assert.Equal("Acme — annual retainer", notification.Fields["Name"]);
        Assert.Null(notification.Fields["Description"]);
    }

    [Fact]
    public void Organization_ids_compare_on_their_fifteen_character_form()
    {
        Assert.True(SalesforceOutboundMessages.SameOrganization("00D5g000004XyZaEAK", "00D5g000004XyZa"));
        Assert.False(SalesforceOutboundMessages.SameOrganization("00D5g000004XyZaEAK", "00D5g000004XyZbEAK"));
        Assert.False(SalesforceOutboundMessages.SameOrganization("short", "short"));
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body/></soapenv:Envelope>")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")]
    public void Malformed_or_hostile_bodies_are_refused(string body) =>
        Assert.Throws<FormatException>(() => SalesforceOutboundMessages.Parse(body));

    [Fact]
    public void Ack_and_fault_envelopes_are_soap()
    {
        Assert.Contains("<Ack>true</Ack>", SalesforceOutboundMessages.Ack());
        var fault = SalesforceOutboundMessages.Fault("soapenv:Client", "Organization <x> & y is not this tenant's");
        Assert.Contains("<faultcode>soapenv:Client</faultcode>", fault);
        Assert.Contains("&lt;x&gt; &amp; y", fault);
        System.Xml.Linq.XDocument.Parse(fault);
    }

    [Theory]
    [InlineData("<sf:SystemModstamp>{0}</sf:SystemModstamp>")]
    [InlineData("<sf:LastModifiedDate>{0}</sf:LastModifiedDate>")]
    [InlineData("")]
    public void A_notification_whose_dedupe_key_would_not_fit_a_store_key_is_refused(string field)
    {
        var text = new string('k', 1_100);
        var body = field.Length == 0
            ? Envelope.Replace("04l5g00000AbCdEAAV", text, StringComparison.Ordinal)
            : Envelope.Replace("<sf:IsWon>", string.Format(System.Globalization.CultureInfo.InvariantCulture, field, text) + "<sf:IsWon>", StringComparison.Ordinal);

        var refused = Assert.Throws<FormatException>(() => SalesforceOutboundMessages.Parse(body));
        Assert.Contains("too long", refused.Message);
        // The same message with a real change stamp is read.
        Assert.Single(SalesforceOutboundMessages.Parse(Envelope.Replace("<sf:IsWon>", "<sf:SystemModstamp>2026-03-01T10:00:00.000Z</sf:SystemModstamp><sf:IsWon>", StringComparison.Ordinal)).Notifications);
    }
}
