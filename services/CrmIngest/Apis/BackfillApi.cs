using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.Backfill;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Apis;

/// <summary>Start and watch the initial import of a tenant's existing companies and deals.</summary>
public static class BackfillApi
{
    public static IEndpointRouteBuilder MapBackfillApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/crm/{tenant}").RequireTenantAccess().WithTags("Backfill");
        api.MapPost("/backfill", Start).RequireAuthorization(Policies.Admin);
        api.MapGet("/backfill", Get);
        return app;
    }

    public sealed record BackfillView(Guid JobId, string Status, string Phase, long Processed, long Total, decimal Percent, double? EtaSeconds,
        DateTime Started, DateTime Updated, DateTime? Completed, string? Error);

    public static BackfillView View(BackfillJob job, DateTime now)
    {
        var percent = job.Total == 0 ? (job.Status == BackfillStatus.Completed ? 100m : 0m) : Math.Round(100m * job.Processed / job.Total, 1);
        double? eta = null;
        var elapsed = (now - job.Started).TotalSeconds;
        if (job.Status == BackfillStatus.Running && job.Processed > 0 && job.Total > job.Processed && elapsed > 0)
            eta = Math.Round((job.Total - job.Processed) / (job.Processed / elapsed), 1);
        else if (job.Status == BackfillStatus.Completed)
            eta = 0;
        return new BackfillView(job.JobId, job.Status.ToString(), job.Phase, job.Processed, job.Total, Math.Min(100m, percent), eta, job.Started, job.Updated, job.Completed, job.Error);
    }

    public static async Task<Results<Accepted<BackfillView>, ProblemHttpResult>> Start(string tenant, IDocumentStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(tenant, cancellationToken) is null)
            return ApiProblems.NotFound("Not connected", $"Connect tenant '{tenant}' to its CRM before importing.");
        var now = time.GetUtcNow().UtcDateTime;
        var existing = await store.Collection<BackfillJob>(BackfillJob.CollectionName).GetAsync(tenant, cancellationToken);
        if (existing is { Value.Status: BackfillStatus.Running })
            return TypedResults.Accepted($"/api/crm/{tenant}/backfill", View(existing.Value, now)); // one import at a time; this one goes on
        var job = new BackfillJob
        {
            TenantId = tenant, JobId = Guid.NewGuid(), Status = BackfillStatus.Running, Started = now, Updated = now,
            Trace = QuoteToCash.ServiceDefaults.Telemetry.StoredTraceContext.Capture(),
        };
        await store.CommitAsync([DocumentWrite.Upsert(BackfillJob.CollectionName, tenant, job)], cancellationToken);
        return TypedResults.Accepted($"/api/crm/{tenant}/backfill", View(job, now));
    }

    public static async Task<Results<Ok<BackfillView>, ProblemHttpResult>> Get(string tenant, IDocumentStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var job = await store.Collection<BackfillJob>(BackfillJob.CollectionName).GetAsync(tenant, cancellationToken);
        return job is null
            ? ApiProblems.NotFound("No import", $"No import was started for tenant '{tenant}'.")
            : TypedResults.Ok(View(job.Value, time.GetUtcNow().UtcDateTime));
    }
}
