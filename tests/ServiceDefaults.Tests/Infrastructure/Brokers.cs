using DotNet.Testcontainers.Builders;
using Testcontainers.MongoDb;
using Testcontainers.RabbitMq;

namespace QuoteToCash.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// Real infrastructure for the tests: RABBITMQ_URI / MONGODB_URI when set (test.sh sets RABBITMQ_URI),
/// otherwise a Testcontainers container when a Docker engine exists, otherwise a skip that says why.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    private RabbitMqContainer? _container;

    public string? Uri { get; private set; }

    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Uri = Environment.GetEnvironmentVariable("RABBITMQ_URI");
        if (!string.IsNullOrWhiteSpace(Uri))
            return;
        try
        {
            _container = new RabbitMqBuilder("rabbitmq:3.13-management").Build();
            await _container.StartAsync();
            Uri = _container.GetConnectionString();
        }
        catch (Exception exception) when (exception is DockerUnavailableException or ArgumentException or InvalidOperationException)
        {
            Unavailable = $"RabbitMQ unavailable: RABBITMQ_URI is not set and Docker is not usable ({exception.GetType().Name}: {exception.Message.Split('\n')[0]})";
        }
    }

    public void SkipIfUnavailable() => Assert.SkipWhen(Unavailable is not null, Unavailable ?? string.Empty);

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
            await _container.DisposeAsync();
    }
}

public sealed class MongoDbServer : IAsyncLifetime
{
    private MongoDbContainer? _container;

    public string? ConnectionString { get; private set; }

    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        ConnectionString = Environment.GetEnvironmentVariable("MONGODB_URI");
        if (!string.IsNullOrWhiteSpace(ConnectionString))
            return;
        try
        {
            _container = new MongoDbBuilder("mongo:7.0").WithReplicaSet().Build();
            await _container.StartAsync();
            ConnectionString = _container.GetConnectionString();
        }
        catch (Exception exception) when (exception is DockerUnavailableException or ArgumentException or InvalidOperationException)
        {
            Unavailable = $"MongoDB unavailable: MONGODB_URI is not set and Docker is not usable ({exception.GetType().Name}: {exception.Message.Split('\n')[0]}). The same contract suite ran against LiteDB.";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
            await _container.DisposeAsync();
    }
}

public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "q2c-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
