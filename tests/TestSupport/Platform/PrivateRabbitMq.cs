using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace QuoteToCash.Testing.Platform;

/// <summary>
/// A RabbitMQ node of its own (Debian's rabbitmq-server, started as a second node on free loopback ports, with its own
/// data folder and the management plugin on a port of its own), for a test that restarts the broker or counts the
/// messages a run moved. Restarting it disturbs no other test and no other broker on the machine.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private readonly string _directory;
    private readonly string _node;
    private readonly HttpClient _management;
    private readonly int _distributionPort = ServiceProcess.FreePort();

    private PrivateRabbitMq(string directory, string node, int amqpPort, int managementPort)
    {
        _directory = directory;
        _node = node;
        AmqpPort = amqpPort;
        ManagementPort = managementPort;
        _management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
    }

    public int AmqpPort { get; }

    public int ManagementPort { get; }

    /// <summary>The URI the services connect with (the default virtual host of this node).</summary>
    public string AmqpUri => $"amqp://guest:guest@127.0.0.1:{AmqpPort}/";

    /// <summary>Why a private node cannot run here, or null when it can (the server is installed and we may run it).</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Path.Combine(Bin, "rabbitmq-server")))
            return "rabbitmq-server is not installed here (" + Bin + "), so the test cannot run a broker of its own to restart.";
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            return "a broker node of its own needs root here (Debian's rabbitmq-server refuses other users).";
        return null;
    }

    /// <summary>Starts a node and waits until it takes connections.</summary>
    public static async Task<PrivateRabbitMq> StartAsync(TimeSpan? timeout = null)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var directory = Path.Combine(Path.GetTempPath(), "q2c-rabbit-" + id);
        Directory.CreateDirectory(Path.Combine(directory, "home"));
        // Only the management plugin; the machine's own list may name plugins whose ports are taken.
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[rabbitmq_management].\n");
        var broker = new PrivateRabbitMq(directory, $"q2c{id}@localhost", ServiceProcess.FreePort(), ServiceProcess.FreePort());
        await broker.StartNodeAsync(timeout ?? TimeSpan.FromSeconds(90));
        return broker;
    }

    private Dictionary<string, string> NodeEnvironment() => new()
    {
        ["HOME"] = Path.Combine(_directory, "home"),
        ["RABBITMQ_NODENAME"] = _node,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(_directory, "node.pid"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = $"-rabbitmq_management listener [{{port,{ManagementPort}}},{{ip,\"127.0.0.1\"}}]",
    };

    private async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(Bin, tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in NodeEnvironment())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await output + await error);
    }

    private Task<(int ExitCode, string Output)> CtlAsync(params string[] arguments) => RunAsync("rabbitmqctl", ["-n", _node, .. arguments]);

    private async Task StartNodeAsync(TimeSpan timeout)
    {
        var (code, output) = await RunAsync("rabbitmq-server", "-detached");
        if (code != 0)
            throw new InvalidOperationException($"rabbitmq-server -detached failed ({code}): {output}");
        await WaitRunningAsync(timeout);
    }

    private async Task WaitRunningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var (code, output) = await CtlAsync("await_startup", "--timeout", "30");
            if (code == 0)
                return;
            last = output;
            await Task.Delay(500);
        }
        throw new TimeoutException($"The private RabbitMQ node {_node} did not start within {timeout.TotalSeconds} s: {last}");
    }

    /// <summary>
    /// Restarts the broker: the RabbitMQ application stops (every connection is closed, nothing is accepted meanwhile)
    /// and starts again, recovering its durable queues and persistent messages from disk.
    /// </summary>
    public async Task RestartAsync(TimeSpan? pause = null)
    {
        var (code, output) = await CtlAsync("stop_app");
        if (code != 0)
            throw new InvalidOperationException($"rabbitmqctl stop_app failed ({code}): {output}");
        if (pause is { } wait)
            await Task.Delay(wait);
        (code, output) = await CtlAsync("start_app");
        if (code != 0)
            throw new InvalidOperationException($"rabbitmqctl start_app failed ({code}): {output}");
        await WaitRunningAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>The node's message counters since it started (management API, /api/overview).</summary>
    public async Task<BrokerCounters> CountersAsync()
    {
        var overview = await _management.GetFromJsonAsync<JsonElement>("api/overview");
        static long Count(JsonElement stats, string name) => stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        var stats = overview.TryGetProperty("message_stats", out var s) ? s : default;
        return new BrokerCounters(Count(stats, "publish"), Count(stats, "deliver_get"), Count(stats, "ack"), Count(stats, "confirm"));
    }

    /// <summary>Messages waiting in every queue of the node (ready and unacknowledged).</summary>
    public async Task<long> MessagesQueuedAsync()
    {
        var queues = await _management.GetFromJsonAsync<JsonElement>("api/queues");
        return queues.EnumerateArray().Sum(q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
    }

    /// <summary>Messages waiting in each queue of the node (ready and unacknowledged), by queue name.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync()
    {
        var queues = await _management.GetFromJsonAsync<JsonElement>("api/queues?columns=name,messages");
        return queues.EnumerateArray().ToDictionary(q => q.GetProperty("name").GetString()!,
            q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
    }

    public async ValueTask DisposeAsync()
    {
        _management.Dispose();
        await CtlAsync("stop");
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A broker's message counters: published, delivered (or got), acknowledged by consumers, confirmed to publishers.</summary>
public sealed record BrokerCounters(long Published, long Delivered, long Acknowledged, long Confirmed)
{
    public BrokerCounters Since(BrokerCounters earlier) =>
        new(Published - earlier.Published, Delivered - earlier.Delivered, Acknowledged - earlier.Acknowledged, Confirmed - earlier.Confirmed);
}
