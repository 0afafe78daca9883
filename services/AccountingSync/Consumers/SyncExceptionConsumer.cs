using MassTransit;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// The exception queue's own bookkeeping: opens records (or adds occurrences) for what accounting-sync raised, resolves
/// older records when a later success for the same entity and operation comes in, and publishes ExceptionSlaBreached
/// once when a record is still open or assigned at its SLA.
/// </summary>
public sealed class SyncExceptionConsumer(SyncExceptionBook book, IUnitOfWork unitOfWork, TimeProvider time, ILogger<SyncExceptionConsumer> logger)
    : IConsumer<OpenSyncException>, IConsumer<SyncSucceeded>, IConsumer<ExceptionSlaDue>
{
    public async Task Consume(ConsumeContext<OpenSyncException> context)
    {
        var record = await book.RaiseAsync(context.Message, context.CancellationToken);
        logger.LogInformation("Sync exception {Exception} ({Kind}) for {Entity} {EntityId} of tenant {Tenant}: occurrence {Occurrences}",
            record.ExceptionId, record.Kind, record.Entity, record.EntityId, record.TenantId, record.Occurrences);
    }

    public async Task Consume(ConsumeContext<SyncSucceeded> context)
    {
        var success = context.Message;
        var at = success.SucceededAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var why = $"resolved automatically by a later success at {at}" + (success.AccountingId is { } id ? $" (QuickBooks Id {id})" : string.Empty);
        await book.ResolveAutomaticallyAsync(success.TenantId, success.Entity, success.EntityId, success.Operation, success.SucceededAt, why, null,
            context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ExceptionSlaDue> context)
    {
        var document = await book.FindAsync(context.Message.TenantId, context.Message.ExceptionId, context.CancellationToken);
        if (document is not { Value: var record } || !ExceptionRules.IsActive(record.Status) || record.SlaBreachedAt is not null)
            return;
        var now = time.GetUtcNow();
        if (now < record.SlaDue)
            return; // a job fired early (another clock): the SLA has not passed
        record.SlaBreachedAt = now;
        unitOfWork.Replace(SyncExceptionRecord.CollectionName, document, record);
        unitOfWork.Publish(new ExceptionSlaBreached
        {
            TenantId = record.TenantId,
            ExceptionId = record.ExceptionId,
            Kind = record.Kind.ToString(),
            FlowId = record.FlowId,
            DealRef = record.DealRef,
            Owner = record.Owner,
            OpenedAt = record.OpenedAt,
            SlaDue = record.SlaDue,
            DetectedAt = now,
        });
    }
}
