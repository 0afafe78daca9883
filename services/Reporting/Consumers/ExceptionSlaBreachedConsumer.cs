using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.Reporting.Consumers;

/// <summary>Keeps the sync exceptions that breached their SLA, for the CFO dashboard's exception aging (REP-1).</summary>
public sealed class ExceptionSlaBreachedConsumer(IUnitOfWork unitOfWork) : IConsumer<ExceptionSlaBreached>
{
    public async Task Consume(ConsumeContext<ExceptionSlaBreached> context)
    {
        var breach = context.Message;
        var key = ExceptionSlaBreach.KeyFor(breach.ExceptionId);
        if (await unitOfWork.Store.Collection<ExceptionSlaBreach>(ExceptionSlaBreach.CollectionName).GetAsync(key, context.CancellationToken) is not null)
            return; // recorded already: an exception breaches its SLA once
        unitOfWork.Insert(ExceptionSlaBreach.CollectionName, key, new ExceptionSlaBreach
        {
            ExceptionId = breach.ExceptionId,
            TenantId = breach.TenantId,
            Kind = breach.Kind,
            FlowId = breach.FlowId,
            DealRef = breach.DealRef,
            Owner = breach.Owner,
            OpenedAt = breach.OpenedAt.UtcDateTime,
            SlaDue = breach.SlaDue.UtcDateTime,
            DetectedAt = breach.DetectedAt.UtcDateTime,
        });
    }
}
