using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Testing;
using QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Tests;

/// <summary>Custom fields declared through the Tooling API become ordinary fields of REST, SOQL and describe.</summary>
public sealed class ToolingCustomFieldTests(SalesforceSandboxFactory factory) : IClassFixture<SalesforceSandboxFactory>
{
    private readonly SalesforceClient _api = factory.Api;

    [Fact]
    public async Task A_declared_text_field_is_writable_readable_queryable_and_described()
    {
        var org = await _api.NewOrgAsync();
        var declared = (await org.PostAsync("/tooling/sobjects/CustomField",
            new { FullName = "Account.Tier_Code__c", Metadata = new { label = "Tier Code", type = "Text", length = 6 } })).Expect(HttpStatusCode.Created).Body;
        Assert.True(declared["success"]!.GetValue<bool>());
        Assert.Matches("^00N[A-Za-z0-9]{15}$", declared["id"]!.GetValue<string>());

        var id = await org.CreateAsync("Account", new { Name = "Tiered Ltd", Tier_Code__c = "GOLD" });
        Assert.Equal("GOLD", (await org.GetAsync($"/sobjects/Account/{id}?fields=Tier_Code__c")).Expect(HttpStatusCode.OK).Body["Tier_Code__c"]!.GetValue<string>());
        var rows = await org.RecordsAsync("SELECT Id, Name FROM Account WHERE Tier_Code__c = 'GOLD'");
        Assert.Equal(id, Assert.Single(rows)!["Id"]!.GetValue<string>());

        var tooLong = await org.PatchAsync($"/sobjects/Account/{id}", new { Tier_Code__c = "PLATINUM" });
        Assert.Equal("STRING_TOO_LONG", tooLong.ErrorCode);

        var describe = (await org.GetAsync("/sobjects/Account/describe")).Expect(HttpStatusCode.OK).Body;
        var field = describe["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "Tier_Code__c")!;
        Assert.Equal("Tier Code", field["label"]!.GetValue<string>());
        Assert.Equal(6, field["length"]!.GetValue<int>());
    }

    [Fact]
    public async Task Currency_and_date_fields_keep_their_types_and_bad_declarations_are_refused()
    {
        var org = await _api.NewOrgAsync();
        (await org.PostAsync("/tooling/sobjects/CustomField", new { FullName = "Opportunity.Fee_Paid__c", Metadata = new { type = "Currency", precision = 16, scale = 2 } }))
            .Expect(HttpStatusCode.Created);
        (await org.PostAsync("/tooling/sobjects/CustomField", new { FullName = "Opportunity.Fee_Paid_On__c", Metadata = new { type = "Date" } }))
            .Expect(HttpStatusCode.Created);
        var accountId = await org.CreateAccountAsync();
        var id = await org.CreateOpportunityAsync(accountId);
        (await org.PatchAsync($"/sobjects/Opportunity/{id}", new { Fee_Paid__c = 1250.75m, Fee_Paid_On__c = "2026-11-20" })).Expect(HttpStatusCode.NoContent);
        var record = (await org.GetAsync($"/sobjects/Opportunity/{id}?fields=Fee_Paid__c,Fee_Paid_On__c")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(1250.75m, record["Fee_Paid__c"]!.GetValue<decimal>());
        Assert.Equal("2026-11-20", record["Fee_Paid_On__c"]!.GetValue<string>());
        Assert.Equal("JSON_PARSER_ERROR", (await org.PatchAsync($"/sobjects/Opportunity/{id}", new { Fee_Paid_On__c = "next week" })).ErrorCode);

        var duplicate = await org.PostAsync("/tooling/sobjects/CustomField", new { FullName = "Opportunity.Fee_Paid__c", Metadata = new { type = "Currency" } });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal("DUPLICATE_DEVELOPER_NAME", duplicate.ErrorCode);
        Assert.Equal("INVALID_TYPE", (await org.PostAsync("/tooling/sobjects/CustomField", new { FullName = "Opportunity.Colour_Wheel__c", Metadata = new { type = "Hologram" } })).ErrorCode);
        Assert.Equal("INVALID_TYPE", (await org.PostAsync("/tooling/sobjects/CustomField", new { FullName = "Spaceship.Fuel__c", Metadata = new { type = "Text" } })).ErrorCode);
        Assert.Equal("FIELD_INTEGRITY_EXCEPTION", (await org.PostAsync("/tooling/sobjects/CustomField", new { FullName = "Opportunity.No Suffix", Metadata = new { type = "Text" } })).ErrorCode);
        Assert.Equal("INVALID_FIELD", (await org.PostAsync("/tooling/sobjects/CustomField", new { FullName = "Opportunity.Fee__c" })).ErrorCode);
    }

    /// <summary>Out of process, because the schema is process-wide: only a new process shows what the data file kept.</summary>
    [Fact]
    public async Task Declared_fields_and_their_values_survive_a_restart_with_a_data_file()
    {
        var file = Path.Combine(Path.GetTempPath(), "q2c-salesforce-fields-" + Guid.NewGuid().ToString("N") + ".json");
        var environment = new Dictionary<string, string> { ["Salesforce__DataFile"] = file };
        var cancel = TestContext.Current.CancellationToken;
        try
        {
            string token, accountId;
            await using (var first = await ServiceProcess.StartAsync("QuoteToCash.Sandbox.Salesforce", environment))
            {
                using var client = new HttpClient { BaseAddress = first.BaseAddress };
                var org = await Json(await client.PostAsJsonAsync("/_sandbox/orgs", new { name = "kept-fields" }, cancel));
                token = (await Json(await client.PostAsJsonAsync($"/_sandbox/orgs/{org["orgId"]}/tokens", new { name = "admin" }, cancel)))["accessToken"]!.GetValue<string>();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                await Json(await client.PostAsJsonAsync("/services/data/v60.0/tooling/sobjects/CustomField",
                    new { FullName = "Account.Kept_Standing__c", Metadata = new { type = "Text", length = 40 } }, cancel));
                accountId = (await Json(await client.PostAsJsonAsync("/services/data/v60.0/sobjects/Account", new { Name = "Kept Ltd", Kept_Standing__c = "Good" }, cancel)))["id"]!.GetValue<string>();
                await Task.Delay(TimeSpan.FromSeconds(1.5), cancel); // the state is written at most twice a second; the process is then killed
            }

            await using var second = await ServiceProcess.StartAsync("QuoteToCash.Sandbox.Salesforce", environment);
            using var again = new HttpClient { BaseAddress = second.BaseAddress };
            again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var account = await Json(await again.GetAsync($"/services/data/v60.0/sobjects/Account/{accountId}?fields=Name,Kept_Standing__c", cancel));
            Assert.Equal("Good", account["Kept_Standing__c"]!.GetValue<string>());
            var duplicate = await again.PostAsJsonAsync("/services/data/v60.0/tooling/sobjects/CustomField",
                new { FullName = "Account.Kept_Standing__c", Metadata = new { type = "Text", length = 40 } }, cancel);
            Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
            Assert.Contains("DUPLICATE_DEVELOPER_NAME", await duplicate.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
