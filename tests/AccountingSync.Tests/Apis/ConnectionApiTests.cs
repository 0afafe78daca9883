using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Apis;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Harness;

namespace QuoteToCash.AccountingSync.Tests.Apis;

/// <summary>
/// PUT /api/accounting/{tenant}/connection, the handler called as ASP.NET Core would: where the URLs may point, and what
/// the administrator sees when the token endpoint refuses, fails, answers nonsense or does not answer. Nothing wrong is stored.
/// </summary>
public sealed class ConnectionApiTests
{
    private const string Tenant = "acme";
    private const string RemoteSecret = "internal-marker-7731 db-host=10.1.2.3";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="localRun">The settings of a local run or a test against a listener on 127.0.0.1; otherwise production's defaults.</param>
    /// <param name="tokenTimeout">How long a token call may take: short only where a test waits for the timeout itself, so a
    /// slow first call on a busy machine is not mistaken for one.</param>
    private static Task<ServiceHarness> StartAsync(bool localRun, string tokenTimeout = "00:00:10") =>
        ServiceHarness.StartAsync(_ => { }, services =>
        {
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            services.AddQuickBooksClient();
        }, localRun
            ? new Dictionary<string, string?> { ["Connections:AllowLoopback"] = "true", ["Connections:TokenTimeout"] = tokenTimeout }
            : null, cancellationToken: Ct);

    private static ConnectionApi.ConnectionRequest Request(string baseUrl, string tokenUrl, bool withCode = false) => new()
    {
        Environment = "sandbox",
        BaseUrl = baseUrl,
        TokenUrl = tokenUrl,
        RealmId = "9130355555555555",
        ClientId = "ABc1234client",
        ClientSecret = "client-secret",
        RefreshToken = withCode ? null : "AB11-refresh",
        AuthorizationCode = withCode ? "one-time-code" : null,
        RedirectUri = withCode ? "https://app.example.com/callback" : null,
    };

    private static async Task<ProblemAnswer> PutAsync(ServiceHarness harness, ConnectionApi.ConnectionRequest request)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var result = await ConnectionApi.PutConnection(Tenant, request, sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<IUnitOfWork>(),
            sp.GetRequiredService<QboTokenManager>(), sp.GetRequiredService<OutboundPolicy>(), sp.GetRequiredService<IOptions<ReferenceDataOptions>>(),
            harness.Time, Ct);
        return await ProblemAnswer.WriteAsync(result.Result);
    }

    private static Task<QboConnection?> StoredAsync(ServiceHarness harness) => harness.GetAsync<QboConnection>(QboConnection.CollectionName, Tenant);

    [Theory]
    [InlineData("https://quickbooks.api.intuit.com", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "tokenUrl")]
    [InlineData("http://169.254.169.254/latest/", "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", "baseUrl")]
    [InlineData("http://127.0.0.1:8091", "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", "baseUrl")]
    [InlineData("https://quickbooks.api.intuit.com", "http://[::1]:8091/oauth2/v1/tokens/bearer", "tokenUrl")]
    [InlineData("https://10.0.0.5", "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", "baseUrl")]
    [InlineData("https://quickbooks.api.intuit.com", "https://192.168.1.20/oauth2/v1/tokens/bearer", "tokenUrl")]
    public async Task Metadata_link_local_loopback_and_private_urls_are_refused_in_production_and_nothing_is_stored(string baseUrl, string tokenUrl, string field)
    {
        await using var harness = await StartAsync(localRun: false);

        var answer = await PutAsync(harness, Request(baseUrl, tokenUrl));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.IsProblemJson, answer.ContentType);
        Assert.Contains($"\"{field}\"", answer.Body);
        Assert.Null(await StoredAsync(harness));
    }

    [Theory]
    [InlineData("https://quickbooks.example.net", "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", "baseUrl")]
    [InlineData("https://quickbooks.api.intuit.com", "https://oauth.intuit.com.example.net/oauth2/v1/tokens/bearer", "tokenUrl")]
    public async Task A_host_outside_the_QuickBooks_allow_list_is_refused_and_nothing_is_stored(string baseUrl, string tokenUrl, string field)
    {
        await using var harness = await StartAsync(localRun: false);

        var answer = await PutAsync(harness, Request(baseUrl, tokenUrl));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.IsProblemJson, answer.ContentType);
        Assert.Contains($"\"{field}\"", answer.Body);
        Assert.Contains("is not one of the QuickBooks hosts", answer.Body);
        Assert.Null(await StoredAsync(harness));
    }

    [Fact]
    public async Task The_QuickBooks_hosts_are_accepted_in_production()
    {
        await using var harness = await StartAsync(localRun: false);

        var answer = await PutAsync(harness, Request("https://sandbox-quickbooks.api.intuit.com", "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"));

        Assert.Equal(200, answer.Status);
        Assert.Equal(QboConnectionStatus.Connected, (await StoredAsync(harness))?.Status);
    }

    [Theory]
    [InlineData(400, 400)]
    [InlineData(401, 400)]
    [InlineData(500, 502)]
    public async Task What_the_token_endpoint_says_in_an_error_is_not_echoed_to_the_caller(int remoteStatus, int expected)
    {
        await using var tokenEndpoint = await HttpReceiver.StartAsync("/oauth2/v1/tokens/bearer",
            _ => (remoteStatus, $$"""{"error":"invalid_grant","error_description":"{{RemoteSecret}}"}"""));
        await using var harness = await StartAsync(localRun: true);

        var answer = await PutAsync(harness, Request(tokenEndpoint.BaseAddress, tokenEndpoint.Url, withCode: true));

        Assert.Single(tokenEndpoint.Requests);
        Assert.Equal(expected, answer.Status);
        Assert.True(answer.IsProblemJson, answer.ContentType);
        Assert.DoesNotContain("internal-marker-7731", answer.Body);
        Assert.DoesNotContain("10.1.2.3", answer.Body);
        Assert.DoesNotContain("invalid_grant", answer.Body);
        Assert.Null(await StoredAsync(harness));
    }

    [Theory]
    [InlineData("""{"status":"ok"}""")]
    [InlineData("""{"access_token":"","refresh_token":"","expires_in":3600}""")]
    [InlineData("""{"access_token":"eyJ-access","expires_in":3600}""")]
    [InlineData("""["access_token","refresh_token"]""")]
    [InlineData("<html><body>Welcome to nginx</body></html>")]
    public async Task A_200_without_tokens_is_a_502_problem_and_the_connection_is_not_stored(string remoteBody)
    {
        await using var tokenEndpoint = await HttpReceiver.StartAsync("/oauth2/v1/tokens/bearer", _ => (200, remoteBody));
        await using var harness = await StartAsync(localRun: true);

        var answer = await PutAsync(harness, Request(tokenEndpoint.BaseAddress, tokenEndpoint.Url, withCode: true));

        Assert.Equal(502, answer.Status);
        Assert.True(answer.IsProblemJson, answer.ContentType);
        Assert.DoesNotContain("nginx", answer.Body);
        Assert.Null(await StoredAsync(harness));
    }

    [Fact]
    public async Task A_token_endpoint_that_never_answers_is_a_504_problem_and_nothing_is_stored()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        await using var harness = await StartAsync(localRun: true, tokenTimeout: "00:00:01");

        var answer = await PutAsync(harness, Request(address, address + "/oauth2/v1/tokens/bearer", withCode: true));

        Assert.Equal(504, answer.Status);
        Assert.True(answer.IsProblemJson, answer.ContentType);
        Assert.Null(await StoredAsync(harness));
    }

    [Fact]
    public async Task A_working_token_endpoint_on_loopback_connects_in_a_local_run()
    {
        await using var tokenEndpoint = await HttpReceiver.StartAsync("/oauth2/v1/tokens/bearer",
            _ => (200, """{"access_token":"eyJ-access","refresh_token":"AB11-rotated","expires_in":3600,"x_refresh_token_expires_in":8726400,"token_type":"bearer"}"""));
        await using var harness = await StartAsync(localRun: true);

        var answer = await PutAsync(harness, Request(tokenEndpoint.BaseAddress, tokenEndpoint.Url, withCode: true));

        Assert.Equal(200, answer.Status);
        Assert.Equal(QboConnectionStatus.Connected, (await StoredAsync(harness))?.Status);
    }
}
