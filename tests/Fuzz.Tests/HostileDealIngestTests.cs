extern alias crmingest;
using System.Net;
using System.Text;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// The defects the security review found on deal ingest, one request each over crm-ingest's real host: every one is a
/// 400 problem+json, and nothing is stored or published for it.
/// </summary>
public sealed class HostileDealIngestTests : IAsyncLifetime
{
    private readonly FuzzedService<crmingest::Program> _host = new("crm-ingest");
    private HttpClient _client = null!;
    private int _case;

    public ValueTask InitializeAsync()
    {
        _client = _host.Client();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private static string Deal(string lines = """[{"description":"Design","quantity":10,"unitPrice":150}]""",
        string customer = """{"externalId":"C-1","legalName":"Acme Corp"}""", string externalDealId = "D-1001", string amount = "null") =>
        $$"""{"sourceSystem":"pipedrive","externalDealId":"{{externalDealId}}","dealName":"Website rebuild","currency":"USD","amount":{{amount}},"customer":{{customer}},"lines":{{lines}}}""";

    private async Task<HttpResponseMessage> Send(string method, string path, string? body = null)
    {
        var request = new FuzzCase($"targeted #{_case++}", method, path, body is null ? null : Encoding.UTF8.GetBytes(body), "application/json", "targeted").ToRequest();
        var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        var id = request.Headers.GetValues(RequestEffects.CaseHeader).Single();
        Assert.Equal((0, 0), (_host.Effects.WritesOf(id), _host.Effects.MessagesOf(id)));
        return response;
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
            Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_plausible_deal_is_accepted_so_the_refusals_below_are_about_their_input()
    {
        var response = await _client.PostAsync("/api/crm/fuzz/deals", new StringContent(Deal(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_null_line_is_a_field_error() =>
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", Deal(lines: "[null]")), HttpStatusCode.BadRequest, "lines[0]");

    [Fact]
    public async Task A_line_beyond_a_decimal_is_a_field_error() =>
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", Deal(lines: """[{"description":"Design","quantity":1e20,"unitPrice":1e20}]""")),
            HttpStatusCode.BadRequest, "lines[0]");

    [Fact]
    public async Task A_quantity_that_does_not_fit_a_decimal_is_a_bad_request() =>
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", Deal(lines: """[{"description":"Design","quantity":1e30,"unitPrice":150}]""")),
            HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("amount", "\"fifteen hundred\"")]
    [InlineData("amount", "[1500]")]
    [InlineData("amount", "{}")]
    [InlineData("customer", "[]")]
    [InlineData("customer", "\"Acme\"")]
    public async Task A_value_of_the_wrong_json_type_is_a_bad_request(string field, string value) =>
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", field == "amount" ? Deal(amount: value) : Deal(customer: value)), HttpStatusCode.BadRequest);

    [Fact]
    public async Task Null_contacts_are_refused_at_intake()
    {
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", Deal(customer: """{"externalId":"C-1","legalName":"Acme Corp","contacts":null}""")),
            HttpStatusCode.BadRequest, "customer.contacts");
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", Deal(customer: """{"externalId":"C-1","legalName":"Acme Corp","contacts":[null]}""")),
            HttpStatusCode.BadRequest, "customer.contacts[0]");
    }

    [Fact]
    public async Task Ids_longer_than_a_store_key_are_refused_in_the_body_and_in_the_path()
    {
        var longId = new string('k', 1_100);
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", Deal(externalDealId: longId)), HttpStatusCode.BadRequest, "externalDealId");
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals", Deal(customer: $$"""{"externalId":"{{longId}}","legalName":"Acme Corp"}""")),
            HttpStatusCode.BadRequest, "customer.externalId");
        await AssertProblem(await Send("POST", $"/api/crm/fuzz/deals/{longId}/lost", """{"sourceSystem":"pipedrive"}"""), HttpStatusCode.BadRequest);
        await AssertProblem(await Send("POST", "/api/crm/fuzz/deals/%20/milestones", """{"sourceSystem":"pipedrive","milestoneId":"m1","name":"Go-live","percent":50}"""),
            HttpStatusCode.BadRequest, "externalDealId");
    }
}
