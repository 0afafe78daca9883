using System.Net;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class OAuthTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    [Fact]
    public async Task An_authorization_code_is_exchanged_once_for_a_working_token_pair()
    {
        var company = await sandbox.CompanyAsync();
        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = company.AuthorizationCode,
            ["redirect_uri"] = QboCompany.RedirectUri,
        };

        var (status, body) = await company.TokenAsync(exchange);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(3600, body["expires_in"]!.GetValue<long>());
        Assert.Equal(8726400, body["x_refresh_token_expires_in"]!.GetValue<long>());
        var customers = await company.GetAsync("query?query=" + Uri.EscapeDataString("select * from Customer"), body["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, customers.Status);

        var (again, error) = await company.TokenAsync(exchange);
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_authorization_code_with_another_redirect_uri_is_invalid_grant()
    {
        var company = await sandbox.CompanyAsync();

        var (status, body) = await company.TokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = company.AuthorizationCode,
            ["redirect_uri"] = "http://evil.example/callback",
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_rotates_the_refresh_token_and_the_superseded_one_is_invalid_grant()
    {
        var company = await sandbox.CompanyAsync();
        var original = company.RefreshToken;

        var (status, body) = await company.RefreshAsync(original);

        Assert.Equal(HttpStatusCode.OK, status);
        var rotated = body["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(original, rotated);
        var read = await company.GetAsync("customer/999", body["access_token"]!.GetValue<string>());
        Assert.NotEqual(HttpStatusCode.Unauthorized, read.Status);

        var (reuse, error) = await company.RefreshAsync(original);
        Assert.Equal(HttpStatusCode.BadRequest, reuse);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());

        var (next, _) = await company.RefreshAsync(rotated);
        Assert.Equal(HttpStatusCode.OK, next);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_invalid_client()
    {
        var company = await sandbox.CompanyAsync();

        var (status, body) = await company.TokenAsync(
            new() { ["grant_type"] = "refresh_token", ["refresh_token"] = company.RefreshToken }, clientSecret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_apps_on_one_realm_have_their_own_tokens()
    {
        var platform = await sandbox.CompanyAsync();
        var toolsApp = await Control.PostAsync(platform.Http, "/_sandbox/apps", new { name = "tools-" + Guid.NewGuid().ToString("N")[..6], webhookFormat = "legacy" });
        var tools = new QboCompany(platform.Http, platform.RealmId, toolsApp);
        await tools.ConnectAsync();

        // One app cannot use the other's refresh token…
        var (stolen, error) = await tools.RefreshAsync(platform.RefreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, stolen);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());

        // …and rotating one app's token leaves the other's working.
        var (rotated, _) = await tools.RefreshAsync(tools.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, rotated);
        var (platformRefresh, _) = await platform.RefreshAsync(platform.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, platformRefresh);
        Assert.Equal(HttpStatusCode.OK, (await tools.QueryAsync("select * from Term")).Status);
    }

    [Fact]
    public async Task The_api_answers_401_with_the_authentication_fault_without_a_token()
    {
        var company = await sandbox.CompanyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, company.Path("customer/1"));

        using var response = await company.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"code\":\"3200\"", body);
        Assert.Contains("message=AuthenticationFailed; errorCode=003200; statusCode=401", body);
    }

    [Fact]
    public async Task A_token_for_another_realm_is_refused_with_403()
    {
        var first = await sandbox.CompanyAsync();
        var second = await sandbox.CompanyAsync();

        var response = await second.GetAsync("customer/1", token: first.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("\"code\":\"3100\"", response.Text);
    }

    [Fact]
    public async Task An_access_token_expires_after_an_hour_and_a_refreshed_one_works()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var clocked = new QboSandboxFactory { Time = time };
        var company = await clocked.CompanyAsync();
        Assert.Equal(HttpStatusCode.OK, (await company.QueryAsync("select * from Term")).Status);

        time.Advance(TimeSpan.FromMinutes(61));

        var expired = await company.QueryAsync("select * from Term");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Contains("Token expired", expired.Text);
        var (status, body) = await company.RefreshAsync(company.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, status);
        company.AccessToken = body["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await company.QueryAsync("select * from Term")).Status);
    }

    [Fact]
    public async Task The_consent_page_redirects_with_a_code_state_and_realm()
    {
        var company = await sandbox.CompanyAsync();
        using var http = sandbox.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await http.GetAsync(
            $"/connect/oauth2?client_id={company.ClientId}&redirect_uri={Uri.EscapeDataString(QboCompany.RedirectUri)}&response_type=code&scope=com.intuit.quickbooks.accounting&state=xyz&realmId={company.RealmId}",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(QboCompany.RedirectUri + "?code=", location);
        Assert.Contains("state=xyz", location);
        Assert.Contains("realmId=" + company.RealmId, location);
    }
}
