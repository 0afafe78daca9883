using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace QuoteToCash.Gateway.Tests;

/// <summary>
/// The rate limit over the gateway's real pipeline (its own Program, authentication, routes and proxy): where the limiter
/// sits decides whose allowance a request spends, so these go through the middleware rather than asking for a bucket.
/// </summary>
public sealed class RateLimitPipelineTests : IDisposable
{
    private const int PermitLimit = 6;
    private const string TenantPath = "/api/billing/acme/flows";
    private readonly WebApplicationFactory<Program> _gateway;

    public RateLimitPipelineTests()
    {
        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Local");
            web.UseSetting("Auth:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
            web.UseSetting("Auth:DevIssuer:Enabled", "true");
            web.UseSetting("Auth:DevIssuer:Users:maria:Password", "pw");
            web.UseSetting("Auth:DevIssuer:Users:maria:Roles:0", "finance-manager");
            web.UseSetting("Auth:DevIssuer:Users:maria:Tenants:0", "acme");
            // A window no test outlives, so every request of a test counts against the same allowance.
            web.UseSetting("Gateway:RateLimit:PermitLimit", PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Gateway:RateLimit:WindowSeconds", "3600");
            // Nothing listens here: an authenticated request is proxied and answered 502, never by another service.
            web.UseSetting("ReverseProxy:Clusters:billing-rules:Destinations:primary:Address", "http://127.0.0.1:9");
        });
    }

    public void Dispose() => _gateway.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Maria's token, an operator of acme; the sign-in itself counts against the client address, so it comes first.</summary>
    private async Task<HttpClient> SignedInAsync()
    {
        using var anonymous = _gateway.CreateClient();
        using var response = await anonymous.PostAsJsonAsync("/auth/token", new { username = "maria", password = "pw" }, Ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenAnswer>(Ct))!.access_token;
        var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record TokenAnswer(string access_token);

    private static async Task<int> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task An_anonymous_flood_on_a_tenant_s_api_does_not_spend_the_allowance_of_the_tenant_s_operators()
    {
        using var maria = await SignedInAsync();
        using var anonymous = _gateway.CreateClient();

        // From the same client address as maria, in both spellings of the path.
        var flood = new List<int>();
        for (var i = 0; i < PermitLimit * 4; i++)
            flood.Add(await GetAsync(anonymous, i % 2 == 0 ? TenantPath : "/API/Billing/ACME/flows"));
        Assert.All(flood, status => Assert.Contains(status, new[] { 401, 429 }));

        var own = new List<int>();
        for (var i = 0; i < PermitLimit; i++)
            own.Add(await GetAsync(maria, TenantPath));
        Assert.DoesNotContain(429, own);
        // The tenant's allowance is real and now spent: the limiter is in the pipeline, not merely bypassed.
        Assert.Equal(429, await GetAsync(maria, TenantPath));
    }

    [Fact]
    public async Task A_tenant_path_in_capitals_spends_the_same_allowance_as_in_lower_case()
    {
        using var maria = await SignedInAsync();

        var statuses = new List<int>();
        for (var i = 0; i < PermitLimit; i++)
            statuses.Add(await GetAsync(maria, i % 2 == 0 ? TenantPath : "/API/BILLING/ACME/flows"));
        Assert.DoesNotContain(429, statuses);

        Assert.Equal(429, await GetAsync(maria, "/API/Billing/Acme/flows"));
        Assert.Equal(429, await GetAsync(maria, TenantPath));
    }
}
