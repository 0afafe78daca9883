using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.Reconciliation;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>
/// Arms the store-backed jobs of every connected tenant: a CDC sweep at start-up, the recurring sweep
/// (<c>QuickBooks:Inbound:SweepInterval</c>) and the daily reconciliation (<c>QuickBooks:Reconciliation:DailyAt</c>). It
/// looks again every <c>ArmInterval</c>, so a tenant connected later gets its jobs without a restart; the jobs of a tenant
/// that was disconnected cancel themselves when they next fire.
/// </summary>
public sealed class InboundJobArming(
    IDocumentStore store,
    OutboxDelivery outbox,
    IOptions<InboundOptions> inbound,
    IOptions<ReconciliationOptions> reconciliation,
    TimeProvider time,
    ILogger<InboundJobArming> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.Collection<PendingInvoice>(PendingInvoice.CollectionName).EnsureIndexAsync("accounting-invoice-id", p => p.AccountingInvoiceId, cancellationToken: stoppingToken);
            await store.Collection<PostedInvoice>(PostedInvoice.CollectionName).EnsureIndexAsync("tenant", p => p.TenantId, cancellationToken: stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Indexes for inbound QuickBooks changes could not be created; lookups scan instead");
        }
        var startUp = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ArmAsync(startUp, stoppingToken);
                startUp = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Arming the inbound QuickBooks jobs failed; trying again shortly");
            }
            await Task.Delay(inbound.Value.ArmInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One pass: for each connected tenant, the jobs it lacks (and at start-up, an immediate sweep).</summary>
    public async Task ArmAsync(bool startUp, CancellationToken cancellationToken)
    {
        var connections = await store.Collection<QboConnection>(QboConnection.CollectionName)
            .FindAsync(c => c.Status == QboConnectionStatus.Connected, cancellationToken: cancellationToken);
        var jobs = store.Collection<ScheduledJob>(ScheduledJob.CollectionName);
        var now = time.GetUtcNow();
        foreach (var connection in connections.Select(c => c.Value))
        {
            var tenantId = connection.TenantId;
            var unitOfWork = new UnitOfWork(store, outbox, time);
            var armed = false;
            if (startUp)
            {
                unitOfWork.Schedule(InboundOptions.StartUpSweepJobId(tenantId), now, new SweepQuickBooksChanges { TenantId = tenantId, StartUp = true });
                armed = true;
            }
            if (await jobs.GetAsync(InboundOptions.SweepJobId(tenantId), cancellationToken) is null)
            {
                unitOfWork.Schedule(InboundOptions.SweepJobId(tenantId), now + inbound.Value.SweepInterval, new SweepQuickBooksChanges { TenantId = tenantId },
                    inbound.Value.SweepInterval);
                armed = true;
            }
            if (reconciliation.Value.Daily && await jobs.GetAsync(ReconciliationOptions.DailyJobId(tenantId), cancellationToken) is null)
            {
                unitOfWork.Schedule(ReconciliationOptions.DailyJobId(tenantId), reconciliation.Value.NextDailyRun(now),
                    new ReconcileInvoices { TenantId = tenantId, Trigger = "daily" }, TimeSpan.FromDays(1));
                armed = true;
            }
            if (armed)
                await unitOfWork.CommitAsync(cancellationToken);
        }
    }
}
