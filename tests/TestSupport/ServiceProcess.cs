using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace QuoteToCash.Testing;

/// <summary>One real platform process (a service or the gateway), started with `dotnet &lt;dll&gt;` on a loopback port.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _project;
    private readonly string _logFile;
    private Process? _process;
    private StreamWriter? _log;

    public ServiceProcess(string name, string project, int port, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        Name = name;
        _project = project;
        Port = port;
        Environment = new Dictionary<string, string>(environment);
        _logFile = Path.Combine(logDirectory, name + ".log");
    }

    public string Name { get; }

    public int Port { get; }

    public Dictionary<string, string> Environment { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process is null || _process.HasExited;

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>CPU time the running process has used so far (user and system), for benchmarks' cost per unit of work.</summary>
    public TimeSpan? ProcessorTime
    {
        get
        {
            try
            {
                return _process is { HasExited: false } p ? p.TotalProcessorTime : null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Everything the process has written so far.</summary>
    public string Output => LogTail(int.MaxValue);

    /// <summary>Starts a host on a free loopback port, logging to a scratch folder, and waits until its /health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var logs = Path.Combine(Path.GetTempPath(), "q2c-process-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(logs);
        var process = new ServiceProcess(project, project, FreePort(), environment ?? new Dictionary<string, string>(), logs);
        process.Start();
        await process.WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(60));
        return process;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Start()
    {
        // The services are built in the same configuration as this test assembly (artifacts/bin/<project>/<config>/).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var directory = Path.Combine(RepositoryRoot, "artifacts", "bin", _project, configuration);
        var dll = Path.Combine(directory, _project + ".dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{_project} is not built; build the solution first.", dll);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { dll, "--contentRoot", directory, "--urls", BaseAddress.ToString().TrimEnd('/') })
            start.ArgumentList.Add(argument);
        // Production unless the caller names another environment (the gateway's local issuer needs Local).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in Environment)
            start.Environment[key] = value;

        _log = new StreamWriter(_logFile, append: true) { AutoFlush = true };
        _log.WriteLine($"---- start {DateTime.UtcNow:o}");
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_logFile)
            _log?.WriteLine(line);
    }

    /// <param name="anyAnswer">Ready as soon as the server answers at all (for hosts without a readiness endpoint).</param>
    public async Task WaitReadyAsync(TimeSpan timeout, string readinessPath = "/health/ready", bool anyAnswer = false)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string last = "no answer";
        var ready = await Polling.Eventually(async () =>
        {
            if (HasExited)
                throw new InvalidOperationException($"{Name} exited with {ExitCode} while starting. Log tail:\n{LogTail()}");
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, readinessPath));
                if (response.IsSuccessStatusCode || (anyAnswer && (int)response.StatusCode < 500))
                    return true;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timeout";
            }
            return false;
        }, timeout, TimeSpan.FromMilliseconds(250));
        if (!ready)
            throw new TimeoutException($"{Name} not ready after {timeout.TotalSeconds} s ({last}). Log tail:\n{LogTail()}");
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is null)
            return true;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
        lock (_logFile)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    public async Task RestartAsync(TimeSpan readyTimeout)
    {
        await StopAsync();
        Start();
        await WaitReadyAsync(readyTimeout);
    }

    public string LogTail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(_logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "QuoteToCash.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("QuoteToCash.sln not found above " + AppContext.BaseDirectory);
    }
}
