using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// A gauge whose value costs I/O (a store count, a broker round trip). Observable-gauge callbacks run on the exporter's
/// thread and must not block, so <see cref="GaugeSampler"/> calls <see cref="SampleAsync"/> every
/// <see cref="TelemetryOptions.SampleInterval"/> and the gauge reports what the last sample found.
/// </summary>
public interface ISampledGauge
{
    Task SampleAsync(CancellationToken cancellationToken);
}

/// <summary>Samples every registered <see cref="ISampledGauge"/> on an interval; one failing gauge does not stop the others.</summary>
public sealed class GaugeSampler(IEnumerable<ISampledGauge> gauges, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<GaugeSampler> logger)
    : BackgroundService
{
    private readonly Dictionary<Type, bool> _failing = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await SampleAllAsync(stoppingToken);
            await Task.Delay(options.Value.SampleInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One pass over every gauge.</summary>
    public async Task SampleAllAsync(CancellationToken cancellationToken)
    {
        foreach (var gauge in gauges)
        {
            var type = gauge.GetType();
            try
            {
                await gauge.SampleAsync(cancellationToken);
                if (_failing.Remove(type))
                    logger.LogInformation("Gauge {Gauge} samples again", type.Name);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Once per outage, not once per pass: the gauge keeps its last values meanwhile.
                if (_failing.TryAdd(type, true))
                    logger.LogWarning(exception, "Gauge {Gauge} could not be sampled; it keeps its last values until it can", type.Name);
            }
        }
    }
}

public static class GaugeSamplerExtensions
{
    /// <summary>Registers a sampled gauge (a singleton) and the sampler that drives it.</summary>
    public static IServiceCollection AddSampledGauge<TGauge>(this IServiceCollection services) where TGauge : class, ISampledGauge
    {
        services.TryAddSingleton<TGauge>();
        services.AddSingleton<ISampledGauge>(sp => sp.GetRequiredService<TGauge>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(GaugeSampler)))
            services.AddHostedService<GaugeSampler>();
        return services;
    }
}
