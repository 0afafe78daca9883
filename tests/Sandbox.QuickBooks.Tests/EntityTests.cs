using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>Create, read, update, deactivate, delete and void, with QBO's computed fields and business rules.</summary>
public sealed class EntityTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    [Fact]
    public async Task A_new_realm_is_seeded_with_accounts_terms_tax_codes_and_service_items()
    {
        var company = await sandbox.CompanyAsync();

        var accounts = await company.QueryListAsync("select * from Account maxresults 1000", "Account");
        Assert.Contains(accounts, a => a!["AccountType"]!.GetValue<string>() == "Accounts Receivable");
        Assert.Contains(accounts, a => a!["AccountType"]!.GetValue<string>() == "Income");
        Assert.Contains(accounts, a => a!["AccountType"]!.GetValue<string>() == "Bank");
        var terms = await company.QueryListAsync("select * from Term", "Term");
        Assert.Contains(terms, t => t!["Name"]!.GetValue<string>() == "Net 30" && t["DueDays"]!.GetValue<int>() == 30);
        var taxCodes = await company.QueryListAsync("select * from TaxCode", "TaxCode");
        Assert.Contains(taxCodes, t => t!["Id"]!.GetValue<string>() == "TAX");
        var items = await company.QueryListAsync("select * from Item where Type = 'Service'", "Item");
        Assert.True(items.Count >= 5);
        Assert.All(items, i => Assert.NotNull(i!["IncomeAccountRef"]?["value"]));
    }

    [Fact]
    public async Task Creating_a_customer_sets_id_sync_token_and_metadata()
    {
        var company = await sandbox.CompanyAsync();

        var customer = await company.CreateAsync("Customer", new { DisplayName = "Amy's Bird Sanctuary", PrimaryEmailAddr = new { Address = "birds@example.com" } });

        Assert.Matches("^[0-9]+$", customer["Id"]!.GetValue<string>());
        Assert.Equal("0", customer["SyncToken"]!.GetValue<string>());
        Assert.Equal("Amy's Bird Sanctuary", customer["FullyQualifiedName"]!.GetValue<string>());
        Assert.True(customer["Active"]!.GetValue<bool>());
        Assert.Equal(0m, customer["Balance"]!.GetValue<decimal>());
        var meta = customer["MetaData"]!;
        Assert.True(DateTimeOffset.TryParse(meta["CreateTime"]!.GetValue<string>(), out _));
        Assert.Equal(meta["CreateTime"]!.GetValue<string>(), meta["LastUpdatedTime"]!.GetValue<string>());
        var read = await company.ReadAsync("Customer", customer["Id"]!.GetValue<string>());
        Assert.Equal("birds@example.com", read["PrimaryEmailAddr"]!["Address"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_post_whose_body_names_an_id_is_an_update_even_without_the_operation_parameter()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CreateAsync("Customer", new { DisplayName = "Plain Post Ltd", Notes = "keep me" });

        var updated = (await company.PostAsync("customer", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, CompanyName = "Plain Post" })).Entity("Customer");

        Assert.Equal(customer["Id"]!.GetValue<string>(), updated["Id"]!.GetValue<string>());
        Assert.Equal("1", updated["SyncToken"]!.GetValue<string>());
        Assert.Equal("keep me", updated["Notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sparse_update_changes_only_what_it_sends_and_bumps_the_sync_token()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CreateAsync("Customer", new { DisplayName = "Sparse Ltd", CompanyName = "Sparse", Notes = "keep me" });

        var updated = (await company.PostAsync("customer?operation=update", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, CompanyName = "Sparse Holdings" })).Entity("Customer");

        Assert.Equal("1", updated["SyncToken"]!.GetValue<string>());
        Assert.Equal("Sparse Holdings", updated["CompanyName"]!.GetValue<string>());
        Assert.Equal("keep me", updated["Notes"]!.GetValue<string>());
        Assert.Equal(customer["MetaData"]!["CreateTime"]!.GetValue<string>(), updated["MetaData"]!["CreateTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_full_update_clears_what_it_leaves_out()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CreateAsync("Customer", new { DisplayName = "Full Ltd", Notes = "will be cleared" });

        var updated = (await company.PostAsync("customer?operation=update", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = "0", DisplayName = "Full Ltd" })).Entity("Customer");

        Assert.Equal("1", updated["SyncToken"]!.GetValue<string>());
        Assert.Null(updated["Notes"]);
    }

    [Fact]
    public async Task An_update_with_a_stale_sync_token_is_5010()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CreateAsync("Customer", new { DisplayName = "Stale Co" });
        var id = customer["Id"]!.GetValue<string>();
        (await company.PostAsync("customer?operation=update", new { Id = id, SyncToken = "0", sparse = true, Notes = "first" })).Entity("Customer");

        var stale = await company.PostAsync("customer?operation=update", new { Id = id, SyncToken = "0", sparse = true, Notes = "second" });

        Assert.Equal(HttpStatusCode.BadRequest, stale.Status);
        Assert.Equal("5010", stale.FaultCode);
        Assert.Equal("ValidationFault", stale.Fault!["type"]!.GetValue<string>());
        Assert.Equal("first", (await company.ReadAsync("Customer", id))["Notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_without_any_name_is_2020_required_param_missing()
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.PostAsync("customer", new { CompanyName = "No display name" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("2020", response.FaultCode);
        Assert.Equal("Required param missing, need to supply the required value for the API", response.Fault!["Error"]![0]!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_display_name_is_derived_from_the_person_name()
    {
        var company = await sandbox.CompanyAsync();

        var customer = await company.CreateAsync("Customer", new { GivenName = "Grace", FamilyName = "Hopper" });

        Assert.Equal("Grace Hopper", customer["DisplayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_duplicate_display_name_is_6240_even_when_the_other_customer_is_inactive()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CreateAsync("Customer", new { DisplayName = "Dup Traders" });
        var duplicate = await company.PostAsync("customer", new { DisplayName = "dup traders" });
        Assert.Equal("6240", duplicate.FaultCode);
        Assert.Equal("Duplicate Name Exists Error", duplicate.Fault!["Error"]![0]!["Message"]!.GetValue<string>());

        (await company.PostAsync("customer?operation=update", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Active = false })).Entity("Customer");
        var afterDeactivation = await company.PostAsync("customer", new { DisplayName = "Dup Traders" });

        Assert.Equal(HttpStatusCode.BadRequest, afterDeactivation.Status);
        Assert.Equal("6240", afterDeactivation.FaultCode);
    }

    [Fact]
    public async Task A_deactivated_customer_is_hidden_from_queries_unless_they_filter_on_active()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CreateAsync("Customer", new { DisplayName = "Gone Fishing" });
        (await company.PostAsync("customer?operation=update", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Active = false })).Entity("Customer");

        Assert.Empty(await company.QueryListAsync("select * from Customer where DisplayName = 'Gone Fishing'", "Customer"));
        var all = await company.QueryListAsync("select * from Customer where DisplayName = 'Gone Fishing' and Active IN (true, false)", "Customer");
        Assert.Single(all);
        Assert.False(all[0]!["Active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Name_list_entities_cannot_be_deleted_only_deactivated()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CustomerAsync();

        var response = await company.PostAsync("customer?operation=delete", new { Id = customer["Id"]!.GetValue<string>(), SyncToken = "0" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("500", response.FaultCode);
    }

    [Fact]
    public async Task An_invoice_gets_line_ids_a_subtotal_total_balance_doc_number_and_due_date()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CustomerAsync();

        var invoice = await company.CreateAsync("Invoice", new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customer["Id"]!.GetValue<string>() },
            ["TxnDate"] = "2026-03-02",
            ["SalesTermRef"] = new JsonObject { ["value"] = "4" },
            ["Line"] = new JsonArray(
                QboCompany.SalesLine(300m, "3", 2m, 150m),
                QboCompany.SalesLine(33.33m, "5", 0.19m, 175.42m),
                new JsonObject { ["Amount"] = 10m, ["DetailType"] = "DiscountLineDetail", ["DiscountLineDetail"] = new JsonObject { ["PercentBased"] = false } }),
        }.ToJsonString());

        Assert.Equal(323.33m, invoice["TotalAmt"]!.GetValue<decimal>());
        Assert.Equal(323.33m, invoice["Balance"]!.GetValue<decimal>());
        Assert.Matches("^[0-9]+$", invoice["DocNumber"]!.GetValue<string>());
        Assert.Equal("2026-04-01", invoice["DueDate"]!.GetValue<string>());
        Assert.Equal(customer["DisplayName"]!.GetValue<string>(), invoice["CustomerRef"]!["name"]!.GetValue<string>());
        var lines = invoice["Line"]!.AsArray();
        Assert.Equal("1", lines[0]!["Id"]!.GetValue<string>());
        Assert.Equal("Consulting", lines[0]!["SalesItemLineDetail"]!["ItemRef"]!["name"]!.GetValue<string>());
        var subtotal = Assert.Single(lines, l => l!["DetailType"]!.GetValue<string>() == "SubTotalLineDetail");
        Assert.Equal(333.33m, subtotal!["Amount"]!.GetValue<decimal>());

        var next = await company.InvoiceAsync(customer["Id"]!.GetValue<string>());
        Assert.Equal(long.Parse(invoice["DocNumber"]!.GetValue<string>()) + 1, long.Parse(next["DocNumber"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Sales_tax_from_the_tax_code_is_added_to_the_total()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CustomerAsync();
        var line = QboCompany.SalesLine(1000m, "3", 1m, 1000m);
        line["SalesItemLineDetail"]!["TaxCodeRef"] = new JsonObject { ["value"] = "TAX" };

        var invoice = await company.CreateAsync("Invoice", new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customer["Id"]!.GetValue<string>() },
            ["Line"] = new JsonArray(line, QboCompany.SalesLine(100m, "3", 1m, 100m)),
            ["TxnTaxDetail"] = new JsonObject { ["TxnTaxCodeRef"] = new JsonObject { ["value"] = "2" } },
        }.ToJsonString());

        Assert.Equal(72.5m, invoice["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>());
        Assert.Equal(1172.5m, invoice["TotalAmt"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData(3, 33.333, 100.00, true)]
    [InlineData(3, 33.335, 100.01, true)]
    [InlineData(2, 150, 299.99, false)]
    public async Task A_line_amount_must_equal_qty_times_unit_price_after_rounding(decimal qty, decimal unitPrice, decimal amount, bool accepted)
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CustomerAsync();

        var response = await company.PostAsync("invoice", new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customer["Id"]!.GetValue<string>() },
            ["Line"] = new JsonArray(QboCompany.SalesLine(amount, "3", qty, unitPrice)),
        }.ToJsonString());

        if (accepted)
        {
            Assert.Equal(amount, response.Entity("Invoice")["TotalAmt"]!.GetValue<decimal>());
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal("6000", response.FaultCode);
            Assert.Contains("Amount is not equal to UnitPrice * Qty", response.FaultDetail);
        }
    }

    [Fact]
    public async Task An_invoice_without_lines_or_customer_is_2020()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CustomerAsync();

        var noLines = await company.PostAsync("invoice", new { CustomerRef = new { value = customer["Id"]!.GetValue<string>() } });
        var noCustomer = await company.PostAsync("invoice", new JsonObject { ["Line"] = new JsonArray(QboCompany.SalesLine(150m, "3", 1m, 150m)) }.ToJsonString());

        Assert.Equal("2020", noLines.FaultCode);
        Assert.Contains("Line", noLines.FaultDetail);
        Assert.Equal("2020", noCustomer.FaultCode);
        Assert.Contains("CustomerRef", noCustomer.FaultDetail);
    }

    [Fact]
    public async Task An_unknown_reference_is_2500_and_an_inactive_one_is_610()
    {
        var company = await sandbox.CompanyAsync();
        var customer = await company.CustomerAsync();
        var customerRef = new JsonObject { ["value"] = customer["Id"]!.GetValue<string>() };

        var unknown = await company.PostAsync("invoice", new JsonObject
        {
            ["CustomerRef"] = customerRef.DeepClone(),
            ["Line"] = new JsonArray(QboCompany.SalesLine(10m, "9999")),
        }.ToJsonString());
        Assert.Equal("2500", unknown.FaultCode);
        Assert.Equal("Invalid Reference Id", unknown.Fault!["Error"]![0]!["Message"]!.GetValue<string>());

        var item = await company.CreateAsync("Item", new { Name = "Retired service", Type = "Service", IncomeAccountRef = new { value = "14" } });
        (await company.PostAsync("item?operation=update", new { Id = item["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Active = false })).Entity("Item");
        var inactive = await company.PostAsync("invoice", new JsonObject
        {
            ["CustomerRef"] = customerRef.DeepClone(),
            ["Line"] = new JsonArray(QboCompany.SalesLine(10m, item["Id"]!.GetValue<string>())),
        }.ToJsonString());
        Assert.Equal("610", inactive.FaultCode);
        Assert.Equal("Object Not Found", inactive.Fault!["Error"]![0]!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_duplicate_doc_number_is_6140_unless_allowduplicatedocnum_is_included()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        await company.InvoiceAsync(customerId, extra: new { DocNumber = "INV-7" });

        var duplicate = await company.PostAsync("invoice", Invoice(customerId, "INV-7"));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal("6140", duplicate.FaultCode);

        var allowed = await company.PostAsync("invoice?include=allowduplicatedocnum", Invoice(customerId, "INV-7"));
        Assert.Equal("INV-7", allowed.Entity("Invoice")["DocNumber"]!.GetValue<string>());

        var tooLong = await company.PostAsync("invoice", Invoice(customerId, new string('9', 22)));
        Assert.Equal("2050", tooLong.FaultCode);

        static string Invoice(string customerId, string docNumber) => new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customerId },
            ["DocNumber"] = docNumber,
            ["Line"] = new JsonArray(QboCompany.SalesLine(150m, "3", 1m, 150m)),
        }.ToJsonString();
    }

    [Fact]
    public async Task An_invoice_keeps_its_notes_terms_class_location_and_line_details_and_a_customer_memo_over_1000_characters_is_2050()
    {
        var company = await sandbox.CompanyAsync();
        var customerId = (await company.CustomerAsync())["Id"]!.GetValue<string>();
        var classId = (await company.CreateAsync("Class", new { Name = "Consulting" }))["Id"]!.GetValue<string>();
        var locationId = (await company.CreateAsync("Department", new { Name = "Leeds" }))["Id"]!.GetValue<string>();
        var line = QboCompany.SalesLine(300m, "3", 2m, 150m);
        line["SalesItemLineDetail"]!["ClassRef"] = new JsonObject { ["value"] = classId };
        line["SalesItemLineDetail"]!["TaxCodeRef"] = new JsonObject { ["value"] = "NON" };
        line["SalesItemLineDetail"]!["ServiceDate"] = "2026-02-27";
        JsonObject Invoice(string memo) => new()
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customerId },
            ["TxnDate"] = "2026-03-02",
            ["SalesTermRef"] = new JsonObject { ["value"] = "3" },
            ["ClassRef"] = new JsonObject { ["value"] = classId },
            ["DepartmentRef"] = new JsonObject { ["value"] = locationId },
            ["PrivateNote"] = "Phase 1 of 3",
            ["CustomerMemo"] = new JsonObject { ["value"] = memo },
            ["Line"] = new JsonArray(line.DeepClone()),
        };

        var invoice = await company.CreateAsync("Invoice", Invoice("PO: 4500012345\nThank you.").ToJsonString());
        var tooLong = await company.PostAsync("invoice", Invoice(new string('x', 1001)).ToJsonString());

        Assert.Equal(("Net 15", "2026-03-17", "Consulting", "Leeds", "Phase 1 of 3", "PO: 4500012345\nThank you."),
            (invoice["SalesTermRef"]!["name"]!.GetValue<string>(), invoice["DueDate"]!.GetValue<string>(), invoice["ClassRef"]!["name"]!.GetValue<string>(),
             invoice["DepartmentRef"]!["name"]!.GetValue<string>(), invoice["PrivateNote"]!.GetValue<string>(), invoice["CustomerMemo"]!["value"]!.GetValue<string>()));
        var detail = invoice["Line"]![0]!["SalesItemLineDetail"]!;
        Assert.Equal(("Consulting", "NON", "2026-02-27"),
            (detail["ClassRef"]!["name"]!.GetValue<string>(), detail["TaxCodeRef"]!["value"]!.GetValue<string>(), detail["ServiceDate"]!.GetValue<string>()));
        Assert.Equal("2050", tooLong.FaultCode);
    }

    [Fact]
    public async Task Voiding_an_invoice_keeps_it_with_zero_amounts()
    {
        var company = await sandbox.CompanyAsync();
        var invoice = await company.InvoiceAsync((await company.CustomerAsync())["Id"]!.GetValue<string>());

        var voided = (await company.PostAsync("invoice?operation=void", new { Id = invoice["Id"]!.GetValue<string>(), SyncToken = "0" })).Entity("Invoice");

        Assert.Equal(0m, voided["TotalAmt"]!.GetValue<decimal>());
        Assert.Equal(0m, voided["Balance"]!.GetValue<decimal>());
        Assert.Equal("1", voided["SyncToken"]!.GetValue<string>());
        Assert.StartsWith("Voided", voided["PrivateNote"]!.GetValue<string>());
        Assert.Equal(0m, (await company.ReadAsync("Invoice", invoice["Id"]!.GetValue<string>()))["TotalAmt"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Deleting_an_invoice_removes_it()
    {
        var company = await sandbox.CompanyAsync();
        var invoice = await company.InvoiceAsync((await company.CustomerAsync())["Id"]!.GetValue<string>());
        var id = invoice["Id"]!.GetValue<string>();

        var stale = await company.PostAsync("invoice?operation=delete", new { Id = id, SyncToken = "7" });
        Assert.Equal("5010", stale.FaultCode);
        var deleted = (await company.PostAsync("invoice?operation=delete", new { Id = id, SyncToken = "0" })).Entity("Invoice");

        Assert.Equal("Deleted", deleted["status"]!.GetValue<string>());
        var read = await company.GetAsync("invoice/" + id);
        Assert.Equal(HttpStatusCode.BadRequest, read.Status);
        Assert.Equal("610", read.FaultCode);
    }

    [Fact]
    public async Task An_item_needs_a_name_a_type_and_an_income_account()
    {
        var company = await sandbox.CompanyAsync();

        Assert.Equal("2020", (await company.PostAsync("item", new { Type = "Service", IncomeAccountRef = new { value = "14" } })).FaultCode);
        Assert.Equal("2020", (await company.PostAsync("item", new { Name = "No account", Type = "Service" })).FaultCode);
        Assert.Equal("2170", (await company.PostAsync("item", new { Name = "Odd type", Type = "Gadget", IncomeAccountRef = new { value = "14" } })).FaultCode);
        Assert.Equal("6240", (await company.PostAsync("item", new { Name = "Consulting", Type = "Service", IncomeAccountRef = new { value = "14" } })).FaultCode);
        var item = await company.CreateAsync("Item", new { Name = "Workshop", Type = "Service", UnitPrice = 900, IncomeAccountRef = new { value = "16" } });
        Assert.Equal("Training Income", item["IncomeAccountRef"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Terms_classes_departments_and_accounts_follow_the_name_rules()
    {
        var company = await sandbox.CompanyAsync();

        var term = await company.CreateAsync("Term", new { Name = "Net 45", DueDays = 45 });
        Assert.Equal("STANDARD", term["Type"]!.GetValue<string>());
        Assert.Equal("6240", (await company.PostAsync("term", new { Name = "Net 45" })).FaultCode);

        var parent = await company.CreateAsync("Class", new { Name = "Consulting" });
        var child = await company.CreateAsync("Class", new { Name = "Strategy", ParentRef = new { value = parent["Id"]!.GetValue<string>() } });
        Assert.Equal("Consulting:Strategy", child["FullyQualifiedName"]!.GetValue<string>());
        Assert.True(child["SubClass"]!.GetValue<bool>());

        var department = await company.CreateAsync("Department", new { Name = "Berlin" });
        Assert.Equal("6240", (await company.PostAsync("department", new { Name = "berlin" })).FaultCode);
        (await company.PostAsync("department?operation=update", new { Id = department["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Active = false })).Entity("Department");

        var account = await company.CreateAsync("Account", new { Name = "Retainer Income", AccountType = "Income", AccountSubType = "ServiceFeeIncome" });
        Assert.Equal("Revenue", account["Classification"]!.GetValue<string>());
        Assert.Equal("2020", (await company.PostAsync("account", new { Name = "No type" })).FaultCode);
        Assert.Equal("2170", (await company.PostAsync("account", new { Name = "Odd", AccountType = "Piggy Bank" })).FaultCode);
    }

    [Fact]
    public async Task Tax_codes_are_read_only()
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.PostAsync("taxcode", new { Name = "Mine" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("500", response.FaultCode);
        Assert.Equal("TAX", (await company.ReadAsync("TaxCode", "TAX"))["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Company_info_and_preferences_can_be_read()
    {
        var company = await sandbox.CompanyAsync();

        var info = await company.ReadAsync("CompanyInfo", company.RealmId);
        var preferences = (await company.GetAsync("preferences")).Entity("Preferences");

        Assert.StartsWith("realm-", info["CompanyName"]!.GetValue<string>());
        Assert.NotNull(preferences["SalesFormsPrefs"]);
    }

    [Fact]
    public async Task Minorversion_and_format_parameters_are_accepted_and_the_answer_is_json()
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.GetAsync("term/4?minorversion=75&format=json");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("Net 30", response.Entity("Term")["Name"]!.GetValue<string>());
        Assert.NotNull(response.Json["time"]);
    }

    [Fact]
    public async Task An_unknown_resource_is_the_unsupported_operation_fault()
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.GetAsync("widget/1");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("500", response.FaultCode);
    }
}
