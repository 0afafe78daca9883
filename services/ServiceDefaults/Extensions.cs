using QuoteToCash.ServiceDefaults.Hosting;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Telemetry;
using QuoteToCash.ServiceDefaults.Validation;

namespace QuoteToCash.ServiceDefaults;

/// <summary>What every QuoteToCash host gets: OpenTelemetry, health endpoints, problem+json errors, forwarded headers and operator auth.</summary>
public static class Extensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Configuration key of the largest request body Kestrel accepts in a service (bytes); larger ones get 413.</summary>
    public const string MaxRequestBodyBytesKey = "Server:MaxRequestBodyBytes";

    /// <summary>
    /// 4 MiB: above every endpoint's own limit (webhooks 1–2 MiB) and far below Kestrel's 30 MB, so a service refuses
    /// oversized bodies itself even when something other than the gateway reaches it.
    /// </summary>
    public const long DefaultMaxRequestBodyBytes = 4 * 1024 * 1024;

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.AddServiceClock();
        builder.ConfigureOpenTelemetry(serviceName);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? c.HttpContext.TraceIdentifier;
        });
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
        });
        var maxBody = builder.Configuration.GetValue<long?>(MaxRequestBodyBytesKey) ?? DefaultMaxRequestBodyBytes;
        if (maxBody <= 0)
            throw new InvalidOperationException($"{MaxRequestBodyBytesKey} must be a positive number of bytes, not {maxBody}.");
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = maxBody);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.AddOperatorAuthentication();
        builder.AddHostileInputDefences();
        return builder;
    }

    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceNamespace: "quotetocash"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "QuoteToCash.*", "Yarp.ReverseProxy")
                .AddView("q2c.flow.won_to_posted", new ExplicitBucketHistogramConfiguration { Boundaries = FlowMetrics.WonToPostedBuckets }))
            .WithTracing(tracing => tracing
                .AddSource("MassTransit", "QuoteToCash.*", "Yarp.ReverseProxy")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
        return builder;
    }

    /// <summary>Problem+json for unhandled errors, forwarded headers, auth (OpenAPI documents for operators only), and the two health endpoints.</summary>
    /// <param name="mapReadiness">False for a host that answers /health/ready itself (the gateway aggregates its services).</param>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool mapReadiness = true)
    {
        app.UseForwardedHeaders();
        app.UseTenantScope();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOpenApiForOperatorsOnly();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag), ResponseWriter = WriteHealth });
        if (mapReadiness)
            app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth });
        return app;
    }

    public static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var identity = context.RequestServices.GetService<ServiceIdentity>();
        // Anyone may ask whether the service is up; why a check fails (addresses, exception text) is for operators only.
        var detailed = context.User.IsOperator();
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            service = identity?.Name,
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => detailed
                ? (object)new { status = e.Value.Status.ToString(), description = e.Value.Description, error = e.Value.Exception?.Message }
                : new { status = e.Value.Status.ToString() }),
        }, cancellationToken: context.RequestAborted);
    }
}

public sealed record ServiceIdentity(string Name);
