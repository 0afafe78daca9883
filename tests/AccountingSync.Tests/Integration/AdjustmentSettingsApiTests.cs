using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;

namespace QuoteToCash.AccountingSync.Tests.Integration;

/// <summary>
/// PUT/GET /api/accounting/{tenant}/adjustment-settings on the service in process: a finance manager sets where
/// write-offs and refunds go; the items are checked against the QuickBooks lists accounting-sync read when it connected.
/// </summary>
[Collection(nameof(QuickBooksSandboxCollection))]
public sealed class AdjustmentSettingsApiTests(QuickBooksSandboxFixture sandbox)
{
    private const string ServicesItem = "1";
    private const string CheckingAccount = "1";

    private HttpRequestMessage Put(object body, string role, string tenant = QuickBooksSandboxFixture.Tenant)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/accounting/{tenant}/adjustment-settings") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Token(role));
        return request;
    }

    private async Task ListsReadAsync()
    {
        var store = sandbox.Service.Services.GetRequiredService<IDocumentStore>();
        var read = await Polling.Eventually(async () =>
            (await store.Collection<ReferenceDataSnapshot>(ReferenceDataSnapshot.CollectionName).GetAsync(QuickBooksSandboxFixture.Tenant))?.Value.ListsReadAt is not null,
            TimeSpan.FromSeconds(30));
        Assert.True(read, "accounting-sync did not read the QuickBooks lists after connecting");
    }

    [Fact]
    public async Task A_tenant_without_settings_is_404_problem_json()
    {
        sandbox.SkipIfUnavailable();

        using var response = await sandbox.Api.GetAsync("/api/accounting/no-settings-yet/adjustment-settings", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_finance_manager_sets_the_bad_debt_item_refund_item_and_refund_account_and_reads_them_back_with_names()
    {
        sandbox.SkipIfUnavailable();
        await ListsReadAsync();

        using var put = await sandbox.Api.SendAsync(Put(new { badDebtItemRef = ServicesItem, refundItemRef = ServicesItem, refundAccountRef = CheckingAccount }, "finance-manager"),
            TestContext.Current.CancellationToken);
        var read = await sandbox.Api.GetFromJsonAsync<JsonElement>($"/api/accounting/{QuickBooksSandboxFixture.Tenant}/adjustment-settings", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal((ServicesItem, "Services", ServicesItem, CheckingAccount, "test-operator"),
            (read.GetProperty("badDebtItemRef").GetString(), read.GetProperty("badDebtItemName").GetString(), read.GetProperty("refundItemRef").GetString(),
             read.GetProperty("refundAccountRef").GetString(), read.GetProperty("updatedBy").GetString()));
    }

    [Fact]
    public async Task Unknown_items_and_ids_that_are_not_QuickBooks_ids_are_refused_field_by_field()
    {
        sandbox.SkipIfUnavailable();
        await ListsReadAsync();

        using var response = await sandbox.Api.SendAsync(Put(new { badDebtItemRef = "9999", refundItemRef = "refunds", refundAccountRef = "Checking" }, "admin", "acme-other"),
            TestContext.Current.CancellationToken);
        using var unknownItem = await sandbox.Api.SendAsync(Put(new { badDebtItemRef = "9999" }, "admin"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("refundItemRef", out _));
        Assert.True(errors.TryGetProperty("refundAccountRef", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownItem.StatusCode);
        Assert.Contains("no active item with ID '9999'", await unknownItem.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_billing_specialist_may_read_but_not_change_them()
    {
        sandbox.SkipIfUnavailable();

        using var response = await sandbox.Api.SendAsync(Put(new { refundAccountRef = CheckingAccount }, "billing-specialist"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
