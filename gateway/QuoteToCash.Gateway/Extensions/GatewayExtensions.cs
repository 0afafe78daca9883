using System.Threading.RateLimiting;
using QuoteToCash.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Gateway.Apis;

namespace QuoteToCash.Gateway.Extensions;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public int HealthTimeoutSeconds { get; set; } = 3;

    public RateLimitOptions RateLimit { get; set; } = new();

    public sealed class RateLimitOptions
    {
        /// <summary>Requests per window per tenant (or, for calls that name no tenant, per client address).</summary>
        public int PermitLimit { get; set; } = 2000;

        public int WindowSeconds { get; set; } = 10;

        /// <summary>Requests per window per tenant on /webhooks: CRMs burst on imports, and a 429 only delays their retries.</summary>
        public int WebhookPermitLimit { get; set; } = 20000;
    }
}

public static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        builder.Services.Configure<DevIssuerOptions>(builder.Configuration.GetSection(DevIssuerOptions.Section));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddHttpClient(PlatformHealth.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(options.HealthTimeoutSeconds));

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), key => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = key.StartsWith("webhooks:", StringComparison.Ordinal) ? options.RateLimit.WebhookPermitLimit : options.RateLimit.PermitLimit,
                    Window = TimeSpan.FromSeconds(options.RateLimit.WindowSeconds),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = options.RateLimit.WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = 429, Title = "Too many requests",
                        Detail = $"More than {options.RateLimit.PermitLimit} requests in {options.RateLimit.WindowSeconds} s for this tenant; retry after the window.",
                    },
                });
            };
        });
        return builder;
    }

    /// <summary>
    /// The rate-limit bucket of a request, read after authentication. /api/{area}/{tenant}/… counts against the tenant only
    /// when the caller's token may act for it; anyone else (no token, another tenant's token) is counted per client
    /// address, so an anonymous caller can never use up a tenant's allowance. /webhooks/{crm}/{tenant} (anonymous by
    /// nature, signed) has a bucket of its own per tenant. Path segments compare case-insensitively, as routing does.
    /// </summary>
    public static string PartitionKey(HttpContext context)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (segments.Length >= 3 && segments[0].Equals("api", StringComparison.OrdinalIgnoreCase))
        {
            var tenant = segments[2].ToLowerInvariant();
            return context.User.Identity?.IsAuthenticated == true && context.User.CanAccessTenant(tenant)
                ? "tenant:" + tenant
                : "client:" + client;
        }
        if (segments.Length >= 2 && segments[0].Equals("webhooks", StringComparison.OrdinalIgnoreCase))
            return "webhooks:" + (segments.Length >= 3 ? segments[2].ToLowerInvariant() : segments[1].ToLowerInvariant());
        return "client:" + client;
    }
}
