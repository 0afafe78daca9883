using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.ServiceDefaults.Outbound;

namespace QuoteToCash.ServiceDefaults.Tests.Outbound;

/// <summary>A vendor's HTTP client under the policy: what it refuses at send and at connect time, and how it gives up on a silent server.</summary>
public sealed class OutboundClientTests
{
    private static HttpClient Client(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHttpClient("hubspot").WithTokenTimeout().UseOutboundPolicy(OutboundVendors.HubSpot);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("hubspot");
    }

    [Fact]
    public async Task A_request_to_the_metadata_address_is_refused_before_anything_is_sent()
    {
        using var client = Client();

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            client.GetAsync("http://169.254.169.254/latest/meta-data/", TestContext.Current.CancellationToken));

        Assert.Contains("link-local", refused.Reason);
    }

    [Fact]
    public async Task An_allowed_name_that_resolves_to_a_loopback_address_is_refused_at_connect_time()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // The name passes the allow-list; only the address it resolves to gives it away.
        using var client = Client(("Connections:AllowedHosts:HubSpot:0", "localhost"), ("Connections:RequireHttps", "false"));

        var failure = await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
            client.GetAsync($"http://localhost:{port}/crm/v3/objects/deals", TestContext.Current.CancellationToken));

        var refused = Assert.IsType<OutboundRefusedException>(failure as OutboundRefusedException ?? failure.InnerException);
        Assert.Contains("loopback", refused.Reason);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_server_that_never_answers_ends_in_a_timeout_not_a_hang()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = Client(("Connections:AllowLoopback", "true"), ("Connections:TokenTimeout", "00:00:00.500"));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.PostAsync($"http://127.0.0.1:{port}/oauth2/v1/tokens/bearer", new StringContent("grant_type=x"), TestContext.Current.CancellationToken));

        Assert.True(OutboundProblems.IsTimeout(failure, TestContext.Current.CancellationToken), failure.ToString());
    }

    [Fact]
    public async Task A_redirect_is_not_followed_to_a_host_nobody_checked()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = Client(("Connections:AllowLoopback", "true"));
        var answer = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            await socket.SendAsync("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(),
                TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);

        using var response = await client.GetAsync($"http://127.0.0.1:{port}/", TestContext.Current.CancellationToken);
        await answer;

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }
}
