using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

/// <summary>The sandbox as a real process: `dotnet QuoteToCash.Sandbox.QuickBooks.dll --urls http://127.0.0.1:&lt;port&gt;`.</summary>
public sealed class SandboxProcess : IAsyncDisposable
{
    private const string Project = "QuoteToCash.Sandbox.QuickBooks";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SandboxProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<SandboxProcess> StartAsync()
    {
        // Built in the same configuration as this test assembly: artifacts/bin/<project>/<config>/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var directory = Path.Combine(RepositoryRoot, "artifacts", "bin", Project, configuration);
        var dll = Path.Combine(directory, Project + ".dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException("The QuickBooks sandbox is not built.", dll);

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--contentRoot", directory, "--urls", baseAddress.ToString().TrimEnd('/') })
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start };
        var sandbox = new SandboxProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => sandbox.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sandbox.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await sandbox.WaitReadyAsync(TimeSpan.FromSeconds(30));
        return sandbox;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The sandbox exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health/ready"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The sandbox did not answer within {timeout.TotalSeconds} s:\n{Output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "QuoteToCash.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("QuoteToCash.sln not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
