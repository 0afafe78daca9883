using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Tests.Integration;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;

namespace QuoteToCash.AccountingSync.Tests.Reconciliation;

/// <summary>
/// POST /api/accounting/{tenant}/reconciliation and the drift report, on the service in process (RabbitMQ, LiteDB) connected
/// to a sandbox company: an invoice the service posted is deleted in QuickBooks by someone using another app.
/// </summary>
[Collection(nameof(QuickBooksSandboxCollection))]
public sealed class ReconciliationApiTests(QuickBooksSandboxFixture sandbox)
{
    private const string Tenant = QuickBooksSandboxFixture.Tenant;

    private HttpRequestMessage Request(HttpMethod method, string path, string role)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Token(role));
        return request;
    }

    private async Task<string> PostedInQuickBooksAsync(Guid invoiceId)
    {
        var bus = sandbox.Service.Services.GetRequiredService<IBus>();
        await bus.Publish(new PostInvoice
        {
            TenantId = Tenant,
            FlowId = FlowId.For(Tenant, "hubspot", "recon-" + invoiceId.ToString("N")[..8]),
            InvoiceId = invoiceId,
            CustomerId = Guid.NewGuid(),
            AccountingCustomerRef = await CustomerAsync(),
            Currency = "USD",
            PrivateNote = $"deal:hubspot:recon-{invoiceId.ToString("N")[..8]}",
            InvoiceDate = new DateOnly(2026, 11, 25),
            Lines = [new InvoiceLine { Description = "Discovery workshop", ItemRef = "1", Quantity = 2m, UnitPrice = 600m, Amount = 1_200m }],
        }, TestContext.Current.CancellationToken);
        var index = sandbox.Service.Services.GetRequiredService<IDocumentStore>().Collection<PostedInvoice>(PostedInvoice.CollectionName);
        string? accountingId = null;
        Assert.True(await Polling.Eventually(async () =>
        {
            accountingId = (await index.FindAsync(p => p.InvoiceId == invoiceId, 1, TestContext.Current.CancellationToken)).FirstOrDefault()?.Value.AccountingInvoiceId;
            return accountingId is not null;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200)), "The invoice was not posted and indexed");
        return accountingId!;
    }

    private async Task<string> CustomerAsync()
    {
        var created = await QuickBooksAsync(HttpMethod.Post, "customer", new { DisplayName = "Reconciled " + Guid.NewGuid().ToString("N")[..8] });
        return created.GetProperty("Customer").GetProperty("Id").GetString()!;
    }

    /// <summary>The QuickBooks API as another app connected to the company uses it.</summary>
    private async Task<JsonElement> QuickBooksAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"/v3/company/{sandbox.RealmId}/{path}{(path.Contains('?') ? '&' : '?')}minorversion=75");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.ToolsConnection.GetProperty("accessToken").GetString());
        if (body is not null)
            request.Content = JsonContent.Create(body);
        using var response = await sandbox.Sandbox.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private async Task<JsonElement> FinishedAsync(Uri location)
    {
        JsonElement run = default;
        Assert.True(await Polling.Eventually(async () =>
        {
            using var response = await sandbox.Api.SendAsync(Request(HttpMethod.Get, location.ToString(), "auditor"), TestContext.Current.CancellationToken);
            run = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            return run.GetProperty("status").GetString() != "Queued";
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200)), "The reconciliation did not finish");
        return run;
    }

    [Fact]
    public async Task A_run_started_now_answers_202_and_its_report_shows_the_invoice_deleted_in_quickbooks()
    {
        sandbox.SkipIfUnavailable();
        var invoiceId = Guid.NewGuid();
        var accountingId = await PostedInQuickBooksAsync(invoiceId);
        var current = await QuickBooksAsync(HttpMethod.Get, $"invoice/{accountingId}");
        await QuickBooksAsync(HttpMethod.Post, "invoice?operation=delete",
            new { Id = accountingId, SyncToken = current.GetProperty("Invoice").GetProperty("SyncToken").GetString() });

        using var started = await sandbox.Api.SendAsync(Request(HttpMethod.Post, $"/api/accounting/{Tenant}/reconciliation", "billing-specialist"), TestContext.Current.CancellationToken);
        var queued = await started.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var run = await FinishedAsync(started.Headers.Location!);
        using var latest = await sandbox.Api.SendAsync(Request(HttpMethod.Get, $"/api/accounting/{Tenant}/reconciliation/latest", "auditor"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(("Queued", "on-demand", "test-operator"), (queued.GetProperty("status").GetString(), queued.GetProperty("trigger").GetString(), queued.GetProperty("requestedBy").GetString()));
        Assert.Equal($"/api/accounting/{Tenant}/reconciliation/runs/{queued.GetProperty("runId").GetGuid():D}", started.Headers.Location!.ToString());
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var drift = run.GetProperty("drifts").EnumerateArray().Single(d => d.GetProperty("invoiceId").GetGuid() == invoiceId);
        Assert.Equal(("Missing", accountingId, "USD"), (drift.GetProperty("kind").GetString(), drift.GetProperty("accountingInvoiceId").GetString(), drift.GetProperty("currency").GetString()));
        Assert.Equal("the invoice no longer exists in QuickBooks", drift.GetProperty("message").GetString());
        Assert.Equal(queued.GetProperty("runId").GetGuid(), (await latest.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetGuid());
    }

    [Fact]
    public async Task Another_tenants_run_an_unknown_run_and_a_tenant_without_quickbooks_are_404_problem_json()
    {
        sandbox.SkipIfUnavailable();
        using var started = await sandbox.Api.SendAsync(Request(HttpMethod.Post, $"/api/accounting/{Tenant}/reconciliation", "finance-manager"), TestContext.Current.CancellationToken);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetGuid();

        using var otherTenant = await sandbox.Api.SendAsync(Request(HttpMethod.Get, $"/api/accounting/someone-else/reconciliation/runs/{runId:D}", "admin"), TestContext.Current.CancellationToken);
        using var unknown = await sandbox.Api.SendAsync(Request(HttpMethod.Get, $"/api/accounting/{Tenant}/reconciliation/runs/{Guid.NewGuid():D}", "admin"), TestContext.Current.CancellationToken);
        using var notConnected = await sandbox.Api.SendAsync(Request(HttpMethod.Post, "/api/accounting/no-quickbooks/reconciliation", "admin"), TestContext.Current.CancellationToken);
        using var noLatest = await sandbox.Api.SendAsync(Request(HttpMethod.Get, "/api/accounting/no-quickbooks/reconciliation/latest", "admin"), TestContext.Current.CancellationToken);

        Assert.All([otherTenant, unknown, notConnected, noLatest], r =>
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
    }

    [Fact]
    public async Task Only_finance_roles_start_a_run()
    {
        sandbox.SkipIfUnavailable();

        using var sales = await sandbox.Api.SendAsync(Request(HttpMethod.Post, $"/api/accounting/{Tenant}/reconciliation", "sales"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, sales.StatusCode);
    }
}
