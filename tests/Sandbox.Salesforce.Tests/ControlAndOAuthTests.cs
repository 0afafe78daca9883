using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;
using QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Tests;

public sealed class ControlAndOAuthTests(SalesforceSandboxFactory factory) : IClassFixture<SalesforceSandboxFactory>
{
    private readonly SalesforceClient _api = factory.Api;

    [Fact]
    public async Task An_org_has_an_18_character_00D_id_with_a_valid_checksum_and_is_idempotent_per_name()
    {
        var name = "acme-" + Guid.NewGuid().ToString("N")[..6];
        var first = (await _api.PostAsync("/_sandbox/orgs", new { name })).Expect(HttpStatusCode.Created).Body;
        var again = (await _api.PostAsync("/_sandbox/orgs", new { name })).Expect(HttpStatusCode.OK).Body;

        var orgId = first["orgId"]!.GetValue<string>();
        Assert.Matches("^00D[A-Za-z0-9]{15}$", orgId);
        Assert.Equal(SalesforceId.To18(orgId[..15]), orgId);
        Assert.Equal(orgId, again["orgId"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8093", first["instanceUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tokens_belong_to_users_and_the_same_name_returns_the_same_user()
    {
        var org = await _api.NewOrgAsync();
        var platform = (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/tokens", new { name = "platform", integrationUser = true })).Expect(HttpStatusCode.Created).Body;
        var again = (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/tokens", new { name = "platform", integrationUser = true })).Expect(HttpStatusCode.OK).Body;

        Assert.Matches("^005[A-Za-z0-9]{15}$", platform["userId"]!.GetValue<string>());
        Assert.True(platform["integrationUser"]!.GetValue<bool>());
        Assert.Equal(platform["accessToken"]!.GetValue<string>(), again["accessToken"]!.GetValue<string>());
        Assert.NotEqual(org.UserId, platform["userId"]!.GetValue<string>());
        var me = await org.RecordsAsync($"SELECT Id, Name FROM User WHERE Id = '{platform["userId"]}'");
        Assert.Equal("platform", me[0]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_without_a_valid_session_get_401_invalid_session_id()
    {
        var response = await _api.SendAsync(HttpMethod.Get, SalesforceClient.Data + "/sobjects/Account/describe", token: "00Dxx!nope");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("INVALID_SESSION_ID", response.ErrorCode);
        Assert.Equal("Session expired or invalid", response.ErrorMessage);
    }

    [Fact]
    public async Task The_token_endpoint_supports_client_credentials_password_and_refresh_token()
    {
        var org = await _api.NewOrgAsync();
        var user = (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/tokens", new { name = "platform", integrationUser = true })).Body;
        var grants = new[]
        {
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = user["clientId"]!.GetValue<string>(), ["client_secret"] = user["clientSecret"]!.GetValue<string>() },
            new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = user["clientId"]!.GetValue<string>(), ["client_secret"] = user["clientSecret"]!.GetValue<string>(),
                ["username"] = user["username"]!.GetValue<string>(), ["password"] = user["password"]!.GetValue<string>(),
            },
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = user["clientId"]!.GetValue<string>(), ["client_secret"] = user["clientSecret"]!.GetValue<string>(), ["refresh_token"] = user["refreshToken"]!.GetValue<string>() },
        };
        foreach (var grant in grants)
        {
            var token = (await _api.SendAsync(HttpMethod.Post, "/services/oauth2/token", content: new FormUrlEncodedContent(grant))).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("http://127.0.0.1:8093", token["instance_url"]!.GetValue<string>());
            Assert.Equal($"http://127.0.0.1:8093/id/{org.OrgId}/{user["userId"]}", token["id"]!.GetValue<string>());
            Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
            var accessToken = token["access_token"]!.GetValue<string>();
            Assert.StartsWith(org.OrgId[..15] + "!", accessToken);
            (await _api.SendAsync(HttpMethod.Get, SalesforceClient.Data + "/sobjects/Account/describe", token: accessToken)).Expect(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("password", "invalid_grant")]
    [InlineData("client_credentials", "invalid_client_id")]
    [InlineData("authorization_code", "unsupported_grant_type")]
    public async Task Bad_token_requests_get_oauth_errors(string grantType, string error)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = grantType, ["client_id"] = "nobody", ["username"] = "nobody@example.com", ["password"] = "wrong" };
        var response = await _api.SendAsync(HttpMethod.Post, "/services/oauth2/token", content: new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(error, response.Body["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(response.Body["error_description"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Outbound_message_rules_get_a_04k_action_id_and_check_their_fields()
    {
        var org = await _api.NewOrgAsync();
        var rule = (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/outbound-messages",
            new { name = "OpportunityWon", endpointUrl = "http://127.0.0.1:9/om", fields = new[] { "Id", "Name", "StageName", "Amount" } })).Expect(HttpStatusCode.Created).Body;
        Assert.Matches("^04k[A-Za-z0-9]{15}$", rule["id"]!.GetValue<string>());

        var again = (await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/outbound-messages",
            new { name = "OpportunityWon", endpointUrl = "http://127.0.0.1:9/om2", fields = new[] { "Id" } })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(rule["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());

        var bad = await _api.PostAsync($"/_sandbox/orgs/{org.OrgId}/outbound-messages", new { name = "Bad", endpointUrl = "http://127.0.0.1:9/om", fields = new[] { "Nope__c" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("INVALID_FIELD", bad.ErrorCode);
    }

    [Fact]
    public async Task Reset_forgets_orgs_and_sessions()
    {
        await using var isolated = new SalesforceSandboxFactory();
        var api = isolated.Api;
        var org = await api.NewOrgAsync("demo-sf");
        (await org.QueryAsync("SELECT Id FROM Account")).Expect(HttpStatusCode.OK);

        (await api.PostAsync("/_sandbox/reset", null)).Expect(HttpStatusCode.NoContent);

        (await org.QueryAsync("SELECT Id FROM Account")).Expect(HttpStatusCode.Unauthorized);
        Assert.Empty((await api.SendAsync(HttpMethod.Get, "/_sandbox/orgs")).Body.AsArray());
    }

    [Fact]
    public void Ids_are_normalised_from_15_to_18_characters()
    {
        var id = SalesforceId.Create("001", 12345);
        Assert.Equal(id, SalesforceId.Normalize(id[..15]));
        Assert.Equal(id, SalesforceId.Normalize(id));
        Assert.Null(SalesforceId.Normalize("001xyz"));
        Assert.Equal("001A0000006Vm9rIAC", SalesforceId.To18("001A0000006Vm9r"));
    }
}
