using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Infrastructure;

/// <summary>Reporting settings as one document per tenant in reporting's store.</summary>
public sealed class ReportingSettingsStore(IDocumentStore store) : IReportingSettingsStore
{
    public async Task<ReportingSettings> GetAsync(string tenant, CancellationToken cancellationToken) =>
        (await store.Collection<ReportingSettings>(ReadModelCollections.Settings).GetAsync(tenant, cancellationToken))?.Value
        ?? new ReportingSettings { TenantId = tenant };

    public async Task<ReportingSettings> UpdateAsync(string tenant, Action<ReportingSettings> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.Collection<ReportingSettings>(ReadModelCollections.Settings).GetAsync(tenant, cancellationToken);
            var settings = current?.Value ?? new ReportingSettings { TenantId = tenant };
            change(settings);
            try
            {
                await store.CommitAsync([current is null
                    ? DocumentWrite.Insert(ReadModelCollections.Settings, tenant, settings)
                    : DocumentWrite.Replace(ReadModelCollections.Settings, tenant, settings, current.Version)], cancellationToken);
                return settings;
            }
            catch (Exception e) when (attempt < 5 && e is ConcurrencyConflictException or DuplicateDocumentException)
            {
            }
        }
    }
}
