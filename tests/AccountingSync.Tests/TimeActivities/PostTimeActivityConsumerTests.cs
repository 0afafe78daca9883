using System.Text.Json;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.TimeActivities;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.Contracts.AccountingSync;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.TimeActivities;

/// <summary>
/// PostTimeActivity on the test harness with the real QuickBooks client against the sandbox process: the firm's
/// consultants log time on the Contoso ERP rollout (billable, at their rate) and on internal work (overhead), and each
/// entry must be in QuickBooks once, for the right employee. Each test asserts what the sandbox company holds and what
/// accounting-sync answered.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class PostTimeActivityConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private const string ConsultingItem = "3";
    private QuickBooksCompanyHarness _company = null!;
    private QboCustomer _contoso = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox);
        await _company.ConnectAsync(Tenant);
        _contoso = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    /// <summary>Priya's workshop day on the ERP rollout: billable at £150 an hour.</summary>
    private PostTimeActivity Workshop(string timeEntryId = "te-1001", string person = "Priya Shah", decimal hours = 3.75m) => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf("deal-9001"),
        TimeEntryId = timeEntryId,
        Person = person,
        Role = "Senior consultant",
        CustomerRef = _contoso.Id!,
        ItemRef = ConsultingItem,
        Date = new DateOnly(2026, 3, 2),
        Hours = hours,
        Billable = true,
        HourlyRate = 150m,
        Currency = Currency,
        Description = "ERP discovery workshop",
    };

    /// <summary>Internal training: overhead, not billable, no rate.</summary>
    private PostTimeActivity Training(string timeEntryId = "te-2001", string person = "Priya Shah") => Workshop(timeEntryId, person, 2m) with
    {
        ItemRef = null,
        Billable = false,
        HourlyRate = null,
        Description = "Internal training",
    };

    private Task<TimeActivityPosted> PostedAsync(string timeEntryId) => _company.PublishedAsync<TimeActivityPosted>(m => m.TimeEntryId == timeEntryId);

    private static string Text(JsonElement entity, params string[] path)
    {
        foreach (var step in path)
            entity = entity.GetProperty(step);
        return entity.ValueKind == JsonValueKind.String ? entity.GetString()! : entity.ToString();
    }

    [Fact]
    public async Task Billable_time_is_recorded_for_a_new_employee_with_the_customer_service_rate_and_minutes()
    {
        await _company.Harness.DeliverAsync(Workshop());

        var posted = await PostedAsync("te-1001");
        var employee = Assert.Single(await _company.EntitiesAsync("Employee"));
        Assert.Equal(("Priya Shah", "Priya", "Shah"), (Text(employee, "DisplayName"), Text(employee, "GivenName"), Text(employee, "FamilyName")));
        var activity = Assert.Single(await _company.EntitiesAsync("TimeActivity"));
        Assert.Equal((posted.AccountingTimeActivityId, "Employee", Text(employee, "Id"), _contoso.Id, ConsultingItem),
            (Text(activity, "Id"), Text(activity, "NameOf"), Text(activity, "EmployeeRef", "value"), Text(activity, "CustomerRef", "value"), Text(activity, "ItemRef", "value")));
        Assert.Equal(("Billable", 150m, 3, 45, "2026-03-02", "ERP discovery workshop"),
            (Text(activity, "BillableStatus"), activity.GetProperty("HourlyRate").GetDecimal(), activity.GetProperty("Hours").GetInt32(),
             activity.GetProperty("Minutes").GetInt32(), Text(activity, "TxnDate"), Text(activity, "Description")));
        var succeeded = await _company.PublishedAsync<SyncSucceeded>(m => m.EntityId == "te-1001");
        Assert.Equal(("TimeActivity", "PostTimeActivity", posted.AccountingTimeActivityId), (succeeded.Entity, succeeded.Operation, succeeded.AccountingId));
        Assert.Empty(_company.Harness.Published<OpenSyncException>());
    }

    [Fact]
    public async Task Overhead_is_recorded_as_not_billable_without_a_customer_rate()
    {
        await _company.Harness.DeliverAsync(Training());

        await PostedAsync("te-2001");
        var activity = Assert.Single(await _company.EntitiesAsync("TimeActivity"));
        Assert.Equal(("NotBillable", 0m, 2, 0), (Text(activity, "BillableStatus"), activity.GetProperty("HourlyRate").GetDecimal(),
            activity.GetProperty("Hours").GetInt32(), activity.GetProperty("Minutes").GetInt32()));
        Assert.False(activity.TryGetProperty("ItemRef", out _));
    }

    [Fact]
    public async Task The_employee_is_reused_across_entries_and_an_existing_QuickBooks_employee_is_found_by_name()
    {
        var existing = await _company.CreateInQuickBooksAsync(Tenant, new QboEmployee { GivenName = "Tom", FamilyName = "Reed" });

        await _company.Harness.DeliverAsync(Workshop("te-1001"));
        await _company.Harness.DeliverAsync(Training("te-2001"));
        await _company.Harness.DeliverAsync(Workshop("te-1002", person: "Tom Reed"));
        await _company.OutboundDrainedAsync();

        var employees = await _company.EntitiesAsync("Employee");
        Assert.Equal(["Tom Reed", "Priya Shah"], employees.Select(e => Text(e, "DisplayName")));
        var byEntry = (await _company.EntitiesAsync("TimeActivity")).ToDictionary(a => Text(a, "Id"), a => Text(a, "EmployeeRef", "value"));
        var priya = Text(employees[1], "Id");
        Assert.Equal(priya, byEntry[(await PostedAsync("te-1001")).AccountingTimeActivityId]);
        Assert.Equal(priya, byEntry[(await PostedAsync("te-2001")).AccountingTimeActivityId]);
        Assert.Equal(existing.Id, byEntry[(await PostedAsync("te-1002")).AccountingTimeActivityId]);
        var remembered = await _company.Harness.GetAsync<EmployeeRecord>(EmployeeRecord.CollectionName, $"{Tenant}:priya shah");
        Assert.Equal(priya, remembered!.AccountingEmployeeId);
    }

    [Fact]
    public async Task A_redelivered_entry_and_the_same_entry_sent_again_are_recorded_once()
    {
        var messageId = await _company.Harness.DeliverAsync(Workshop());
        await _company.Harness.PublishAsync(Workshop(), messageId);
        await _company.Harness.ConsumedAsync<PostTimeActivity>(messageId, times: 2);
        await _company.OutboundDrainedAsync();
        await _company.Harness.DeliverAsync(Workshop()); // the CRM sync sending the entry again, as a new message, once the first was answered
        await _company.OutboundDrainedAsync();

        var activity = Assert.Single(await _company.EntitiesAsync("TimeActivity"));
        var answers = _company.Harness.Published<TimeActivityPosted>();
        Assert.Equal(2, answers.Count);
        Assert.All(answers, a => Assert.Equal(Text(activity, "Id"), a.AccountingTimeActivityId));
    }

    [Fact]
    public async Task Entries_of_a_new_person_arriving_together_make_one_employee()
    {
        var ids = Enumerable.Range(1, 6).Select(i => $"te-30{i:00}").ToList();

        var messages = new List<Guid>();
        foreach (var id in ids)
            messages.Add(await _company.Harness.PublishAsync(Workshop(id, person: "Aisha Bello", hours: 1m)));
        foreach (var message in messages)
            await _company.Harness.ConsumedAsync<PostTimeActivity>(message);
        await _company.OutboundDrainedAsync();

        var employee = Assert.Single(await _company.EntitiesAsync("Employee"));
        var activities = await _company.EntitiesAsync("TimeActivity");
        Assert.Equal(6, activities.Count);
        Assert.All(activities, a => Assert.Equal(Text(employee, "Id"), Text(a, "EmployeeRef", "value")));
    }

    [Fact]
    public async Task A_person_whose_name_a_customer_holds_becomes_an_employee_with_the_platforms_suffix_once()
    {
        await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Sam Ortiz" }); // a sole trader the firm also bills

        await _company.Harness.DeliverAsync(Workshop("te-4001", person: "Sam Ortiz"));
        await _company.Harness.DeliverAsync(Workshop("te-4002", person: "Sam Ortiz"));
        await _company.OutboundDrainedAsync();

        var employee = Assert.Single(await _company.EntitiesAsync("Employee"));
        Assert.Matches(@"^Sam Ortiz \(Q2C [0-9a-f]{4}\)$", Text(employee, "DisplayName"));
        Assert.Equal(("Sam", "Ortiz"), (Text(employee, "GivenName"), Text(employee, "FamilyName")));
        Assert.Equal(2, (await _company.EntitiesAsync("TimeActivity")).Count(a => Text(a, "EmployeeRef", "value") == Text(employee, "Id")));
    }

    [Fact]
    public async Task An_inactive_employee_of_that_name_is_finances_to_reactivate()
    {
        var gone = await _company.CreateInQuickBooksAsync(Tenant, new QboEmployee { GivenName = "Lena", FamilyName = "Vogel" });
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(_company.Harness.Services))
        {
            var qbo = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<QboClient>(scope.ServiceProvider);
            await qbo.SparseUpdateAsync(Tenant, gone.Id!, _ => new QboEmployee { Active = false }, Guid.NewGuid().ToString("N"), gone.SyncToken,
                TestContext.Current.CancellationToken);
        }

        await _company.Harness.DeliverAsync(Workshop("te-5001", person: "Lena Vogel"));

        var raised = await _company.PublishedAsync<OpenSyncException>(m => m.EntityId == "te-5001");
        Assert.Equal((SyncExceptionKind.Validation, "TimeActivity", "PostTimeActivity"), (raised.Kind, raised.Entity, raised.Operation));
        Assert.Contains("'Lena Vogel' is inactive", raised.Message);
        Assert.Contains("active again", raised.SuggestedFix);
        Assert.Single(await _company.EntitiesAsync("Employee"));
        Assert.Empty(await _company.EntitiesAsync("TimeActivity"));
    }

    [Fact]
    public async Task An_inactive_customer_opens_an_exception_and_retry_records_the_entry_once_it_is_active_again()
    {
        var fabrikam = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Fabrikam Freight" });
        var inactive = await SetActiveAsync(fabrikam, active: false);
        var entry = Workshop("te-6001") with { CustomerRef = fabrikam.Id! };

        await _company.Harness.DeliverAsync(entry);

        var raised = await _company.PublishedAsync<OpenSyncException>(m => m.EntityId == "te-6001");
        Assert.Equal((SyncExceptionKind.MappingMissing, FlowOf("deal-9001")), (raised.Kind, raised.FlowId));
        Assert.Contains($"QuickBooks customer {fabrikam.Id} does not exist or is inactive", raised.Message);
        Assert.StartsWith("610", raised.Detail);
        Assert.Equal(typeof(PostTimeActivity).FullName, raised.CommandType);
        var again = JsonSerializer.Deserialize<PostTimeActivity>(raised.CommandJson!, JsonSerializerOptions.Web)!;
        Assert.Equal(entry, again);
        Assert.Empty(await _company.EntitiesAsync("TimeActivity"));
        Assert.Empty(_company.Harness.Published<TimeActivityPosted>());

        // Finance makes the customer active again and presses Retry: the very same command, which QuickBooks must not answer with the old refusal.
        await SetActiveAsync(inactive, active: true);
        await _company.Harness.DeliverAsync(again);

        var posted = await PostedAsync("te-6001");
        var activity = Assert.Single(await _company.EntitiesAsync("TimeActivity"));
        Assert.Equal((posted.AccountingTimeActivityId, fabrikam.Id), (Text(activity, "Id"), Text(activity, "CustomerRef", "value")));
    }

    private async Task<QboCustomer> SetActiveAsync(QboCustomer customer, bool active)
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(_company.Harness.Services);
        var qbo = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<QboClient>(scope.ServiceProvider);
        return await qbo.SparseUpdateAsync(Tenant, customer.Id!, _ => new QboCustomer { Active = active }, Guid.NewGuid().ToString("N"), null,
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Billable_time_without_a_rate_is_refused_before_QuickBooks_is_asked()
    {
        await _company.Harness.DeliverAsync(Workshop("te-7001") with { HourlyRate = null });

        var raised = await _company.PublishedAsync<OpenSyncException>(m => m.EntityId == "te-7001");
        Assert.Equal((SyncExceptionKind.Validation, null, null), (raised.Kind, raised.RequestId, raised.Detail));
        Assert.Contains("billable but has no hourly rate", raised.Message);
        Assert.Empty(await _company.EntitiesAsync("Employee"));
    }
}
