using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServiceDefaultsExtensions = QuoteToCash.ServiceDefaults.Extensions;

namespace QuoteToCash.CrmIngest.Tests.Hosting;

/// <summary>
/// A service caps request bodies itself (Kestrel's MaxRequestBodySize from <c>Server:MaxRequestBodyBytes</c>), so a
/// request that reaches it without passing the gateway still cannot stream an unbounded body.
/// </summary>
public sealed class RequestBodyLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WebApplication Build(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, Args = [.. args, "--Auth:SigningKey=" + new string('k', 48)] });
        ServiceDefaultsExtensions.AddServiceDefaults(builder, "crm-ingest");
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            return Results.Ok(buffer.Length);
        });
        return app;
    }

    [Fact]
    public void Without_configuration_the_limit_is_the_service_default_not_kestrel_s_30_MB()
    {
        var app = Build();
        var options = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.Equal(ServiceDefaultsExtensions.DefaultMaxRequestBodyBytes, options.Limits.MaxRequestBodySize);
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_is_refused_with_413_by_the_service_itself()
    {
        await using var app = Build($"--{ServiceDefaultsExtensions.MaxRequestBodyBytesKey}=1000");
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var small = await http.PostAsync("/echo", new ByteArrayContent(new byte[1000]), Ct);
        using var large = await http.PostAsync("/echo", new ByteArrayContent(new byte[1001]), Ct);

        Assert.True(small.StatusCode == HttpStatusCode.OK, await small.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        await app.StopAsync(Ct);
    }
}
