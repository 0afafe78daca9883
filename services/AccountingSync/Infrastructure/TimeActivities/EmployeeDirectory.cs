using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.TimeActivities;

/// <summary>
/// The QuickBooks Employee of each person a tenant records time for: remembered per tenant and name once known; else
/// the active employee QuickBooks has with that display name; else created. The create's requestid derives from the
/// tenant and the name, so two entries for a new person racing each other send the same request and QuickBooks
/// answers both with the one employee. A name QuickBooks reports as taken (6240) is looked up again among all
/// employees: the employee the other writer just made is used; an inactive one is finance's to reactivate; a name a
/// customer or vendor holds gets the platform's deterministic suffix, once, as customers do.
/// </summary>
public sealed class EmployeeDirectory(QboClient qbo, IDocumentStore store, TimeProvider time, ILogger<EmployeeDirectory> logger)
{
    public async Task<EmployeeRecord> FindOrCreateAsync(string tenantId, string person, CancellationToken cancellationToken)
    {
        var name = CustomerNames.Clean(person);
        if (name.Length == 0)
            throw new EmployeeUnavailableException(SyncExceptionKind.Validation,
                "The time entry names no person, so there is no QuickBooks employee to record it for.",
                "Put the consultant's name on the time entry in the CRM, then press Retry.");
        var key = EmployeeRecord.KeyFor(tenantId, EmployeeNames.Key(name));
        if ((await store.Collection<EmployeeRecord>(EmployeeRecord.CollectionName).GetAsync(key, cancellationToken))?.Value is { } remembered)
            return remembered;

        var employee = await ActiveNamedAsync(tenantId, name, cancellationToken) ?? await CreateAsync(tenantId, name, cancellationToken);
        var record = new EmployeeRecord
        {
            TenantId = tenantId,
            Person = name,
            AccountingEmployeeId = employee.Id!,
            DisplayName = employee.DisplayName ?? name,
            Updated = time.GetUtcNow().UtcDateTime,
        };
        // Kept at once, not with the consume: the employee exists in QuickBooks whatever happens to this entry.
        await store.CommitAsync([DocumentWrite.Upsert(EmployeeRecord.CollectionName, key, record)], cancellationToken);
        return record;
    }

    /// <summary>Forgets the person's employee (it was deleted or merged away in QuickBooks), so the next entry looks it up again.</summary>
    public Task ForgetAsync(string tenantId, string person, CancellationToken cancellationToken) =>
        store.CommitAsync([DocumentWrite.Delete(EmployeeRecord.CollectionName, EmployeeRecord.KeyFor(tenantId, EmployeeNames.Key(CustomerNames.Clean(person))))],
            cancellationToken);

    /// <summary>The requestid of creating the person's employee: 32 hex characters, the same for every entry of that person.</summary>
    public static string RequestId(string tenantId, string name, string step) =>
        DeterministicId.Create("qbo-employee", tenantId, EmployeeNames.Key(name), step).ToString("N");

    private async Task<QboEmployee> CreateAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await qbo.CreateAsync(tenantId, Employee(name), RequestId(tenantId, name, "create"), cancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.DuplicateName)
        {
            if (await AnyNamedAsync(tenantId, name, cancellationToken) is { } taken)
                return Usable(taken);
            var suffixed = EmployeeNames.WithSuffix(tenantId, name);
            if (await AnyNamedAsync(tenantId, suffixed, cancellationToken) is { } earlier)
                return Usable(earlier);
            logger.LogInformation("The name {Name} is used by a QuickBooks customer or vendor of tenant {Tenant}; creating the employee as {Suffixed}",
                name, tenantId, suffixed);
            try
            {
                return await qbo.CreateAsync(tenantId, Employee(name) with { DisplayName = suffixed }, RequestId(tenantId, name, "create-suffixed"), cancellationToken);
            }
            catch (QboException again) when (again.Kind == QboErrorKind.DuplicateName)
            {
                if (await AnyNamedAsync(tenantId, suffixed, cancellationToken) is { } raced)
                    return Usable(raced);
                throw new EmployeeUnavailableException(SyncExceptionKind.DuplicateName,
                    $"No QuickBooks employee could be made for {name}: the names '{name}' and '{suffixed}' are both used by other customers or vendors in QuickBooks.",
                    $"Rename the QuickBooks customer or vendor called '{name}', or create the employee in QuickBooks yourself, then press Retry.");
            }
        }
    }

    private async Task<QboEmployee?> ActiveNamedAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        (await qbo.QueryAsync<QboEmployee>(tenantId, QboQuery.From("Employee").Where("DisplayName", "=", name).Page(1, 1), cancellationToken)).Items.FirstOrDefault();

    /// <summary>An employee with the name, active or not (QuickBooks hides inactive ones unless the query asks about Active).</summary>
    private async Task<QboEmployee?> AnyNamedAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var found = await qbo.QueryAsync<QboEmployee>(tenantId,
            QboQuery.From("Employee").Where("DisplayName", "=", name).In("Active", [true, false]).Page(1, 10), cancellationToken);
        return found.Items.OrderByDescending(e => e.Active != false).FirstOrDefault();
    }

    private static QboEmployee Usable(QboEmployee employee) => employee.Active != false
        ? employee
        : throw new EmployeeUnavailableException(SyncExceptionKind.Validation,
            $"The QuickBooks employee '{employee.DisplayName}' is inactive, so time cannot be recorded for them.",
            $"Make '{employee.DisplayName}' active again in QuickBooks (Payroll > Employees), then press Retry.");

    private static QboEmployee Employee(string name)
    {
        var (given, middle, family) = EmployeeNames.Split(name);
        return new QboEmployee { DisplayName = name, GivenName = given, MiddleName = middle, FamilyName = family };
    }
}

/// <summary>There is no QuickBooks employee to record the time for, for a reason finance must act on.</summary>
public sealed class EmployeeUnavailableException(SyncExceptionKind kind, string message, string suggestedFix) : Exception(message)
{
    public SyncExceptionKind Kind { get; } = kind;
    public string SuggestedFix { get; } = suggestedFix;
}
