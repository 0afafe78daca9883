using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// Depth and consumers of the service's own RabbitMQ queues (each receive endpoint's queue, and its <c>_error</c>
/// queue), read with a passive queue declare on a connection of its own: the broker's management API is not published
/// in any of the platform's shapes, and AMQP answers a passive declare with the queue's message and consumer counts.
/// The queues are the ones MassTransit reports ready, so each replica reports the queues it consumes from (replicas of
/// one service report the same queues: aggregate with max, not sum).
/// </summary>
public sealed class QueueDepthGauge : ISampledGauge, IReceiveEndpointObserver, IAsyncDisposable
{
    public const string MeterName = "QuoteToCash.Messaging";

    private readonly Uri _broker;
    private readonly IOptions<TelemetryOptions> _options;
    private readonly ConcurrentDictionary<string, bool> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (uint Messages, uint Consumers)> _depths = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;
    private long _passes;

    public QueueDepthGauge(IConfiguration configuration, IOptions<TelemetryOptions> options, IMeterFactory meters)
    {
        _broker = MessagingExtensions.RabbitMqUri(configuration);
        _options = options;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("q2c.rabbitmq.queue.messages", () => _depths.Select(d =>
                new Measurement<long>(d.Value.Messages, new KeyValuePair<string, object?>("queue", d.Key))),
            unit: "{message}", description: "Messages ready in the service's RabbitMQ queue (passive declare)");
        meter.CreateObservableGauge("q2c.rabbitmq.queue.consumers", () => _depths.Select(d =>
                new Measurement<long>(d.Value.Consumers, new KeyValuePair<string, object?>("queue", d.Key))),
            unit: "{consumer}", description: "Consumers attached to the service's RabbitMQ queue (all replicas)");
    }

    /// <summary>The queues being watched (receive endpoints that reported ready).</summary>
    public IReadOnlyCollection<string> Queues => _queues.Keys.ToList();

    /// <summary>The last depth read for the queue, if it exists.</summary>
    public (uint Messages, uint Consumers)? Depth(string queue) => _depths.TryGetValue(queue, out var depth) ? depth : null;

    /// <summary>Watches a queue without waiting for MassTransit to report it (a queue of another component, or a test).</summary>
    public void Watch(string queue) => _queues.TryAdd(queue, true);

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        if (_queues.IsEmpty)
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var withErrors = Interlocked.Increment(ref _passes) % Math.Max(1, _options.Value.ErrorQueueEvery) == 1;
            foreach (var queue in _queues.Keys)
            {
                await ReadAsync(queue, cancellationToken);
                if (withErrors || _depths.ContainsKey(queue + "_error"))
                    await ReadAsync(queue + "_error", cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReadAsync(string queue, CancellationToken cancellationToken)
    {
        var channel = await ChannelAsync(cancellationToken);
        try
        {
            var answer = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            _depths[queue] = (answer.MessageCount, answer.ConsumerCount);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            // The queue does not exist (an _error queue before the first failure): the broker closed the channel.
            _depths.TryRemove(queue, out _);
            await DropChannelAsync();
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
            return open;
        await DropChannelAsync();
        if (_connection is not { IsOpen: true })
        {
            if (_connection is not null)
                await _connection.DisposeAsync();
            var factory = new ConnectionFactory { Uri = _broker, ClientProvidedName = "q2c-queue-depth", AutomaticRecoveryEnabled = false };
            _connection = await factory.CreateConnectionAsync(cancellationToken);
        }
        _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return _channel;
    }

    private async Task DropChannelAsync()
    {
        if (_channel is null)
            return;
        try
        {
            await _channel.DisposeAsync();
        }
        catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException or ObjectDisposedException)
        {
        }
        _channel = null;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        var name = ready.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        // Temporary endpoints (the bus's own response queue, request clients) come and go with the process: not watched.
        if (!string.IsNullOrEmpty(name) && !ready.InputAddress.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)
            && !ready.InputAddress.Query.Contains("autodelete=true", StringComparison.OrdinalIgnoreCase))
            Watch(name);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await DropChannelAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
