using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Domain;

public class CustomerRulesTests
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly MasterDataPolicy Policy = MasterDataPolicy.Default(Tenant);

    private static GoldenCustomer FromCrm(CustomerSnapshot snapshot, MasterDataPolicy? policy = null)
    {
        var customer = new GoldenCustomer { TenantId = Tenant };
        CustomerEditor.Apply(customer, CustomerEditor.FromCrmSnapshot(snapshot), ChangeSource.Crm(Crm), policy ?? Policy, At);
        CustomerLifecycle.Reassess(customer, policy ?? Policy, duplicateQuestionOpen: false, At);
        return customer;
    }

    [Fact]
    public void A_complete_crm_customer_is_approved_by_policy_with_the_tenants_default_terms()
    {
        var customer = FromCrm(Contoso());

        Assert.Equal(CustomerStatus.Approved, customer.Status);
        Assert.Equal(CustomerLifecycle.PolicyActor, customer.ApprovedBy);
        Assert.Empty(customer.MissingFields);
        Assert.Equal("Contoso Logistics Ltd", customer.DisplayName);
        Assert.Null(customer.PaymentTerms);
        Assert.Equal("Net 30", Policy.EffectiveTerms(customer));
    }

    [Fact]
    public void Missing_billing_fields_keep_the_customer_in_draft_and_are_named_in_finance_language()
    {
        var customer = FromCrm(Contoso() with
        {
            BillingAddress = new PostalAddress { Line1 = "10 King Street" },
            Contacts = [new ContactPerson { Email = "priya.shah@contoso-logistics.test" }],
        });

        Assert.Equal(CustomerStatus.Draft, customer.Status);
        Assert.Equal(["missing billing address city", "missing billing address country", "missing billing contact email"], customer.MissingFields);
    }

    [Fact]
    public void Without_default_terms_a_customer_without_terms_of_its_own_waits()
    {
        var policy = MasterDataPolicy.Default(Tenant);
        policy.DefaultPaymentTerms = null;

        var customer = FromCrm(Contoso(), policy);

        Assert.Equal(["missing payment terms"], customer.MissingFields);
    }

    [Fact]
    public void A_tenant_that_approves_every_customer_itself_keeps_complete_customers_in_draft()
    {
        var policy = MasterDataPolicy.Default(Tenant);
        policy.AutoApproveComplete = false;

        var customer = FromCrm(Contoso(), policy);

        Assert.Equal(CustomerStatus.Draft, customer.Status);
        Assert.Empty(customer.MissingFields);
    }

    [Fact]
    public void Invalid_values_are_reasons_too()
    {
        var customer = FromCrm(Contoso() with
        {
            BillingAddress = new PostalAddress { Line1 = "1 Rue", City = "Paris", Country = "Frankreich" },
            Contacts = [new ContactPerson { Email = "ap(at)contoso", IsBillingContact = true }],
            TaxId = "?",
        });
        customer.Currency = "EURO";
        customer.TaxStatus = TaxStatus.Exempt;

        Assert.Equal(
        [
            "billing address country 'Frankreich' is not an ISO 3166 two-letter code",
            "contact email 'ap(at)contoso' is not a valid email address",
            "currency 'EURO' is not an ISO 4217 code",
            "tax ID •••• is not a valid tax ID",
            "missing tax exemption reason for a tax-exempt customer",
        ], CustomerValidation.Reasons(customer, Policy));
    }

    [Fact]
    public void Common_country_names_become_iso_codes()
    {
        var customer = FromCrm(Contoso() with { BillingAddress = new PostalAddress { Line1 = "5 Main St", City = "Austin", Country = "United States" } });

        Assert.Equal("US", customer.BillingAddress!.Country);
        Assert.Equal(CustomerStatus.Approved, customer.Status);
    }

    [Fact]
    public void A_customer_that_loses_required_data_goes_back_to_draft()
    {
        var customer = FromCrm(Contoso());

        CustomerEditor.Apply(customer, [new(CustomerFields.Get(FieldNames.Contacts), new List<ContactPerson> { new() { Email = "ap@contoso-logistics.test" } })],
            ChangeSource.Crm(Crm), Policy, At);
        var change = CustomerLifecycle.Reassess(customer, Policy, false, At);

        Assert.Equal(CustomerStatus.Draft, customer.Status);
        Assert.Equal(("status", "Approved", "Draft"), (change!.Field, change.OldValue, change.NewValue));
    }

    [Fact]
    public void The_golden_id_is_stable_per_tenant_and_crm_record()
    {
        Assert.Equal(CustomerRules.CustomerIdFor("demo", "hubspot", "7"), CustomerRules.CustomerIdFor("demo", "HubSpot", "7"));
        Assert.NotEqual(CustomerRules.CustomerIdFor("demo", "hubspot", "7"), CustomerRules.CustomerIdFor("demo-sf", "hubspot", "7"));
        Assert.NotEqual(CustomerRules.CustomerIdFor("demo", "hubspot", "7"), CustomerRules.CustomerIdFor("demo", "salesforce", "7"));
    }

    [Fact]
    public void A_crm_update_keeps_the_display_name_finance_chose()
    {
        var customer = FromCrm(Contoso());
        CustomerEditor.Apply(customer, [new(CustomerFields.Get(FieldNames.DisplayName), "Contoso (UK)")], ChangeSource.Finance("maria"), Policy, At);

        var outcome = CustomerEditor.Apply(customer, CustomerEditor.FromCrmSnapshot(Contoso() with { LegalName = "Contoso Logistics Limited" }),
            ChangeSource.Crm(Crm), Policy, At);

        Assert.Equal("Contoso (UK)", customer.DisplayName);
        Assert.Equal("Contoso Logistics Limited", customer.LegalName);
        Assert.Equal([FieldNames.LegalName], outcome.Applied.Select(a => a.Field));
        Assert.Empty(outcome.Conflicts);
    }
}

public class FieldOwnershipTests
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly MasterDataPolicy Policy = MasterDataPolicy.Default(Tenant);

    [Fact]
    public void Finance_may_fill_a_field_the_crm_left_empty()
    {
        var customer = new GoldenCustomer { LegalName = "Contoso Logistics Ltd" };
        var address = new PostalAddress { Line1 = "10 King Street", City = "Leeds", Country = "GB" };

        var outcome = CustomerEditor.Apply(customer, [new(CustomerFields.Get(FieldNames.BillingAddress), address)], ChangeSource.Finance("maria"), Policy, At, "from the signed contract");

        var change = Assert.Single(outcome.Applied);
        Assert.Equal((FieldNames.BillingAddress, null, "finance", "maria", "from the signed contract"), (change.Field, change.OldValue, change.Source, change.Actor, change.Reason));
        Assert.Contains("\"city\":\"Leeds\"", change.NewValue);
        Assert.Equal(address, customer.BillingAddress);
    }

    [Fact]
    public void A_change_by_the_side_that_does_not_own_a_filled_field_is_held_as_a_conflict()
    {
        var customer = new GoldenCustomer { LegalName = "Contoso Logistics Ltd", PaymentTerms = "Net 15" };

        var byFinance = CustomerEditor.Apply(customer, [new(CustomerFields.Get(FieldNames.LegalName), "Contoso Ltd")], ChangeSource.Finance("maria"), Policy, At);
        var byCrm = CustomerEditor.Apply(customer, [new(CustomerFields.Get(FieldNames.PaymentTerms), "Net 60")], ChangeSource.Crm("hubspot"), Policy, At);

        Assert.Empty(byFinance.Applied);
        Assert.Equal(FieldNames.LegalName, Assert.Single(byFinance.Conflicts).Field.Name);
        Assert.Empty(byCrm.Applied);
        Assert.Equal("Net 60", Assert.Single(byCrm.Conflicts).ProposedValue);
        Assert.Equal(("Contoso Logistics Ltd", "Net 15"), (customer.LegalName, customer.PaymentTerms));
    }

    [Fact]
    public void A_tenant_can_hand_a_field_to_the_other_side()
    {
        var policy = MasterDataPolicy.Default(Tenant);
        policy.FieldOwners[FieldNames.BillingAddress] = FieldOwner.Finance;
        var customer = new GoldenCustomer { BillingAddress = new PostalAddress { Line1 = "1 Old Road", City = "York", Country = "GB" } };

        var outcome = CustomerEditor.Apply(customer, [new(CustomerFields.Get(FieldNames.BillingAddress), new PostalAddress { Line1 = "2 New Road", City = "York", Country = "GB" })],
            ChangeSource.Crm("hubspot"), policy, At);

        Assert.Single(outcome.Conflicts);
        Assert.Equal("1 Old Road", customer.BillingAddress.Line1);
    }

    [Fact]
    public void An_unchanged_value_is_no_change()
    {
        var customer = new GoldenCustomer { LegalName = "Contoso Logistics Ltd" };

        var outcome = CustomerEditor.Apply(customer, [new(CustomerFields.Get(FieldNames.LegalName), "Contoso Logistics Ltd")], ChangeSource.Crm("hubspot"), Policy, At);

        Assert.False(outcome.Changed);
        Assert.Empty(outcome.Conflicts);
    }
}
