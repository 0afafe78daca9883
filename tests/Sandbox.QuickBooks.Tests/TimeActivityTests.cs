using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

/// <summary>
/// TimeActivity: a consultant's hours for a client, as the 25-consultant firm records them. NameOf picks the employee or
/// vendor reference; Hours and Minutes or StartTime and EndTime give the duration; billable time needs a customer and a
/// rate; HasBeenBilled is never the client's to set. Create, read, update, delete, query, batch and requestid as for
/// other transactions, webhooks too, but no change data capture.
/// </summary>
public sealed class TimeActivityTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private const string ConsultingItemId = "3";

    private async Task<(QboCompany Company, string EmployeeId, string CustomerId)> ConsultantAndClientAsync(string? webhookUrl = null)
    {
        var company = await sandbox.CompanyAsync(webhookUrl);
        var employee = await company.CreateAsync("Employee", new { GivenName = "Priya", FamilyName = "Shah", BillableTime = true, BillRate = 150 });
        var customer = await company.CustomerAsync("Contoso Ltd " + Guid.NewGuid().ToString("N")[..6]);
        return (company, employee["Id"]!.GetValue<string>(), customer["Id"]!.GetValue<string>());
    }

    private static object Billable(string employeeId, string customerId, int hours = 3, int minutes = 30) => new
    {
        TxnDate = "2026-03-02",
        NameOf = "Employee",
        EmployeeRef = new { value = employeeId },
        CustomerRef = new { value = customerId },
        ItemRef = new { value = ConsultingItemId },
        BillableStatus = "Billable",
        HourlyRate = 150,
        Hours = hours,
        Minutes = minutes,
        Description = "Discovery workshop",
    };

    [Fact]
    public async Task Billable_time_is_recorded_for_the_employee_customer_and_service_with_names_filled_in()
    {
        var (company, employeeId, customerId) = await ConsultantAndClientAsync();

        var activity = await company.CreateAsync("TimeActivity", Billable(employeeId, customerId));

        Assert.Equal(("Employee", "Priya Shah", "Consulting", "Billable", 150m, 3, 30, false, "0"),
            (activity["NameOf"]!.GetValue<string>(), activity["EmployeeRef"]!["name"]!.GetValue<string>(), activity["ItemRef"]!["name"]!.GetValue<string>(),
             activity["BillableStatus"]!.GetValue<string>(), activity["HourlyRate"]!.GetValue<decimal>(), activity["Hours"]!.GetValue<int>(),
             activity["Minutes"]!.GetValue<int>(), activity["Taxable"]!.GetValue<bool>(), activity["SyncToken"]!.GetValue<string>()));
        Assert.StartsWith("Contoso Ltd", activity["CustomerRef"]!["name"]!.GetValue<string>());
        var id = activity["Id"]!.GetValue<string>();
        Assert.Equal("Discovery workshop", (await company.ReadAsync("TimeActivity", id))["Description"]!.GetValue<string>());
        var billable = await company.QueryListAsync($"select * from TimeActivity where EmployeeRef = '{employeeId}' and BillableStatus = 'Billable'", "TimeActivity");
        Assert.Equal(id, Assert.Single(billable)!["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Overhead_is_not_billable_by_default_needs_no_customer_and_has_a_zero_rate()
    {
        var (company, employeeId, _) = await ConsultantAndClientAsync();

        var activity = await company.CreateAsync("TimeActivity", new { NameOf = "Employee", EmployeeRef = new { value = employeeId }, Hours = 2, Description = "Internal training" });

        Assert.Equal(("NotBillable", 0m, 2, 0), (activity["BillableStatus"]!.GetValue<string>(), activity["HourlyRate"]!.GetValue<decimal>(),
            activity["Hours"]!.GetValue<int>(), activity["Minutes"]!.GetValue<int>()));
        Assert.Null(activity["CustomerRef"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d$", activity["TxnDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Billable_time_needs_a_customer_and_a_rate_and_the_person_nameof_asks_for()
    {
        var (company, employeeId, customerId) = await ConsultantAndClientAsync();
        var vendor = await company.CreateAsync("Vendor", new { DisplayName = "Cole Subcontracting " + Guid.NewGuid().ToString("N")[..6] });
        var vendorId = vendor["Id"]!.GetValue<string>();

        var noCustomer = await company.PostAsync("timeactivity", new { NameOf = "Employee", EmployeeRef = new { value = employeeId }, BillableStatus = "Billable", HourlyRate = 150, Hours = 1 });
        var noRate = await company.PostAsync("timeactivity", new { NameOf = "Employee", EmployeeRef = new { value = employeeId }, CustomerRef = new { value = customerId }, BillableStatus = "Billable", Hours = 1 });
        var noNameOf = await company.PostAsync("timeactivity", new { EmployeeRef = new { value = employeeId }, Hours = 1 });
        var badNameOf = await company.PostAsync("timeactivity", new { NameOf = "Contractor", EmployeeRef = new { value = employeeId }, Hours = 1 });
        var noEmployee = await company.PostAsync("timeactivity", new { NameOf = "Employee", Hours = 1 });
        var unknownEmployee = await company.PostAsync("timeactivity", new { NameOf = "Employee", EmployeeRef = new { value = "9999" }, Hours = 1 });
        var both = await company.PostAsync("timeactivity", new { NameOf = "Employee", EmployeeRef = new { value = employeeId }, VendorRef = new { value = vendorId }, Hours = 1 });
        var vendorTime = await company.CreateAsync("TimeActivity", new { NameOf = "Vendor", VendorRef = new { value = vendorId }, CustomerRef = new { value = customerId },
            BillableStatus = "Billable", HourlyRate = 95, Hours = 4 });

        Assert.Equal(("2020", "CustomerRef"), (noCustomer.FaultCode, noCustomer.Fault!["Error"]![0]!["element"]!.GetValue<string>()));
        Assert.Equal(("2020", "HourlyRate"), (noRate.FaultCode, noRate.Fault!["Error"]![0]!["element"]!.GetValue<string>()));
        Assert.Equal(("2020", "2170", "2020"), (noNameOf.FaultCode, badNameOf.FaultCode, noEmployee.FaultCode));
        Assert.Equal(("2500", "6000"), (unknownEmployee.FaultCode, both.FaultCode));
        Assert.Equal(vendor["DisplayName"]!.GetValue<string>(), vendorTime["VendorRef"]!["name"]!.GetValue<string>());
        Assert.Single(await Control.EntitiesAsync(company.Http, company.RealmId, "TimeActivity"));
    }

    [Fact]
    public async Task The_duration_is_whole_hours_and_minutes_or_a_start_and_end_on_the_txn_date()
    {
        var (company, employeeId, customerId) = await ConsultantAndClientAsync();
        object With(object duration) => new JsonObject
        {
            ["NameOf"] = "Employee",
            ["EmployeeRef"] = new JsonObject { ["value"] = employeeId },
            ["TxnDate"] = "2026-03-02",
        }.Merge(duration);

        var none = await company.PostAsync("timeactivity", With(new { }));
        var fractional = await company.PostAsync("timeactivity", With(new { Hours = 1.5 }));
        var tooManyMinutes = await company.PostAsync("timeactivity", With(new { Hours = 1, Minutes = 75 }));
        var backwards = await company.PostAsync("timeactivity", With(new { StartTime = "17:00:00-08:00", EndTime = "08:00:00-08:00" }));
        var halfOpen = await company.PostAsync("timeactivity", With(new { StartTime = "08:00:00-08:00" }));
        var breakWithoutTimes = await company.PostAsync("timeactivity", With(new { Hours = 8, BreakHours = 1 }));
        var day = (await company.PostAsync("timeactivity", With(new { StartTime = "08:00:00-08:00", EndTime = "17:00:00-08:00", BreakHours = 1 }))).Entity("TimeActivity");

        Assert.Equal(("2020", "2010", "6000", "6000", "2020", "6000"),
            (none.FaultCode, fractional.FaultCode, tooManyMinutes.FaultCode, backwards.FaultCode, halfOpen.FaultCode, breakWithoutTimes.FaultCode));
        Assert.Equal(("2026-03-02T08:00:00-08:00", "2026-03-02T17:00:00-08:00", 1),
            (day["StartTime"]!.GetValue<string>(), day["EndTime"]!.GetValue<string>(), day["BreakHours"]!.GetValue<int>()));
        _ = customerId;
    }

    [Fact]
    public async Task HasBeenBilled_is_not_the_clients_to_set_and_only_service_items_take_time()
    {
        var (company, employeeId, customerId) = await ConsultantAndClientAsync();
        var nonInventory = await company.CreateAsync("Item", new { Name = "Laptop " + Guid.NewGuid().ToString("N")[..6], Type = "NonInventory", IncomeAccountRef = new { value = "14" } });

        var billed = await company.PostAsync("timeactivity", new JsonObject { ["BillableStatus"] = "HasBeenBilled" }.Merge(Billable(employeeId, customerId), overwrite: false));
        var product = await company.PostAsync("timeactivity", new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = nonInventory["Id"]!.GetValue<string>() } }
            .Merge(Billable(employeeId, customerId), overwrite: false));

        Assert.Equal(("6000", "BillableStatus"), (billed.FaultCode, billed.Fault!["Error"]![0]!["element"]!.GetValue<string>()));
        Assert.Equal(("6000", "ItemRef"), (product.FaultCode, product.Fault!["Error"]![0]!["element"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Time_is_updated_and_deleted_with_its_sync_token_but_never_voided()
    {
        var (company, employeeId, customerId) = await ConsultantAndClientAsync();
        var activity = await company.CreateAsync("TimeActivity", Billable(employeeId, customerId));
        var id = activity["Id"]!.GetValue<string>();

        var updated = (await company.PostAsync("timeactivity?operation=update", new { Id = id, SyncToken = "0", sparse = true, BillableStatus = "NotBillable" })).Entity("TimeActivity");
        var voided = await company.PostAsync("timeactivity?operation=void", new { Id = id, SyncToken = "1" });
        var stale = await company.PostAsync("timeactivity?operation=delete", new { Id = id, SyncToken = "0" });
        var deleted = (await company.PostAsync("timeactivity?operation=delete", new { Id = id, SyncToken = "1" })).Entity("TimeActivity");
        var read = await company.GetAsync($"timeactivity/{id}");

        Assert.Equal(("NotBillable", "1", "Priya Shah"), (updated["BillableStatus"]!.GetValue<string>(), updated["SyncToken"]!.GetValue<string>(),
            updated["EmployeeRef"]!["name"]!.GetValue<string>()));
        Assert.Equal(("500", "5010", "Deleted", "610"), (voided.FaultCode, stale.FaultCode, deleted["status"]!.GetValue<string>(), read.FaultCode));
    }

    [Fact]
    public async Task Change_data_capture_refuses_time_activities_as_qbo_does()
    {
        var (company, employeeId, customerId) = await ConsultantAndClientAsync();
        await company.CreateAsync("TimeActivity", Billable(employeeId, customerId));
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));

        var cdc = await company.GetAsync($"cdc?entities=Customer,TimeActivity&changedSince={since}");

        Assert.Equal((HttpStatusCode.BadRequest, "500"), (cdc.Status, cdc.FaultCode));
    }

    [Fact]
    public async Task A_requestid_replays_the_first_create_and_a_batch_creates_several_entries()
    {
        var (company, employeeId, customerId) = await ConsultantAndClientAsync();
        var requestId = Guid.NewGuid().ToString("N");

        var first = (await company.PostAsync($"timeactivity?requestid={requestId}", Billable(employeeId, customerId))).Entity("TimeActivity");
        var again = (await company.PostAsync($"timeactivity?requestid={requestId}", Billable(employeeId, customerId, hours: 9))).Entity("TimeActivity");
        var batch = await company.PostAsync("batch", new JsonObject
        {
            ["BatchItemRequest"] = new JsonArray(
                new JsonObject { ["bId"] = "mon", ["operation"] = "create", ["TimeActivity"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Billable(employeeId, customerId, 8, 0))) },
                new JsonObject { ["bId"] = "tue", ["operation"] = "create", ["TimeActivity"] = new JsonObject { ["NameOf"] = "Employee", ["Hours"] = 8 } }),
        }.ToJsonString());

        Assert.Equal((first["Id"]!.GetValue<string>(), 3), (again["Id"]!.GetValue<string>(), again["Hours"]!.GetValue<int>()));
        var items = batch.Json["BatchItemResponse"]!.AsArray().ToDictionary(i => i!["bId"]!.GetValue<string>());
        Assert.Equal(8, items["mon"]!["TimeActivity"]!["Hours"]!.GetValue<int>());
        Assert.Equal("2020", items["tue"]!["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(2, (await Control.EntitiesAsync(company.Http, company.RealmId, "TimeActivity")).Count);
    }

    [Fact]
    public async Task Time_activities_and_employees_are_announced_by_webhook()
    {
        await using var listener = await HttpReceiver.StartAsync("/webhooks/quickbooks");
        var (company, employeeId, customerId) = await ConsultantAndClientAsync(listener.Url);

        var activity = await company.CreateAsync("TimeActivity", Billable(employeeId, customerId));

        var expected = new[] { ("Employee", employeeId, "Create"), ("TimeActivity", activity["Id"]!.GetValue<string>(), "Create") };
        List<(string, string, string)> seen = [];
        Assert.True(await Eventually(() =>
        {
            seen = listener.Requests.SelectMany(r => JsonNode.Parse(r.Body)!["eventNotifications"]!.AsArray().SelectMany(n => n!["dataChangeEvent"]!["entities"]!.AsArray()))
                .Select(e => (e!["name"]!.GetValue<string>(), e["id"]!.GetValue<string>(), e["operation"]!.GetValue<string>())).ToList();
            return expected.All(seen.Contains);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(25)), "Missing webhook events; seen: " + string.Join(", ", seen));
    }
}

internal static class JsonMerging
{
    /// <summary>Copies the properties of <paramref name="other"/> (an anonymous object or JSON) into this object.</summary>
    public static JsonObject Merge(this JsonObject target, object other, bool overwrite = true)
    {
        var source = other as JsonObject ?? System.Text.Json.JsonSerializer.SerializeToNode(other)!.AsObject();
        foreach (var (key, value) in source)
        {
            if (overwrite || !target.ContainsKey(key))
                target[key] = value?.DeepClone();
        }
        return target;
    }
}
