using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>
/// Employee and Vendor: the people time is recorded for. A person needs a given or family name; the DisplayName is made
/// from them when left out, and it is unique across customers, vendors and employees, inactive ones included. Name
/// lists are deactivated, never deleted.
/// </summary>
public sealed class EmployeeTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    [Fact]
    public async Task An_employee_gets_a_display_name_from_the_name_parts_and_qbos_defaults()
    {
        var company = await sandbox.CompanyAsync();

        var employee = await company.CreateAsync("Employee", new
        {
            GivenName = "Emily",
            MiddleName = "Jane",
            FamilyName = "Platt",
            PrimaryEmailAddr = new { Address = "emily@firm.test" },
            SSN = "444-55-6666",
            HiredDate = "2024-03-01",
        });

        Assert.Equal(("Emily Jane Platt", "Emily Jane Platt", true, false, "XXX-XX-XXXX", "0"),
            (employee["DisplayName"]!.GetValue<string>(), employee["PrintOnCheckName"]!.GetValue<string>(), employee["Active"]!.GetValue<bool>(),
             employee["BillableTime"]!.GetValue<bool>(), employee["SSN"]!.GetValue<string>(), employee["SyncToken"]!.GetValue<string>()));
        var found = Assert.Single(await company.QueryListAsync("select * from Employee where DisplayName = 'Emily Jane Platt'", "Employee"));
        Assert.Equal(employee["Id"]!.GetValue<string>(), found!["Id"]!.GetValue<string>());
        Assert.Equal("emily@firm.test", (await company.ReadAsync("Employee", employee["Id"]!.GetValue<string>()))["PrimaryEmailAddr"]!["Address"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_employee_needs_a_given_or_family_name_a_valid_email_and_billable_time_for_a_bill_rate()
    {
        var company = await sandbox.CompanyAsync();

        var nameless = await company.PostAsync("employee", new { DisplayName = "Only A Display Name" });
        var badEmail = await company.PostAsync("employee", new { GivenName = "Ann", PrimaryEmailAddr = new { Address = "ann-at-firm" } });
        var colon = await company.PostAsync("employee", new { GivenName = "Ann:Marie" });
        var rateWithoutBillableTime = await company.PostAsync("employee", new { GivenName = "Ann", BillRate = 120 });
        var longTitle = await company.PostAsync("employee", new { GivenName = "Ann", Title = "Chief Executive Officer" });
        var billable = await company.CreateAsync("Employee", new { GivenName = "Ann", FamilyName = "Lee", BillableTime = true, BillRate = 120 });

        Assert.Equal(("2020", "GivenName"), (nameless.FaultCode, nameless.Fault!["Error"]![0]!["element"]!.GetValue<string>()));
        Assert.Equal(("6000", "6000", "6000", "2050"), (badEmail.FaultCode, colon.FaultCode, rateWithoutBillableTime.FaultCode, longTitle.FaultCode));
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.Status);
        Assert.Equal(120m, billable["BillRate"]!.GetValue<decimal>());
        Assert.Single(await Control.EntitiesAsync(company.Http, company.RealmId, "Employee"));
    }

    [Fact]
    public async Task Display_names_are_shared_by_customers_vendors_and_employees_inactive_ones_included()
    {
        var company = await sandbox.CompanyAsync();
        await company.CustomerAsync("Jordan Blake");
        var employee = await company.CreateAsync("Employee", new { GivenName = "Sam", FamilyName = "Ortiz" });
        await company.PostAsync("employee?operation=update", new { Id = employee["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Active = false });

        var employeeLikeCustomer = await company.PostAsync("employee", new { GivenName = "Jordan", FamilyName = "Blake" });
        var customerLikeInactiveEmployee = await company.PostAsync("customer", new { DisplayName = "sam ortiz " });
        var vendorLikeEmployee = await company.PostAsync("vendor", new { DisplayName = "Sam Ortiz" });
        var employeeLikeInactiveEmployee = await company.PostAsync("employee", new { GivenName = "Sam", FamilyName = "Ortiz" });

        Assert.Equal(["6240", "6240", "6240", "6240"],
            new[] { employeeLikeCustomer, customerLikeInactiveEmployee, vendorLikeEmployee, employeeLikeInactiveEmployee }.Select(r => r.FaultCode));
        Assert.Contains("employee", employeeLikeCustomer.FaultDetail);
        Assert.Empty(await company.QueryListAsync("select * from Employee where DisplayName = 'Sam Ortiz'", "Employee"));
        Assert.Single(await company.QueryListAsync("select * from Employee where Active = false", "Employee"));
    }

    [Fact]
    public async Task An_employee_is_renamed_by_a_sparse_update_and_cannot_be_deleted()
    {
        var company = await sandbox.CompanyAsync();
        var employee = await company.CreateAsync("Employee", new { GivenName = "Bill", FamilyName = "Miller" });
        var id = employee["Id"]!.GetValue<string>();

        var renamed = (await company.PostAsync("employee?operation=update", new { Id = id, SyncToken = "0", sparse = true, DisplayName = "William Miller" })).Entity("Employee");
        var stale = await company.PostAsync("employee?operation=update", new { Id = id, SyncToken = "0", sparse = true, DisplayName = "Will Miller" });
        var deleted = await company.PostAsync("employee?operation=delete", new { Id = id, SyncToken = "1" });

        Assert.Equal(("William Miller", "Bill", "1"), (renamed["DisplayName"]!.GetValue<string>(), renamed["GivenName"]!.GetValue<string>(), renamed["SyncToken"]!.GetValue<string>()));
        Assert.Equal(("5010", "500"), (stale.FaultCode, deleted.FaultCode));
    }

    [Fact]
    public async Task A_vendor_takes_its_display_name_from_the_name_parts_and_starts_with_no_balance()
    {
        var company = await sandbox.CompanyAsync();

        var vendor = await company.CreateAsync("Vendor", new { GivenName = "Dana", FamilyName = "Cole", CompanyName = "Cole Consulting", TaxIdentifier = "12-3456789" });
        var nameless = await company.PostAsync("vendor", new { CompanyName = "No Name Parts" });

        Assert.Equal(("Dana Cole", 0m, false, "XXX-XX-XXXX"),
            (vendor["DisplayName"]!.GetValue<string>(), vendor["Balance"]!.GetValue<decimal>(), vendor["Vendor1099"]!.GetValue<bool>(), vendor["TaxIdentifier"]!.GetValue<string>()));
        Assert.Equal("2020", nameless.FaultCode);
    }

    [Fact]
    public async Task Employees_come_back_from_change_data_capture()
    {
        var company = await sandbox.CompanyAsync();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var employee = await company.CreateAsync("Employee", new { GivenName = "Kai", FamilyName = "Ng" });

        var cdc = await company.GetAsync($"cdc?entities=Employee&changedSince={Uri.EscapeDataString(since)}");

        var changed = cdc.Json["CDCResponse"]![0]!["QueryResponse"]![0]!["Employee"]!.AsArray();
        Assert.Equal(employee["Id"]!.GetValue<string>(), Assert.Single(changed)!["Id"]!.GetValue<string>());
    }
}
