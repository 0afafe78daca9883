using System.Text.Json;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.QuickBooks.Configuration;
using QuoteToCash.Sandbox.QuickBooks.Domain;

namespace QuoteToCash.Sandbox.QuickBooks.State;

/// <summary>Optional persistence: with QuickBooks:DataFile set, the state is loaded at start and saved shortly after each change.</summary>
public sealed class StateFile(SandboxState state, IOptions<QuickBooksOptions> options, ILogger<StateFile> logger) : BackgroundService
{
    private static readonly TimeSpan SaveDelay = TimeSpan.FromMilliseconds(250);
    private long _savedVersion = -1;

    public static SandboxData Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            return new SandboxData();
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<SandboxData>(stream, Json.Options) ?? new SandboxData();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.DataFile))
            return;
        _savedVersion = state.Version;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(SaveDelay, stoppingToken);
                Save();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(options.Value.DataFile))
            Save();
    }

    private void Save()
    {
        var version = state.Version;
        if (version == _savedVersion)
            return;
        string text;
        lock (state.Gate)
            text = JsonSerializer.Serialize(state.Data, Json.Options);
        var path = Path.GetFullPath(options.Value.DataFile!);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
            _savedVersion = version;
        }
        catch (IOException exception)
        {
            logger.LogWarning(exception, "Could not save the sandbox state to {Path}", path);
        }
    }
}
