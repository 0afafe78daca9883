using System.Text.Json;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>
/// SyncCustomer on the test harness with accounting-sync's real QuickBooks client against the QuickBooks sandbox process:
/// each test asserts what the sandbox company holds afterwards and what accounting-sync answered.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class SyncCustomerConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("4f2a9c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private QuickBooksCompanyHarness _company = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox);
        await _company.ConnectAsync(Tenant);
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    /// <summary>Contoso Logistics as master data holds it at revision 3.</summary>
    private static SyncCustomer Contoso(int revision = 3) => new()
    {
        TenantId = Tenant,
        CustomerId = ContosoId,
        Revision = revision,
        DisplayName = "Contoso Logistics Ltd",
        CompanyName = "Contoso Logistics Ltd",
        PrimaryEmail = "ap@contoso-logistics.test",
        Phone = "+44 113 496 0000",
        BillingAddress = new PostalAddress { Line1 = "10 King Street", City = "Leeds", Region = "West Yorkshire", PostalCode = "LS1 2HL", Country = "GB" },
        ShippingAddress = new PostalAddress { Line1 = "Unit 4, Aire Valley Park", City = "Leeds", PostalCode = "LS9 0PS", Country = "GB" },
        PaymentTerms = "Net 30",
    };

    private async Task<List<JsonElement>> CustomersAsync() => await _company.EntitiesAsync("customer");

    private static string Text(JsonElement entity, params string[] path)
    {
        foreach (var step in path)
            entity = entity.GetProperty(step);
        return entity.ValueKind == JsonValueKind.String ? entity.GetString()! : entity.ToString();
    }

    private Task<CustomerSynced> SyncedAsync(int revision = 3) =>
        _company.PublishedAsync<CustomerSynced>(m => m.CustomerId == ContosoId && m.Revision == revision);

    private Task<CustomerSyncFailed> FailedAsync(int revision = 3) =>
        _company.PublishedAsync<CustomerSyncFailed>(m => m.CustomerId == ContosoId && m.Revision == revision);

    [Fact]
    public async Task A_new_customer_is_created_in_QuickBooks_with_its_contact_addresses_and_terms()
    {
        await _company.Harness.DeliverAsync(Contoso());

        var synced = await SyncedAsync();
        var customer = Assert.Single(await CustomersAsync());
        Assert.Equal((Text(customer, "Id"), "Contoso Logistics Ltd", false, null), (synced.AccountingCustomerRef, synced.DisplayName, synced.Linked, synced.Note));
        Assert.Equal(("Contoso Logistics Ltd", "Contoso Logistics Ltd", "ap@contoso-logistics.test", "+44 113 496 0000"),
            (Text(customer, "DisplayName"), Text(customer, "CompanyName"), Text(customer, "PrimaryEmailAddr", "Address"), Text(customer, "PrimaryPhone", "FreeFormNumber")));
        Assert.Equal(("10 King Street", "West Yorkshire", "LS1 2HL", "Unit 4, Aire Valley Park"),
            (Text(customer, "BillAddr", "Line1"), Text(customer, "BillAddr", "CountrySubDivisionCode"), Text(customer, "BillAddr", "PostalCode"), Text(customer, "ShipAddr", "Line1")));
        Assert.Equal(("Net 30", true), (Text(customer, "SalesTermRef", "name"), customer.GetProperty("Taxable").GetBoolean()));
        Assert.Empty(_company.Harness.Published<CustomerSyncFailed>());
    }

    [Fact]
    public async Task A_redelivered_command_and_the_same_revision_sent_again_leave_one_customer()
    {
        var messageId = await _company.Harness.DeliverAsync(Contoso());
        await _company.Harness.PublishAsync(Contoso(), messageId);
        await _company.Harness.ConsumedAsync<SyncCustomer>(messageId, times: 2);
        await _company.OutboundDrainedAsync();
        await _company.Harness.DeliverAsync(Contoso()); // master data asking again, as a new message, once the first was answered
        await _company.OutboundDrainedAsync();

        var customer = Assert.Single(await CustomersAsync());
        var answers = _company.Harness.Published<CustomerSynced>();
        Assert.Equal(2, answers.Count); // the inbox swallowed the re-delivery; the second request is answered again
        Assert.All(answers, a => Assert.Equal((Text(customer, "Id"), false), (a.AccountingCustomerRef, a.Linked)));
    }

    [Fact]
    public async Task A_linked_customer_is_sparse_updated_and_keeps_what_only_QuickBooks_holds()
    {
        var existing = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer
        {
            DisplayName = "Contoso Logistics", PrimaryEmailAddr = new QboEmail { Address = "old@contoso-logistics.test" }, Notes = "Key account; call before chasing.",
        });

        await _company.Harness.DeliverAsync(Contoso() with { AccountingCustomerRef = existing.Id, PrimaryEmail = "finance@contoso-logistics.test" });

        var synced = await SyncedAsync();
        var customer = Assert.Single(await CustomersAsync());
        Assert.Equal((existing.Id, "Contoso Logistics Ltd", false), (synced.AccountingCustomerRef, synced.DisplayName, synced.Linked));
        Assert.Equal(("Contoso Logistics Ltd", "finance@contoso-logistics.test", "Key account; call before chasing.", "1"),
            (Text(customer, "DisplayName"), Text(customer, "PrimaryEmailAddr", "Address"), Text(customer, "Notes"), Text(customer, "SyncToken")));
    }

    [Fact]
    public async Task A_QuickBooks_customer_with_the_same_display_name_is_linked_instead_of_created_twice()
    {
        var existing = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });

        await _company.Harness.DeliverAsync(Contoso());

        var synced = await SyncedAsync();
        var customer = Assert.Single(await CustomersAsync());
        Assert.Equal((existing.Id, true), (synced.AccountingCustomerRef, synced.Linked));
        Assert.Contains("same display name", synced.Note);
        Assert.Equal("ap@contoso-logistics.test", Text(customer, "PrimaryEmailAddr", "Address"));
    }

    [Fact]
    public async Task A_QuickBooks_customer_with_the_same_primary_email_is_linked_and_renamed()
    {
        var existing = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer
        {
            DisplayName = "Contoso (Leeds)", PrimaryEmailAddr = new QboEmail { Address = "ap@contoso-logistics.test" },
        });

        await _company.Harness.DeliverAsync(Contoso());

        var synced = await SyncedAsync();
        var customer = Assert.Single(await CustomersAsync());
        Assert.Equal((existing.Id, true, "Contoso Logistics Ltd"), (synced.AccountingCustomerRef, synced.Linked, Text(customer, "DisplayName")));
        Assert.Contains("primary email", synced.Note);
    }

    [Fact]
    public async Task A_name_held_by_an_inactive_QuickBooks_customer_gets_the_customers_suffix()
    {
        var old = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
        await _company.DeactivateInQuickBooksAsync(Tenant, old);

        await _company.Harness.DeliverAsync(Contoso());

        var synced = await SyncedAsync();
        Assert.Equal(("Contoso Logistics Ltd (Q2C 4f2a)", false), (synced.DisplayName, synced.Linked));
        Assert.Contains("already used in QuickBooks", synced.Note);
        var customers = await CustomersAsync();
        Assert.Equal(2, customers.Count);
        var created = Assert.Single(customers, c => Text(c, "Id") == synced.AccountingCustomerRef);
        Assert.Equal(("Contoso Logistics Ltd (Q2C 4f2a)", "True"), (Text(created, "DisplayName"), Text(created, "Active")));
    }

    [Fact]
    public async Task A_tax_exempt_customer_is_non_taxable_with_the_closest_standard_reason_and_its_certificate()
    {
        await _company.Harness.DeliverAsync(Contoso() with
        {
            Taxable = false, TaxExemptionReason = "Registered charity (Charities Commission)", TaxExemptionCertificate = "CC-1180042",
        });

        await SyncedAsync();
        var customer = Assert.Single(await CustomersAsync());
        Assert.Equal((false, "5", "CC-1180042"),
            (customer.GetProperty("Taxable").GetBoolean(), Text(customer, "TaxExemptionReasonId"), Text(customer, "ResaleNum")));
    }

    [Fact]
    public async Task Payment_terms_QuickBooks_does_not_have_are_refused_in_plain_words_and_nothing_is_created()
    {
        await _company.Harness.DeliverAsync(Contoso() with { PaymentTerms = "Net 45" });

        var failed = await FailedAsync();
        Assert.Equal(("Validation", "unknown-terms"), (failed.Kind, failed.Code));
        Assert.Contains("payment terms 'Net 45' do not exist in QuickBooks", failed.Reason);
        Assert.Empty(await CustomersAsync());
        Assert.Empty(_company.Harness.Published<CustomerSynced>());
    }

    [Fact]
    public async Task A_currency_other_than_the_home_currency_of_a_single_currency_company_is_refused()
    {
        await _company.Harness.DeliverAsync(Contoso() with { Currency = Currency });

        var failed = await FailedAsync();
        Assert.Equal("Validation", failed.Kind);
        Assert.Contains("billed in GBP", failed.Reason);
        Assert.Contains("only in USD", failed.Reason);
        Assert.Empty(await CustomersAsync());
    }

    [Fact]
    public async Task A_tenant_without_a_QuickBooks_connection_is_answered_not_connected()
    {
        await _company.Harness.DeliverAsync(Contoso() with { TenantId = "northwind" });

        var failed = await _company.PublishedAsync<CustomerSyncFailed>(m => m.TenantId == "northwind");
        Assert.Equal("NotConnected", failed.Kind);
        Assert.Contains("QuickBooks is not connected for this tenant", failed.Reason);
        Assert.Empty(await CustomersAsync());
    }

    [Fact]
    public async Task A_merged_duplicate_is_made_inactive_in_QuickBooks()
    {
        var duplicate = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics (duplicate)" });

        await _company.Harness.DeliverAsync(Contoso() with { AccountingCustomerRef = duplicate.Id, MakeInactive = true });

        var synced = await SyncedAsync();
        Assert.Equal(duplicate.Id, synced.AccountingCustomerRef);
        var customer = Assert.Single(await CustomersAsync());
        Assert.Equal(("False", "Contoso Logistics (duplicate)"), (Text(customer, "Active"), Text(customer, "DisplayName")));
    }

    [Fact]
    public async Task A_sub_customer_is_a_job_under_its_parent_and_bills_with_it()
    {
        var parent = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Group" });

        await _company.Harness.DeliverAsync(Contoso() with { ParentAccountingRef = parent.Id, BillWithParent = true });

        var synced = await SyncedAsync();
        var child = Assert.Single(await CustomersAsync(), c => Text(c, "Id") == synced.AccountingCustomerRef);
        Assert.Equal((parent.Id, "True", "True", "Contoso Group:Contoso Logistics Ltd"),
            (Text(child, "ParentRef", "value"), Text(child, "Job"), Text(child, "BillWithParent"), Text(child, "FullyQualifiedName")));
    }
}
