using Microsoft.Extensions.Options;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>With Salesforce:DataFile set, loads the state at start and writes it after changes (at most twice a second) and at stop.</summary>
public sealed class StatePersistence(SalesforceStore store, IOptions<SalesforceSandboxOptions> options, ILogger<StatePersistence> logger) : BackgroundService
{
    private long _savedVersion = -1;

    private string? DataFile => string.IsNullOrWhiteSpace(options.Value.DataFile) ? null : Path.GetFullPath(options.Value.DataFile);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (DataFile is { } file && File.Exists(file))
        {
            store.Load(File.ReadAllText(file));
            _savedVersion = store.Version;
            logger.LogInformation("Loaded Salesforce sandbox state from {File}", file);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (DataFile is null)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                Save();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (DataFile is not null)
            Save();
    }

    private void Save()
    {
        var version = store.Version;
        if (version == _savedVersion || DataFile is not { } file)
            return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, store.Serialize());
            File.Move(temporary, file, overwrite: true);
            _savedVersion = version;
        }
        catch (IOException exception)
        {
            logger.LogWarning(exception, "Could not write Salesforce sandbox state to {File}", file);
        }
    }
}
