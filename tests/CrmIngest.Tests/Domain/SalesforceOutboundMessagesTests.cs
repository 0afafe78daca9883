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
}
