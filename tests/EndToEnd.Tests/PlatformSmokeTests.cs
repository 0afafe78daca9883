using QuoteToCash.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests;

/// <summary>The platform end to end through the gateway: real processes, real RabbitMQ, LiteDB files.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PlatformSmokeTests(PlatformFixture platform)
{
    private static object Deal(string externalId, string? currency = "USD") => new
    {
        externalDealId = externalId,
        dealName = "Website rebuild " + externalId,
        currency,
        customer = new
        {
            externalId = "C-" + externalId,
            legalName = "Acme Corp " + externalId,
            billingAddress = new { line1 = "1 Main St", city = "Austin", country = "US" },
            contacts = new[] { new { email = "ap@acme.test", isBillingContact = true } },
        },
        lines = new[] { new { description = "Discovery workshop", quantity = 10m, unitPrice = 150m } },
    };

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpStatusCode expected, object? json = null, string? token = null)
    {
        using var response = await platform.Client.SendAsync(platform.Request(method, path, token ?? platform.AdminToken, json), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(body);
    }

    [Fact]
    public async Task Gateway_readiness_lists_all_five_services_and_the_web_app_as_healthy()
    {
        TestEnvironment.RequireRabbitMq();
        using var response = await platform.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var services = body.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString());
        // The five services and the finance web app (the gateway's sixth cluster).
        Assert.Equal(PlatformFixture.Services.Select(s => s.Name).Append("webapp").Order(), services.Keys.Order());
        Assert.All(services.Values, status => Assert.Equal("Healthy", status));
    }

    [Fact]
    public async Task Gateway_readiness_answers_503_and_names_the_service_that_is_down()
    {
        TestEnvironment.RequireRabbitMq();
        var reporting = platform.Service("reporting");
        await reporting.StopAsync();
        try
        {
            using var response = await platform.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var down = body.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "reporting");
            Assert.Equal("Unreachable", down.GetProperty("status").GetString());
            // Why it is down (addresses, exception text) is for operators only.
            Assert.Equal(JsonValueKind.Null, down.GetProperty("error").ValueKind);
            using var asOperator = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, "/health/ready", platform.AdminToken), TestContext.Current.CancellationToken);
            var detailed = (await asOperator.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken))
                .GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "reporting");
            Assert.False(string.IsNullOrEmpty(detailed.GetProperty("error").GetString()));
        }
        finally
        {
            reporting.Start();
            await reporting.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Theory]
    [InlineData("/api/crm/demo/deals/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/billing/demo/flows")]
    [InlineData("/api/no-such-area/demo")]
    public async Task Api_calls_without_a_token_get_401_problem_json(string path)
    {
        TestEnvironment.RequireRabbitMq();
        using var response = await platform.Client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_forged_token_is_rejected_at_the_gateway()
    {
        TestEnvironment.RequireRabbitMq();
        var forged = TestEnvironment.OperatorToken(TestEnvironment.NewSigningKey(), ["admin"], ["*"]);

        await SendAsync(HttpMethod.Get, "/api/billing/demo/flows", HttpStatusCode.Unauthorized, token: forged);
    }

    [Fact]
    public async Task Roles_and_tenants_are_enforced_by_the_services()
    {
        TestEnvironment.RequireRabbitMq();
        var sales = await platform.SignInAsync("sam", platform.AdminPassword);

        await SendAsync(HttpMethod.Get, "/api/billing/acme/flows", HttpStatusCode.OK, token: sales);
        var otherTenant = await SendAsync(HttpMethod.Get, "/api/billing/demo/flows", HttpStatusCode.Forbidden, token: sales);
        await SendAsync(HttpMethod.Post, "/api/crm/acme/deals", HttpStatusCode.Forbidden, Deal("S-1"), token: sales);
        Assert.Contains("demo", otherTenant.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Wrong_credentials_get_401_from_the_local_issuer()
    {
        TestEnvironment.RequireRabbitMq();
        using var response = await platform.Client.PostAsJsonAsync("/auth/token", new { username = "admin", password = "wrong" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_deal_posted_through_the_gateway_reaches_the_saga_and_the_saga_state_survives_a_restart()
    {
        TestEnvironment.RequireRabbitMq();
        await platform.ConnectQuickBooksAsync("demo");
        var externalId = "D-" + Guid.NewGuid().ToString("N")[..8];

        var accepted = await SendAsync(HttpMethod.Post, "/api/crm/demo/deals", HttpStatusCode.Accepted, Deal(externalId));
        var flowId = accepted.GetProperty("flowId").GetString();

        JsonElement flow = default;
        Assert.True(await Eventually(async () =>
        {
            using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, $"/api/billing/demo/flows/{flowId}", platform.AdminToken));
            if (!response.IsSuccessStatusCode)
                return false;
            flow = await response.Content.ReadFromJsonAsync<JsonElement>();
            return flow.GetProperty("currentState").GetString() == "HeldForMapping";
        }, TimeSpan.FromSeconds(30)), "the flow did not reach HeldForMapping (no item mapping in this tenant)");
        Assert.Equal(1500m, flow.GetProperty("amount").GetDecimal());
        var customerId = flow.GetProperty("customerId").GetString();

        var customer = await SendAsync(HttpMethod.Get, $"/api/master-data/demo/customers/{customerId}", HttpStatusCode.OK);
        Assert.Equal("Approved", customer.GetProperty("status").GetString());
        Assert.True(await Eventually(async () =>
        {
            using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, $"/api/reports/demo/flows/{flowId}/timeline", platform.AdminToken));
            return response.IsSuccessStatusCode &&
                   (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").GetArrayLength() >= 2;
        }, TimeSpan.FromSeconds(30)), "reporting did not record the flow's events");

        await platform.Service("billing-rules").RestartAsync(TimeSpan.FromSeconds(60));

        var afterRestart = await SendAsync(HttpMethod.Get, $"/api/billing/demo/flows/{flowId}", HttpStatusCode.OK);
        Assert.Equal("HeldForMapping", afterRestart.GetProperty("currentState").GetString());
        Assert.Equal(customerId, afterRestart.GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task Sending_the_same_deal_again_is_a_no_op_on_the_same_flow()
    {
        TestEnvironment.RequireRabbitMq();
        var externalId = "D-" + Guid.NewGuid().ToString("N")[..8];

        var first = await SendAsync(HttpMethod.Post, "/api/crm/demo/deals", HttpStatusCode.Accepted, Deal(externalId));
        var second = await SendAsync(HttpMethod.Post, "/api/crm/demo/deals", HttpStatusCode.OK, Deal(externalId));

        Assert.Equal(first.GetProperty("flowId").GetString(), second.GetProperty("flowId").GetString());
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(2, second.GetProperty("deliveries").GetInt32());
    }

    [Fact]
    public async Task Milestones_time_entries_and_status_changes_are_ingested_once_each()
    {
        TestEnvironment.RequireRabbitMq();
        var deal = "D-" + Guid.NewGuid().ToString("N")[..8];
        var milestone = new { sourceSystem = "projects", milestoneId = "M1", name = "Design approved", percent = 40m };
        var entry = new { sourceSystem = "projects", entryId = "T-77", person = "ana@firm.test", date = "2026-11-24", hours = 6.5m, billable = true, rate = 150m };

        var first = await SendAsync(HttpMethod.Post, $"/api/crm/demo/deals/{deal}/milestones", HttpStatusCode.Accepted, milestone);
        var again = await SendAsync(HttpMethod.Post, $"/api/crm/demo/deals/{deal}/milestones", HttpStatusCode.OK, milestone);
        await SendAsync(HttpMethod.Post, $"/api/crm/demo/deals/{deal}/time-entries", HttpStatusCode.Accepted, entry);
        await SendAsync(HttpMethod.Post, $"/api/crm/demo/deals/{deal}/time-entries", HttpStatusCode.OK, entry);
        var bad = await SendAsync(HttpMethod.Post, $"/api/crm/demo/deals/{deal}/time-entries", HttpStatusCode.BadRequest, entry with { hours = 0m, entryId = "T-78" });
        await SendAsync(HttpMethod.Post, $"/api/crm/demo/deals/{deal}/lost", HttpStatusCode.Accepted, new { sourceSystem = "projects", at = "2026-11-25T10:00:00Z" });
        await SendAsync(HttpMethod.Post, $"/api/crm/demo/deals/{deal}/reopened", HttpStatusCode.Accepted, new { sourceSystem = "projects", at = "2026-11-25T11:00:00Z" });

        Assert.Equal(first.GetProperty("flowId").GetString(), again.GetProperty("flowId").GetString());
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(QuoteToCash.Contracts.FlowId.For("demo", "projects", deal).ToString(), first.GetProperty("flowId").GetString());
        Assert.True(bad.GetProperty("errors").TryGetProperty("hours", out _));
    }

    [Fact]
    public async Task A_malformed_deal_gets_a_validation_problem_naming_the_fields()
    {
        TestEnvironment.RequireRabbitMq();
        var problem = await SendAsync(HttpMethod.Post, "/api/crm/demo/deals", HttpStatusCode.BadRequest, Deal("D-bad", currency: "dollars"));

        Assert.True(problem.GetProperty("errors").TryGetProperty("currency", out _));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        TestEnvironment.RequireRabbitMq();
        using var request = platform.Request(HttpMethod.Post, "/api/crm/demo/deals", platform.AdminToken);
        request.Content = new StringContent("{\"dealName\":\"" + new string('x', 200_000) + "\"}", System.Text.Encoding.UTF8, "application/json");

        using var response = await platform.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
