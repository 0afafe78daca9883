using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace QuoteToCash.ServiceDefaults.Outbound;

public static class OutboundExtensions
{
    /// <summary>
    /// The <see cref="OutboundPolicy"/> with its <see cref="OutboundOptions"/> bound to <c>Connections</c> when the container
    /// has a configuration; without one (a bare test container) the safe defaults apply.
    /// </summary>
    public static IServiceCollection AddOutboundPolicy(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(OutboundPolicy)))
            return services;
        services.AddOptions<OutboundOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(OutboundOptions.Section).Bind(options));
        services.TryAddSingleton<OutboundPolicy>();
        return services;
    }

    /// <summary>
    /// Puts a vendor's HTTP client under the outbound policy: each request's URL is checked against the vendor's
    /// allow-list, each connection's addresses at connect time, redirects are not followed and the connect timeout is short.
    /// </summary>
    public static IHttpClientBuilder UseOutboundPolicy(this IHttpClientBuilder builder, string vendor)
    {
        builder.Services.AddOutboundPolicy();
        builder.ConfigurePrimaryHttpMessageHandler(sp => OutboundConnector.CreateHandler(sp.GetRequiredService<OutboundPolicy>(), vendor));
        builder.AddHttpMessageHandler(sp => new OutboundPolicyHandler(sp.GetRequiredService<OutboundPolicy>(), vendor));
        return builder;
    }

    /// <summary>Sets the client's whole-request timeout to <see cref="OutboundOptions.TokenTimeout"/>.</summary>
    public static IHttpClientBuilder WithTokenTimeout(this IHttpClientBuilder builder) =>
        builder.ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<OutboundOptions>>().Value.TokenTimeout);
}
