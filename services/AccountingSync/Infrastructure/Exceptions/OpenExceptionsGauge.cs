using System.Diagnostics.Metrics;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.AccountingSync.Infrastructure.Exceptions;

/// <summary>
/// Finance's exception queue as a gauge: exceptions not yet resolved or ignored, by kind and status (open, assigned),
/// over all tenants. Every kind is reported, at zero when there is none, so an alert can tell "none" from "not measured".
/// </summary>
public sealed class OpenExceptionsGauge : ISampledGauge
{
    public const string MeterName = "QuoteToCash.AccountingSync";

    private readonly IDocumentStore _store;
    private volatile IReadOnlyList<Measurement<long>> _counts = [];

    public OpenExceptionsGauge(IDocumentStore store, IMeterFactory meters)
    {
        _store = store;
        meters.Create(MeterName).CreateObservableGauge("q2c.exceptions.open", () => _counts, unit: "{exception}",
            description: "Sync exceptions open or assigned in finance's queue, by kind and status");
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        // One equality question per status, through the status index (an "or" reads every record ever raised).
        var records = _store.Collection<SyncExceptionRecord>(SyncExceptionRecord.CollectionName);
        var unresolved = (await records.FindAsync(e => e.Status == SyncExceptionStatus.Open, cancellationToken: cancellationToken))
            .Concat(await records.FindAsync(e => e.Status == SyncExceptionStatus.Assigned, cancellationToken: cancellationToken)).ToList();
        var counts = unresolved.GroupBy(e => (e.Value.Kind, e.Value.Status)).ToDictionary(g => g.Key, g => (long)g.Count());
        _counts =
        [
            .. from kind in Enum.GetValues<SyncExceptionKind>()
               from status in new[] { SyncExceptionStatus.Open, SyncExceptionStatus.Assigned }
               select new Measurement<long>(counts.GetValueOrDefault((kind, status)),
                   new KeyValuePair<string, object?>("kind", kind.ToString()), new KeyValuePair<string, object?>("status", status.ToString())),
        ];
    }
}
