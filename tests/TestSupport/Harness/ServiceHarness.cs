using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Testing.Harness;

/// <summary>
/// One service's consumers and sagas on MassTransit's in-memory test harness, with the service's own persistence
/// around them: a LiteDB store in a temporary folder, the store-backed saga repository, the inbox/outbox on every
/// endpoint (so a re-delivered message ID is applied once, as in production) and a <see cref="FakeTimeProvider"/>.
/// Transport, retries and queues are in memory; everything a consumer or saga writes is real.
/// </summary>
public sealed class ServiceHarness : IAsyncDisposable
{
    /// <summary>The clock every harness starts at unless a test says otherwise: 09:00 UTC on a Monday.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    // MassTransit keeps one static log context per process; harnesses of parallel tests must not hand it a logger
    // factory that dies with them.
    private static readonly ILoggerFactory SharedLoggerFactory = LoggerFactory.Create(_ => { });

    // A cancelled token makes MassTransit's message lists return what they hold now instead of waiting for more.
    private static readonly CancellationToken Snapshot = new(canceled: true);

    private readonly IHost _host;
    private readonly string _directory;
    private readonly ReceiptCounter _receipts = new();

    private ServiceHarness(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
        host.Services.GetRequiredService<IBus>().ConnectReceiveObserver(_receipts);
    }

    public IServiceProvider Services => _host.Services;

    public ITestHarness Bus => _host.Services.GetRequiredService<ITestHarness>();

    public FakeTimeProvider Time => (FakeTimeProvider)_host.Services.GetRequiredService<TimeProvider>();

    public IDocumentStore Store => _host.Services.GetRequiredService<IDocumentStore>();

    /// <param name="configure">The service's own bus registrations (its consumers, sagas and definitions).</param>
    /// <param name="services">Further registrations, e.g. a CRM client pointed at a sandbox.</param>
    /// <param name="configuration">Configuration values the service reads.</param>
    public static async Task<ServiceHarness> StartAsync(Action<IBusRegistrationConfigurator> configure,
        Action<IServiceCollection>? services = null, IDictionary<string, string?>? configuration = null,
        DateTimeOffset? start = null, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "q2c-harness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDbPath"] = Path.Combine(directory, "service.db"),
            ["Messaging:RetryIntervalsMs:0"] = "10",
            ["Messaging:RetryIntervalsMs:1"] = "20",
        });
        if (configuration is not null)
            builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(start ?? DefaultStart));
        builder.Services.AddSingleton(SharedLoggerFactory);
        services?.Invoke(builder.Services);
        builder.AddDocumentStore("service");
        builder.AddMessagingInfrastructure();
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.UseDocumentStorePersistence();
            configure(x);
        });

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ServiceHarness(host, directory);
    }

    /// <summary>Publishes a message as a peer service would, with a message ID of its own unless one is given (to re-deliver it).</summary>
    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        await Bus.Bus.Publish(message, context => context.MessageId = id);
        return id;
    }

    /// <summary>
    /// Waits until the message with this ID has been received <paramref name="times"/> times and its handling has
    /// ended (committed, or recognised by the inbox as a repeat). MassTransit's own received-message list keeps one
    /// entry per message ID, so re-deliveries are counted here.
    /// </summary>
    public async Task ConsumedAsync<T>(Guid messageId, int times = 1) where T : class
    {
        await _receipts.WaitAsync(messageId, times, Bus.TestTimeout);
        var fault = Bus.Published.Select<Fault<T>>(Snapshot).FirstOrDefault(f => f.Context.Message.FaultedMessageId == messageId);
        if (fault is not null)
            throw new InvalidOperationException($"{typeof(T).Name} {messageId} faulted: " +
                string.Join("; ", fault.Context.Message.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}")));
    }

    /// <summary>
    /// Waits until the bus has been quiet for <paramref name="quiet"/> (default 150 ms): nothing being handled and nothing
    /// started. For chains of messages a test cannot name, such as a reply from a peer service.
    /// </summary>
    public Task SettleAsync(TimeSpan? quiet = null) => _receipts.QuietAsync(quiet ?? TimeSpan.FromMilliseconds(150), Bus.TestTimeout);

    /// <summary>Publishes a message and waits until it has been handled.</summary>
    public async Task<Guid> DeliverAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = await PublishAsync(message, messageId);
        await ConsumedAsync<T>(id);
        return id;
    }

    /// <summary>
    /// The messages of type <typeparamref name="T"/> the service published so far, without waiting for more. A consumer's
    /// messages leave through the store-backed outbox as serialized envelopes after its commit, so they are read back
    /// from what the bus sent.
    /// </summary>
    public IReadOnlyList<T> Published<T>() where T : class
    {
        var urn = MessageUrn.ForTypeString<T>();
        var direct = Bus.Published.Select<T>(Snapshot).Select(m => m.Context.Message);
        var throughOutbox = Bus.Sent.Select(m => m.Context.SupportedMessageTypes.Contains(urn), Snapshot)
            .Select(m => SentEnvelope.Read<T>(m.Context));
        return direct.Concat(throughOutbox).ToList();
    }

    /// <summary>The stored document, or null.</summary>
    public async Task<T?> GetAsync<T>(string collection, string id) where T : class =>
        (await Store.Collection<T>(collection).GetAsync(id))?.Value;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // The temporary folder is only tidied up; a file still held open is no failure of the test.
            }
        }
    }
}

/// <summary>Counts, per message ID, the deliveries whose receive pipeline has ended.</summary>
internal sealed class ReceiptCounter : IReceiveObserver
{
    private readonly Dictionary<Guid, int> _counts = [];
    private readonly Dictionary<Guid, string> _faults = [];
    private int _inFlight;
    private long _lastActivity = Environment.TickCount64;

    public async Task QuietAsync(TimeSpan quiet, TimeSpan timeout)
    {
        if (!await Polling.Eventually(() => Volatile.Read(ref _inFlight) == 0 && Environment.TickCount64 - Interlocked.Read(ref _lastActivity) >= quiet.TotalMilliseconds,
                timeout, TimeSpan.FromMilliseconds(10)))
            throw new TimeoutException($"The bus did not settle within {timeout}.");
    }

    private void Activity() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    public async Task WaitAsync(Guid messageId, int times, TimeSpan timeout)
    {
        var handled = await Polling.Eventually(() => Fault(messageId) is not null || Count(messageId) >= times, timeout, TimeSpan.FromMilliseconds(10));
        if (Fault(messageId) is { } fault)
            throw new InvalidOperationException($"Message {messageId} faulted: {fault}");
        if (!handled)
            throw new TimeoutException($"Message {messageId} was handled {Count(messageId)} time(s), not {times}, within {timeout}.");
    }

    private int Count(Guid messageId)
    {
        lock (_counts)
            return _counts.GetValueOrDefault(messageId);
    }

    private string? Fault(Guid messageId)
    {
        lock (_counts)
            return _faults.GetValueOrDefault(messageId);
    }

    public Task PreReceive(ReceiveContext context)
    {
        Interlocked.Increment(ref _inFlight);
        Activity();
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        Interlocked.Decrement(ref _inFlight);
        Activity();
        if (context.GetMessageId() is { } id)
        {
            lock (_counts)
                _counts[id] = _counts.GetValueOrDefault(id) + 1;
        }
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Interlocked.Decrement(ref _inFlight);
        Activity();
        if (context.GetMessageId() is { } id)
        {
            lock (_counts)
                _faults[id] = exception.Message;
        }
        return Task.CompletedTask;
    }
}

/// <summary>Reads the message back out of a send whose body was serialized before it was sent (an outbox envelope).</summary>
internal static class SentEnvelope
{
    private static readonly System.Reflection.MethodInfo BodyOf =
        typeof(SentEnvelope).GetMethod(nameof(Body), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    public static T Read<T>(SendContext context) where T : class
    {
        var messageType = context.GetType().GetInterfaces()
            .First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(SendContext<>)).GetGenericArguments()[0];
        var json = (string)BodyOf.MakeGenericMethod(messageType).Invoke(null, [context])!;
        using var envelope = System.Text.Json.JsonDocument.Parse(json);
        return envelope.RootElement.GetProperty("message").Deserialize<T>(System.Text.Json.JsonSerializerOptions.Web)
               ?? throw new InvalidOperationException($"The sent {typeof(T).Name} has an empty body.");
    }

    private static string Body<TMessage>(SendContext context) where TMessage : class =>
        context.Serializer.GetMessageBody((SendContext<TMessage>)context).GetString();
}
