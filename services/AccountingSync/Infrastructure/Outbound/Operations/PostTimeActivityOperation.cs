using System.Globalization;
using System.Text.Json;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.TimeActivities;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Outbound.Operations;

/// <summary>
/// Records a CRM time entry in QuickBooks as a TimeActivity, once: the person as a QuickBooks Employee (found or
/// created by name through the <see cref="EmployeeDirectory"/>), the customer, the service item, the date, the hours as
/// whole hours and minutes, billable (with its rate) or not. The create carries a requestid derived from the time
/// entry, so a re-delivery replays it; an entry already posted is answered again without a second write. Answers
/// TimeActivityPosted and SyncSucceeded through the outbox; a refusal finance must act on opens a sync exception that
/// can send the command again. Run by the outbound worker, which waits out throttling, unanswered requests and a lapsed
/// authorisation (they propagate to it).
/// </summary>
public sealed class PostTimeActivityOperation(QboClient qbo, EmployeeDirectory employees, IUnitOfWork unitOfWork, TimeProvider time,
    ILogger<PostTimeActivityOperation> logger) : IOutboundOperation<PostTimeActivity>
{
    public const string Operation = nameof(PostTimeActivity);
    public const string Entity = "TimeActivity";

    public async Task RunAsync(PostTimeActivity command, CancellationToken cancellationToken)
    {
        var key = TimeActivityRecord.KeyFor(command.TenantId, command.TimeEntryId);
        var stored = await unitOfWork.Store.Collection<TimeActivityRecord>(TimeActivityRecord.CollectionName).GetAsync(key, cancellationToken);
        var record = stored?.Value ?? new TimeActivityRecord { TenantId = command.TenantId, TimeEntryId = command.TimeEntryId };

        if (record.AccountingTimeActivityId is { } posted)
        {
            // The same entry asked for again: it is in QuickBooks already.
            Publish(command, posted, new DateTimeOffset(record.Posted ?? record.Updated, TimeSpan.Zero));
            return;
        }
        if (Invalid(command) is { } refusal)
        {
            Refuse(command, record, stored, SyncExceptionKind.Validation, refusal.Message, refusal.Fix, null);
            return;
        }

        try
        {
            var employee = await employees.FindOrCreateAsync(command.TenantId, command.Person, cancellationToken);
            record.AccountingEmployeeId = employee.AccountingEmployeeId;
            var created = await qbo.CreateAsync(command.TenantId, Activity(command, employee), RequestId(command, record.Attempt), cancellationToken);
            var now = time.GetUtcNow();
            record.AccountingTimeActivityId = created.Id;
            record.Posted = now.UtcDateTime;
            record.Updated = now.UtcDateTime;
            unitOfWork.InsertOrReplace(TimeActivityRecord.CollectionName, key, stored, record);
            logger.LogInformation("Time entry {Entry} of tenant {Tenant} is QuickBooks TimeActivity {Id} ({Hours} h for {Employee})",
                command.TimeEntryId, command.TenantId, created.Id, EmployeeNames.Format(command.Hours), employee.DisplayName);
            Publish(command, created.Id!, now);
        }
        catch (EmployeeUnavailableException unavailable)
        {
            Refuse(command, record, stored, unavailable.Kind, unavailable.Message, unavailable.SuggestedFix, null);
        }
        catch (QboException fault) when (!fault.IsRetryable && !fault.NeedsReauthorization)
        {
            if (fault.Kind == QboErrorKind.Validation && fault.FirstCode == "2500" && fault.Mentions("EmployeeRef"))
                await employees.ForgetAsync(command.TenantId, command.Person, cancellationToken); // deleted in QuickBooks: look the person up again next time
            var (kind, message, fix) = Explain(fault, command);
            Refuse(command, record, stored, kind, message, fix, fault);
        }
    }

    /// <summary>The TimeActivity as QuickBooks should hold it.</summary>
    public static QboTimeActivity Activity(PostTimeActivity command, EmployeeRecord employee)
    {
        var (hours, minutes) = EmployeeNames.Duration(command.Hours);
        var description = Blank(command.Description) ?? Blank(command.Role);
        return new QboTimeActivity
        {
            TxnDate = command.Date,
            NameOf = "Employee",
            EmployeeRef = QboRef.To(employee.AccountingEmployeeId, employee.DisplayName),
            CustomerRef = QboRef.To(command.CustomerRef.Trim()),
            ItemRef = Blank(command.ItemRef) is { } item ? QboRef.To(item) : null,
            BillableStatus = command.Billable ? QboTimeActivity.Billable : QboTimeActivity.NotBillable,
            HourlyRate = command.HourlyRate,
            Taxable = false,
            Hours = hours,
            Minutes = minutes,
            Description = description is { Length: > 4000 } ? description[..4000] : description,
        };
    }

    /// <summary>The requestid of one attempt at one time entry: 32 hex characters, the same on every delivery of that attempt.</summary>
    public static string RequestId(PostTimeActivity command, int attempt) =>
        DeterministicId.Create("qbo-time-activity", command.TenantId, command.TimeEntryId, attempt.ToString(CultureInfo.InvariantCulture)).ToString("N");

    /// <summary>The refusal in finance's words, with the kind of exception it opens and what to do about it.</summary>
    public static (SyncExceptionKind Kind, string Message, string SuggestedFix) Explain(QboException fault, PostTimeActivity command)
    {
        var entry = $"{EmployeeNames.Format(command.Hours)} h of {command.Person.Trim()} on {command.Date.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";
        return fault.Kind switch
        {
            QboErrorKind.Authentication when fault.FirstCode == "not-connected" => (SyncExceptionKind.AuthorizationExpired,
                $"The time entry ({entry}) could not be recorded: QuickBooks is not connected for this company.",
                "Connect the QuickBooks company in the platform's settings, then press Retry."),
            QboErrorKind.Authentication => (SyncExceptionKind.AuthorizationExpired,
                $"The time entry ({entry}) could not be recorded: the QuickBooks connection has expired or was revoked.",
                "Reconnect QuickBooks in the platform's settings; recording resumes with Retry."),
            QboErrorKind.ClosedPeriod => (SyncExceptionKind.Validation,
                $"The time entry ({entry}) could not be recorded: its date is in a period closed in QuickBooks.",
                "Reopen the period in QuickBooks or correct the date of the entry in the CRM, then press Retry."),
            _ when fault.Mentions("CustomerRef") => (SyncExceptionKind.MappingMissing,
                $"The time entry ({entry}) could not be recorded: QuickBooks customer {command.CustomerRef} does not exist or is inactive.",
                "Sync the customer to QuickBooks (or make it active there), then press Retry."),
            _ when fault.Mentions("ItemRef") => (SyncExceptionKind.MappingMissing,
                $"The time entry ({entry}) could not be recorded: QuickBooks item {command.ItemRef} does not exist, is inactive or is not a service.",
                "Map the time entry's service to an active QuickBooks service item, then press Retry."),
            _ when fault.Mentions("EmployeeRef") => (SyncExceptionKind.MappingMissing,
                $"The time entry ({entry}) could not be recorded: the QuickBooks employee for {command.Person.Trim()} no longer exists or is inactive.",
                "Make the employee active again in QuickBooks, then press Retry."),
            _ => (SyncExceptionKind.Validation,
                $"The time entry ({entry}) could not be recorded: QuickBooks refused it ({FailureKinds.Detail(fault)}).",
                "Correct the time entry in the CRM or the records it refers to in QuickBooks as the message says, then press Retry."),
        };
    }

    /// <summary>What QuickBooks would refuse anyway, said before asking it: billable time without a rate, negative or impossible hours.</summary>
    private static (string Message, string Fix)? Invalid(PostTimeActivity command)
    {
        var entry = $"The time entry of {command.Person.Trim()} on {command.Date.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";
        if (command.Hours < 0 || command.Hours > 8760)
            return ($"{entry} has {command.Hours.ToString(CultureInfo.InvariantCulture)} hours, which QuickBooks cannot record.",
                "Correct the hours on the time entry in the CRM, then press Retry.");
        if (command.Billable && command.HourlyRate is null)
            return ($"{entry} is billable but has no hourly rate; QuickBooks needs one for billable time.",
                "Set the consultant's billing rate (or mark the time as not billable) in the CRM, then press Retry.");
        if (command.HourlyRate < 0)
            return ($"{entry} has a negative hourly rate.", "Correct the rate on the time entry in the CRM, then press Retry.");
        if (string.IsNullOrWhiteSpace(command.CustomerRef))
            return ($"{entry} names no QuickBooks customer.", "Sync the customer the time was worked for to QuickBooks, then press Retry.");
        return null;
    }

    private void Publish(PostTimeActivity command, string accountingId, DateTimeOffset postedAt)
    {
        unitOfWork.Publish(new TimeActivityPosted
        {
            TenantId = command.TenantId,
            FlowId = command.FlowId,
            TimeEntryId = command.TimeEntryId,
            AccountingTimeActivityId = accountingId,
            PostedAt = postedAt,
        });
        unitOfWork.Publish(new SyncSucceeded
        {
            TenantId = command.TenantId,
            Entity = Entity,
            EntityId = command.TimeEntryId,
            Operation = Operation,
            AccountingId = accountingId,
            SucceededAt = time.GetUtcNow(),
        });
    }

    private void Refuse(PostTimeActivity command, TimeActivityRecord record, StoredDocument<TimeActivityRecord>? stored,
        SyncExceptionKind kind, string message, string suggestedFix, QboException? fault)
    {
        var now = time.GetUtcNow();
        var requestId = RequestId(command, record.Attempt);
        logger.LogWarning("Time entry {Entry} of tenant {Tenant} not recorded in QuickBooks: {Kind} {Message}", command.TimeEntryId, command.TenantId, kind, message);
        // The next try (finance's Retry) must not get this refusal replayed by QuickBooks for the same requestid.
        if (fault is not null)
            record.Attempt++;
        record.Updated = now.UtcDateTime;
        unitOfWork.InsertOrReplace(TimeActivityRecord.CollectionName, TimeActivityRecord.KeyFor(command.TenantId, command.TimeEntryId), stored, record);
        unitOfWork.Publish(new OpenSyncException
        {
            TenantId = command.TenantId,
            Kind = kind,
            Entity = Entity,
            EntityId = command.TimeEntryId,
            Operation = Operation,
            FlowId = command.FlowId,
            RequestId = fault is null ? null : requestId,
            Message = message,
            SuggestedFix = suggestedFix,
            Detail = fault is null ? null : $"{fault.FirstCode} {FailureKinds.Detail(fault)}",
            CommandType = typeof(PostTimeActivity).FullName,
            CommandJson = JsonSerializer.Serialize(command, JsonSerializerOptions.Web),
            OccurredAt = now,
        });
    }


    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
