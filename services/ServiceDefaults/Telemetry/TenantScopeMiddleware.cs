using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// For requests to a route with a <c>{tenant}</c> (and possibly a <c>{flowId}</c>) segment: the tenant and flow go
/// into the logging scope and onto the request's span, as <see cref="FlowScopeFilter{T}"/> does for messages.
/// </summary>
public static class TenantScopeMiddleware
{
    public static IApplicationBuilder UseTenantScope(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("QuoteToCash.Requests");
        return app.Use(async (context, next) =>
        {
            var tenant = context.GetRouteValue("tenant") as string;
            if (string.IsNullOrEmpty(tenant))
            {
                await next(context);
                return;
            }
            Guid? flow = context.GetRouteValue("flowId") is string text && Guid.TryParse(text, out var id) ? id : null;
            System.Diagnostics.Activity.Current.WithFlow(tenant, flow);
            using (logger.BeginScope(new FlowLogScope(tenant, flow)))
                await next(context);
        });
    }
}
