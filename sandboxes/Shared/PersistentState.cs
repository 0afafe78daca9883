namespace QuoteToCash.Sandbox.Shared;

/// <summary>A sandbox's whole state as one JSON document, with a version that moves on every change.</summary>
public interface IPersistentState
{
    long Version { get; }

    string Serialize();

    void Load(string json);
}

/// <summary>
/// With a data file configured, loads the state at start and writes it after changes (at most twice a second) and at
/// stop, through a temporary file so a crash never leaves half a document.
/// </summary>
public class StatePersistence(IPersistentState state, string? dataFile, string sandboxName, ILogger logger) : BackgroundService
{
    private long _savedVersion = -1;

    private string? DataFile => string.IsNullOrWhiteSpace(dataFile) ? null : Path.GetFullPath(dataFile);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (DataFile is { } file && File.Exists(file))
        {
            state.Load(File.ReadAllText(file));
            _savedVersion = state.Version;
            logger.LogInformation("Loaded {Sandbox} sandbox state from {File}", sandboxName, file);
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
        var version = state.Version;
        if (version == _savedVersion || DataFile is not { } file)
            return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, state.Serialize());
            File.Move(temporary, file, overwrite: true);
            _savedVersion = version;
        }
        catch (IOException exception)
        {
            logger.LogWarning(exception, "Could not write {Sandbox} sandbox state to {File}", sandboxName, file);
        }
    }
}
