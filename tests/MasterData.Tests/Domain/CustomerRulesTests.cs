using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain;

namespace QuoteToCash.MasterData.Tests.Domain;

public class CustomerRulesTests
{
    private static CustomerSnapshot Complete() => new()
    {
        ExternalId = "company-7",
        LegalName = "Contoso Consulting Ltd ",
        Domain = "contoso.test",
        BillingAddress = new PostalAddress { Line1 = "10 King St", City = "Leeds", Country = "GB" },
        Contacts = [new ContactPerson { Email = "sales@contoso.test" }, new ContactPerson { Email = "ap@contoso.test", IsBillingContact = true }],
    };

    [Fact]
    public void A_complete_snapshot_makes_an_approved_customer()
    {
        var customer = new GoldenCustomer();

        CustomerRules.ApplyCrmSnapshot(customer, Complete(), "HubSpot");

        Assert.Equal(CustomerStatus.Approved, customer.Status);
        Assert.Empty(customer.MissingFields);
        Assert.Equal("Contoso Consulting Ltd", customer.LegalName);
        Assert.Equal("Contoso Consulting Ltd", customer.DisplayName);
        Assert.Equal(["hubspot:company-7"], customer.CrmReferences);
        Assert.Equal(1, customer.Revision);
    }

    [Fact]
    public void Missing_billing_fields_keep_the_customer_in_draft_and_are_named()
    {
        var customer = new GoldenCustomer();

        CustomerRules.ApplyCrmSnapshot(customer, Complete() with
        {
            BillingAddress = new PostalAddress { Line1 = "10 King St" },
            Contacts = [new ContactPerson { Email = "sales@contoso.test" }],
        }, "hubspot");

        Assert.Equal(CustomerStatus.Draft, customer.Status);
        Assert.Equal(["billing address city", "billing address country", "billing contact email"], customer.MissingFields);
    }

    [Fact]
    public void The_golden_id_is_stable_per_tenant_and_crm_record()
    {
        Assert.Equal(CustomerRules.CustomerIdFor("demo", "hubspot", "7"), CustomerRules.CustomerIdFor("demo", "HubSpot", "7"));
        Assert.NotEqual(CustomerRules.CustomerIdFor("demo", "hubspot", "7"), CustomerRules.CustomerIdFor("demo-sf", "hubspot", "7"));
        Assert.NotEqual(CustomerRules.CustomerIdFor("demo", "hubspot", "7"), CustomerRules.CustomerIdFor("demo", "salesforce", "7"));
    }

    [Fact]
    public void A_second_crm_update_keeps_the_display_name_finance_chose_and_counts_the_revision()
    {
        var customer = new GoldenCustomer();
        CustomerRules.ApplyCrmSnapshot(customer, Complete(), "hubspot");
        customer.DisplayName = "Contoso (UK)";

        CustomerRules.ApplyCrmSnapshot(customer, Complete() with { LegalName = "Contoso Consulting Limited" }, "hubspot");

        Assert.Equal("Contoso (UK)", customer.DisplayName);
        Assert.Equal("Contoso Consulting Limited", customer.LegalName);
        Assert.Single(customer.CrmReferences);
        Assert.Equal(2, customer.Revision);
    }
}
