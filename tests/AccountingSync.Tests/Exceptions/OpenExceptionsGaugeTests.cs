using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>The open-exceptions gauge counts what finance still has to work, by kind and status, across tenants.</summary>
public sealed class OpenExceptionsGaugeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-exc-gauge-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public OpenExceptionsGaugeTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Open_and_assigned_exceptions_are_counted_by_kind_and_resolved_or_ignored_ones_are_not()
    {
        using var store = new LiteDbDocumentStore(Path.Combine(_directory, "accounting-sync.db"));
        var meters = _metrics.GetRequiredService<IMeterFactory>();
        var gauge = new OpenExceptionsGauge(store, meters);
        (string Tenant, SyncExceptionKind Kind, SyncExceptionStatus Status)[] records =
        [
            ("acme", SyncExceptionKind.MappingMissing, SyncExceptionStatus.Open),
            ("globex", SyncExceptionKind.MappingMissing, SyncExceptionStatus.Open),
            ("acme", SyncExceptionKind.MappingMissing, SyncExceptionStatus.Assigned),
            ("acme", SyncExceptionKind.QboUnavailable, SyncExceptionStatus.Open),
            ("acme", SyncExceptionKind.QboUnavailable, SyncExceptionStatus.Resolved),
            ("acme", SyncExceptionKind.Validation, SyncExceptionStatus.Ignored),
        ];
        await store.CommitAsync(records.Select(r =>
        {
            var record = new SyncExceptionRecord { ExceptionId = Guid.NewGuid(), TenantId = r.Tenant, Kind = r.Kind, Status = r.Status };
            return DocumentWrite.Insert(SyncExceptionRecord.CollectionName, record.ExceptionId.ToString("D"), record);
        }).ToList(), TestContext.Current.CancellationToken);

        await gauge.SampleAsync(TestContext.Current.CancellationToken);

        var observed = new Dictionary<(string Kind, string Status), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "q2c.exceptions.open")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string kind = "", status = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                    kind = (string)tag.Value!;
                else if (tag.Key == "status")
                    status = (string)tag.Value!;
            }
            observed[(kind, status)] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(2, observed[("MappingMissing", "Open")]);
        Assert.Equal(1, observed[("MappingMissing", "Assigned")]);
        Assert.Equal(1, observed[("QboUnavailable", "Open")]);
        Assert.Equal(0, observed[("Validation", "Open")]); // every kind is reported, at zero when there is none
        Assert.Equal(Enum.GetValues<SyncExceptionKind>().Length * 2, observed.Count);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
