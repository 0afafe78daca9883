using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace QuoteToCash.ServiceDefaults.Storage;

/// <summary>Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"litedb" (embedded default) or "mongodb".</summary>
    public string Engine { get; set; } = "litedb";

    /// <summary>Root of the LiteDB files: <c>{DataDirectory}/{service}/{service}.db</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Full LiteDB file path; overrides <see cref="DataDirectory"/>.</summary>
    public string? LiteDbPath { get; set; }

    /// <summary>
    /// Open the LiteDB file in shared mode, so several replicas of the service on one machine can use one store (slower:
    /// every operation opens the file under a machine-wide lock). Off by default; replicas in production share MongoDB.
    /// </summary>
    public bool LiteDbShared { get; set; }

    /// <summary>MongoDB database name when the connection string names none. Defaults to the service name.</summary>
    public string? Database { get; set; }
}

public static class StorageExtensions
{
    /// <summary>Registers the service's own document store and its readiness check.</summary>
    public static IHostApplicationBuilder AddDocumentStore(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IDocumentStore>(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
            return Create(options, configuration, serviceName, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddHealthChecks().AddCheck<DocumentStoreHealthCheck>("store", tags: ["ready"]);
        return builder;
    }

    public static IDocumentStore Create(StorageOptions options, IConfiguration configuration, string serviceName, TimeProvider time)
    {
        switch (options.Engine.Trim().ToLowerInvariant())
        {
            case "litedb":
                var path = options.LiteDbPath ?? Path.Combine(options.DataDirectory, serviceName, serviceName + ".db");
                return new LiteDbDocumentStore(path, time, options.LiteDbShared);
            case "mongodb":
                var uri = configuration.GetConnectionString("mongodb") ?? configuration["MONGODB_URI"]
                          ?? throw new InvalidOperationException("Storage:Engine is 'mongodb' but neither ConnectionStrings:mongodb nor MONGODB_URI is set.");
                return new MongoDocumentStore(uri, options.Database ?? serviceName.Replace('-', '_'), time);
            default:
                throw new InvalidOperationException($"Storage:Engine '{options.Engine}' is not supported; use 'litedb' or 'mongodb'.");
        }
    }
}

internal sealed class DocumentStoreHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await store.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{store.Engine} reachable");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy($"{store.Engine} unreachable", exception);
        }
    }
}
