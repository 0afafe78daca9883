using System.Net;
using Microsoft.Extensions.Options;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.Testing;

namespace QuoteToCash.CrmIngest.Tests.WriteBack;

/// <summary>
/// SalesforceWriter against the Salesforce sandbox. The sandbox (like a real org without the fields deployed) has no
/// Q2C_…__c custom fields and no way to declare them, so the write-back must fail loudly with what to do, never drop
/// the update and never touch other fields.
/// </summary>
public sealed class SalesforceWriterTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-wb-sf-" + Guid.NewGuid().ToString("N")[..10]);
    private ServiceProcess? _sandbox;
    private HttpClient _client = null!;
    private string _token = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _sandbox = new ServiceProcess("salesforce-sandbox", "QuoteToCash.Sandbox.Salesforce", ServiceProcess.FreePort(), new Dictionary<string, string>(), _directory);
        _sandbox.Start();
        await _sandbox.WaitReadyAsync(TimeSpan.FromSeconds(60), "/health/live");
        _client = new HttpClient { BaseAddress = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var org = await SandboxCalls.OkAsync(_client, HttpMethod.Post, "/_sandbox/orgs", body: new { name = "wb-sf" });
        var token = await SandboxCalls.OkAsync(_client, HttpMethod.Post, $"/_sandbox/orgs/{org.GetProperty("orgId").GetString()}/tokens",
            body: new { name = "platform", integrationUser = true });
        _token = token.GetProperty("accessToken").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
    }

    private SalesforceTarget Target => new("tenant-sf", _sandbox!.BaseAddress.ToString().TrimEnd('/'), _token);

    private static SalesforceWriter NewWriter() =>
        new(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, Options.Create(new WriteBackOptions()), new RecordingLogger<SalesforceWriter>());

    private async Task<string> CreateAsync(string sObject, object fields) =>
        (await SandboxCalls.OkAsync(_client, HttpMethod.Post, $"/services/data/v60.0/sobjects/{sObject}", _token, fields)).GetProperty("id").GetString()!;

    [Fact]
    public async Task Opportunity_without_the_custom_fields_fails_with_instructions_instead_of_dropping_the_update()
    {
        var accountId = await CreateAsync("Account", new { Name = "Acme Corp" });
        var opportunityId = await CreateAsync("Opportunity", new { Name = "Implementation", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = accountId, Amount = 1000 });

        var failure = await Assert.ThrowsAsync<CrmWriteBackException>(() => NewWriter().UpdateOpportunityAsync(Target, opportunityId,
            new InvoiceWriteBack("INV-1001", WriteBackValues.Posted, 1000m, null), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, failure.Status);
        Assert.Contains("INVALID_FIELD", failure.Message, StringComparison.Ordinal);
        Assert.Contains("create the custom fields", failure.Message, StringComparison.Ordinal);
        var opportunity = await SandboxCalls.OkAsync(_client, HttpMethod.Get, $"/services/data/v60.0/sobjects/Opportunity/{opportunityId}?fields=Name,Amount", _token);
        Assert.Equal("Implementation", opportunity.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Account_standing_without_the_custom_field_fails_and_names_the_field()
    {
        var accountId = await CreateAsync("Account", new { Name = "Globex" });

        var failure = await Assert.ThrowsAsync<CrmWriteBackException>(() =>
            NewWriter().UpdateAccountStandingAsync(Target, accountId, WriteBackValues.PastDue30, TestContext.Current.CancellationToken));

        Assert.Contains(SalesforceWriter.AccountStanding, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_opportunity_that_does_not_exist_throws_not_found()
    {
        var failure = await Assert.ThrowsAsync<CrmWriteBackException>(() => NewWriter().UpdateOpportunityAsync(Target, "006000000000000AAA",
            new InvoiceWriteBack(null, WriteBackValues.Paid, 0m, new DateOnly(2026, 11, 20)), TestContext.Current.CancellationToken));
        Assert.NotNull(failure.Status);
    }
}
