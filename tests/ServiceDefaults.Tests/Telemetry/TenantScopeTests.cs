using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Tests.Telemetry;

/// <summary>A request to a tenant's route logs with the tenant (and flow) in scope, and its span carries them.</summary>
public sealed class TenantScopeTests : IAsyncLifetime
{
    private readonly ScopeCapturingProvider _logs = new();
    private readonly HttpClient _client = new();
    private WebApplication? _app;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(_logs);
        builder.AddServiceDefaults("scope-tests");
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGet("/api/test/{tenant}/flows/{flowId}", (ILogger<TenantScopeTests> logger) =>
        {
            logger.LogInformation("Reading the flow");
            // The request's (server) span, as the exporter will see it.
            return $"{Activity.Current?.GetTagItem(PlatformTelemetry.TenantAttribute)}|{Activity.Current?.GetTagItem(PlatformTelemetry.FlowAttribute)}";
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _client.BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task The_tenant_and_flow_of_the_route_are_in_the_requests_log_scope_and_on_its_span()
    {
        var flowId = Guid.NewGuid();
        var spanTags = await _client.GetStringAsync($"/api/test/acme/flows/{flowId}", TestContext.Current.CancellationToken);

        var line = Assert.Single(_logs.Lines, l => l.Message == "Reading the flow");
        Assert.Equal("acme", line.Scope["TenantId"]);
        Assert.Equal(flowId.ToString("D"), line.Scope["FlowId"]);
        Assert.Equal($"acme|{flowId:D}", spanTags);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        _client.Dispose();
    }

    /// <summary>Keeps each log line with the fields of the scopes it was written in.</summary>
    private sealed class ScopeCapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Message, Dictionary<string, object?> Scope)> Lines { get; } = new();

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = new Dictionary<string, object?>();
                provider._scopes.ForEachScope((scope, into) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                            into[key] = value;
                    }
                }, fields);
                provider.Lines.Enqueue((formatter(state, exception), fields));
            }
        }
    }
}
