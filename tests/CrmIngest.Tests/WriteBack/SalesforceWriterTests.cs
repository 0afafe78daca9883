using System.Net;
using Microsoft.Extensions.Options;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.Testing;

namespace QuoteToCash.CrmIngest.Tests.WriteBack;

/// <summary>
/// SalesforceWriter against the Salesforce sandbox. The org starts (like a real org) without the Q2C_…__c custom
/// fields; the writer declares them through the Tooling API on the first INVALID_FIELD and the values are then readable
/// through the ordinary REST API, with the other fields untouched.
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
    public async Task Opportunity_write_back_declares_the_missing_custom_fields_and_the_values_are_readable_in_salesforce()
    {
        var accountId = await CreateAsync("Account", new { Name = "Acme Corp" });
        var opportunityId = await CreateAsync("Opportunity", new { Name = "Implementation", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = accountId, Amount = 1000 });

        await NewWriter().UpdateOpportunityAsync(Target, opportunityId,
            new InvoiceWriteBack("INV-1001", WriteBackValues.Posted, 1000.50m, null), TestContext.Current.CancellationToken);
        await NewWriter().UpdateOpportunityAsync(Target, opportunityId,
            new InvoiceWriteBack(null, WriteBackValues.Paid, 0m, new DateOnly(2026, 11, 20)), TestContext.Current.CancellationToken);

        var opportunity = await SandboxCalls.OkAsync(_client, HttpMethod.Get,
            $"/services/data/v60.0/sobjects/Opportunity/{opportunityId}?fields=Name,Amount,{SalesforceWriter.InvoiceNumber},{SalesforceWriter.InvoiceStatus},{SalesforceWriter.BalanceDue},{SalesforceWriter.PaidDate}", _token);
        Assert.Equal("Implementation", opportunity.GetProperty("Name").GetString());
        Assert.Equal(1000m, opportunity.GetProperty("Amount").GetDecimal());
        Assert.Equal("INV-1001", opportunity.GetProperty(SalesforceWriter.InvoiceNumber).GetString());
        Assert.Equal(WriteBackValues.Paid, opportunity.GetProperty(SalesforceWriter.InvoiceStatus).GetString());
        Assert.Equal(0m, opportunity.GetProperty(SalesforceWriter.BalanceDue).GetDecimal());
        Assert.Equal("2026-11-20", opportunity.GetProperty(SalesforceWriter.PaidDate).GetString());

        var described = await SandboxCalls.OkAsync(_client, HttpMethod.Get, "/services/data/v60.0/sobjects/Opportunity/describe", _token);
        var names = described.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(SalesforceWriter.CustomFields["Opportunity"].Select(f => f.Name).ToHashSet(), names!);
    }

    [Fact]
    public async Task Account_standing_is_written_after_its_field_is_declared_and_an_existing_field_is_not_an_error()
    {
        var accountId = await CreateAsync("Account", new { Name = "Globex" });
        // Declared beforehand, as an admin might have done: the writer must take DUPLICATE_DEVELOPER_NAME as "already there".
        await SandboxCalls.OkAsync(_client, HttpMethod.Post, "/services/data/v60.0/tooling/sobjects/CustomField", _token,
            new { FullName = "Account." + SalesforceWriter.AccountStanding, Metadata = new { label = "Standing", type = "Text", length = 40 } });

        await NewWriter().UpdateAccountStandingAsync(Target, accountId, WriteBackValues.PastDue30, TestContext.Current.CancellationToken);

        var account = await SandboxCalls.OkAsync(_client, HttpMethod.Get, $"/services/data/v60.0/sobjects/Account/{accountId}?fields=Name,{SalesforceWriter.AccountStanding}", _token);
        Assert.Equal(WriteBackValues.PastDue30, account.GetProperty(SalesforceWriter.AccountStanding).GetString());
        Assert.Equal("Globex", account.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task An_opportunity_that_does_not_exist_throws_not_found()
    {
        var failure = await Assert.ThrowsAsync<CrmWriteBackException>(() => NewWriter().UpdateOpportunityAsync(Target, "006000000000000AAA",
            new InvoiceWriteBack(null, WriteBackValues.Paid, 0m, new DateOnly(2026, 11, 20)), TestContext.Current.CancellationToken));
        Assert.NotNull(failure.Status);
    }
}
