using QuoteToCash.Reporting.Domain.Kpis;

namespace QuoteToCash.Reporting.Domain.ReadModels;

/// <summary>Where a tenant's reporting settings (targets, ownership, cost rates) are kept.</summary>
public interface IReportingSettingsStore
{
    /// <summary>The tenant's settings; empty ones when none were saved.</summary>
    Task<ReportingSettings> GetAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Applies the change to the tenant's settings and saves them (retrying on a concurrent change).</summary>
    Task<ReportingSettings> UpdateAsync(string tenant, Action<ReportingSettings> change, CancellationToken cancellationToken);
}
