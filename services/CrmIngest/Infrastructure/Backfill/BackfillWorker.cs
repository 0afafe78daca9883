using Microsoft.AspNetCore.DataProtection;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.CrmIngest.Infrastructure.Backfill;

/// <summary>
/// Runs backfill jobs page by page: each listed company or deal becomes a ProcessCrmEvent (the same path a
/// webhook takes, so won deals are announced once and open ones are recorded), committed with the job's new
/// cursor. Reads go through the HubSpot client, which is paced under the CRM's burst limit.
/// </summary>
public sealed class BackfillWorker(
    IDocumentStore store,
    OutboxDelivery outbox,
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<BackfillWorker> logger) : BackgroundService
{
    private const int MaxConsecutiveFailures = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                var running = await store.Collection<BackfillJob>(BackfillJob.CollectionName).FindAsync(j => j.Status == BackfillStatus.Running, cancellationToken: stoppingToken);
                foreach (var job in running)
                    worked |= await AdvanceAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Backfill pass failed");
            }
            if (!worked)
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Imports one page of one job. Returns whether there was work.</summary>
    public async Task<bool> AdvanceAsync(StoredDocument<BackfillJob> document, CancellationToken cancellationToken)
    {
        // A page is work of its own (an import runs for hours): a trace per page, linked to the request that started it.
        // The page's events, and the deals they announce, continue the page's trace.
        using var trace = QuoteToCash.ServiceDefaults.Telemetry.PlatformTelemetry.StartLinked("backfill page", [document.Value.Trace])
            .WithFlow(document.Value.TenantId, null);
        var job = document.Value;
        var connection = (await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(job.TenantId, cancellationToken))?.Value;
        var now = time.GetUtcNow();
        if (connection is null || connection.Kind is not ("hubspot" or "salesforce"))
        {
            await FinishAsync(document, BackfillStatus.Failed, connection is null ? "The tenant has no CRM connection." : $"Backfill from {connection.Kind} is not available.", cancellationToken);
            return false;
        }
        using var scope = scopes.CreateScope();
        var token = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedAccessToken);
        try
        {
            var first = job.Total == 0 && job.Processed == 0 && job.Cursor is null && job.Phase == BackfillJob.Phases[0];
            var (ids, next, objectType) = connection.Kind == "hubspot"
                ? await HubSpotPageAsync(scope.ServiceProvider.GetRequiredService<HubSpotClient>(), connection, token, job, first, cancellationToken)
                : await SalesforcePageAsync(scope.ServiceProvider.GetRequiredService<Salesforce.SalesforceClient>(), connection, token, job, first, cancellationToken);
            var unitOfWork = new UnitOfWork(store, outbox, time);
            foreach (var id in ids)
            {
                unitOfWork.Publish(new ProcessCrmEvent
                {
                    TenantId = job.TenantId,
                    DeliveryId = "backfill-" + job.JobId.ToString("N"),
                    Crm = connection.Kind,
                    EventIdentity = $"backfill:{job.JobId:N}:{job.Phase}:{id}",
                    ObjectType = objectType,
                    ObjectId = id,
                    Kind = "backfill",
                    OccurredAt = now,
                });
            }
            job.Processed += ids.Count;
            job.Cursor = next;
            if (next is null)
            {
                var index = Array.IndexOf(BackfillJob.Phases, job.Phase);
                job.Phase = index + 1 < BackfillJob.Phases.Length ? BackfillJob.Phases[index + 1] : "done";
                if (job.Phase == "done")
                {
                    job.Status = BackfillStatus.Completed;
                    job.Completed = now.UtcDateTime;
                    job.Total = Math.Max(job.Total, job.Processed);
                }
            }
            job.ConsecutiveFailures = 0;
            job.Error = null;
            job.Updated = now.UtcDateTime;
            unitOfWork.Replace(BackfillJob.CollectionName, document, job);
            await unitOfWork.CommitAsync(cancellationToken);
            return job.Status == BackfillStatus.Running;
        }
        catch (Exception exception) when (exception is HttpRequestException or Salesforce.SalesforceApiException or ConcurrencyConflictException)
        {
            job.ConsecutiveFailures++;
            job.Error = exception.Message;
            job.Updated = now.UtcDateTime;
            if (job.ConsecutiveFailures >= MaxConsecutiveFailures)
                job.Status = BackfillStatus.Failed;
            logger.LogWarning("Backfill of tenant {Tenant} could not read a page ({Failures} in a row): {Error}", job.TenantId, job.ConsecutiveFailures, exception.Message);
            try
            {
                await store.ReplaceAsync(BackfillJob.CollectionName, document, job, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
            }
            return false;
        }
    }

    private static async Task<(IReadOnlyList<string> Ids, string? Next, string ObjectType)> HubSpotPageAsync(HubSpotClient client, CrmConnection connection,
        string token, BackfillJob job, bool first, CancellationToken cancellationToken)
    {
        if (first)
        {
            foreach (var phase in BackfillJob.Phases)
                job.Total += await client.CountAsync(connection.BaseUrl, token, phase, cancellationToken);
        }
        var (items, next) = await client.ListPageAsync(connection.BaseUrl, token, job.Phase, job.Cursor, ["hs_object_id"], cancellationToken);
        return (items.Select(i => i.Id).ToList(), next, job.Phase == "companies" ? "company" : "deal");
    }

    /// <summary>Salesforce pages by record ID (keyset), so the cursor survives restarts and never skips a record.</summary>
    private static async Task<(IReadOnlyList<string> Ids, string? Next, string ObjectType)> SalesforcePageAsync(Salesforce.SalesforceClient client,
        CrmConnection connection, string token, BackfillJob job, bool first, CancellationToken cancellationToken)
    {
        const int pageSize = 200;
        static string ObjectOf(string phase) => phase == "companies" ? "Account" : "Opportunity";
        if (first)
        {
            foreach (var phase in BackfillJob.Phases)
                job.Total += await client.CountAsync(connection.BaseUrl, token, ObjectOf(phase), cancellationToken);
        }
        var objectName = ObjectOf(job.Phase);
        var soql = $"SELECT Id FROM {objectName}" + (job.Cursor is null ? "" : $" WHERE Id > {Salesforce.SalesforceClient.Literal(job.Cursor)}") +
                   $" ORDER BY Id LIMIT {pageSize}";
        var records = await client.QueryAsync(connection.BaseUrl, token, soql, cancellationToken);
        var ids = records.Select(r => r.Id).Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).ToList();
        return (ids, ids.Count == pageSize ? ids[^1] : null, objectName);
    }

    private async Task FinishAsync(StoredDocument<BackfillJob> document, BackfillStatus status, string error, CancellationToken cancellationToken)
    {
        var job = document.Value;
        job.Status = status;
        job.Error = error;
        job.Updated = time.GetUtcNow().UtcDateTime;
        await store.ReplaceAsync(BackfillJob.CollectionName, document, job, cancellationToken);
    }
}
