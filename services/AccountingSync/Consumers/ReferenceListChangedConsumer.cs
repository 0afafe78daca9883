using MassTransit;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// A change to one of QuickBooks' reference lists (item, account, class, department, tax code, terms) schedules a refresh
/// of the tenant's lists a few seconds ahead under a fixed job ID; changes arriving before it fires join that refresh.
/// </summary>
public sealed class ReferenceListChangedConsumer(IUnitOfWork unitOfWork, IOptions<ReferenceDataOptions> options, TimeProvider time)
    : IConsumer<QuickBooksEntityChanged>
{
    public static readonly IReadOnlySet<string> ListEntities =
        new HashSet<string>(["Item", "Account", "Class", "Department", "TaxCode", "Term"], StringComparer.OrdinalIgnoreCase);

    public async Task Consume(ConsumeContext<QuickBooksEntityChanged> context)
    {
        var change = context.Message;
        if (!ListEntities.Contains(change.Entity))
        {
            unitOfWork.NotForThisConsumer(); // an invoice, payment or customer: never a list refresh, so no inbox record
            return;
        }
        var jobId = ReferenceDataOptions.ChangeJobId(change.TenantId);
        if (await unitOfWork.Store.Collection<ScheduledJob>(ScheduledJob.CollectionName).GetAsync(jobId, context.CancellationToken) is not null)
            return; // a refresh is already due shortly and will see this change too
        unitOfWork.Schedule(jobId, time.GetUtcNow() + options.Value.ChangeDebounce, new RefreshReferenceData { TenantId = change.TenantId });
    }
}
