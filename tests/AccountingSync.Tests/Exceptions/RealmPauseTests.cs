using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>
/// Item 7, connection health: the firm's QuickBooks authorisation is revoked while invoices are waiting. The realm pauses
/// with nothing lost and raises one exception; an administrator reconnects through the connection API and the queue goes
/// on by itself, the exception resolving.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class RealmPauseTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private QuickBooksCompanyHarness _company = null!;
    private ExceptionQueue _queue = null!;
    private string _clientId = string.Empty;
    private string _clientSecret = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, posting: true);
        _queue = new ExceptionQueue(_company.Harness);
        var app = await sandbox.PostAsync("/_sandbox/apps", new { name = "platform-" + Guid.NewGuid().ToString("N")[..8], webhookUrl = (string?)null, webhookFormat = "legacy" });
        _clientId = app.GetProperty("clientId").GetString()!;
        _clientSecret = app.GetProperty("clientSecret").GetString()!;
        await RevokedConnectionAsync();
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    /// <summary>The tenant's connection as it is once Intuit revoked the app's refresh token: QuickBooks refuses it (invalid_grant).</summary>
    private async Task RevokedConnectionAsync()
    {
        var protector = _company.Harness.Services.GetRequiredService<QboTokenManager>().Protector;
        var now = _company.Harness.Time.GetUtcNow().UtcDateTime;
        await _company.Harness.Store.CommitAsync([DocumentWrite.Upsert(QboConnection.CollectionName, Tenant, new QboConnection
        {
            TenantId = Tenant, Environment = "sandbox", BaseUrl = sandbox.BaseAddress.ToString().TrimEnd('/'),
            TokenUrl = new Uri(sandbox.BaseAddress, "/oauth2/v1/tokens/bearer").ToString(), RealmId = _company.RealmId, ClientId = _clientId,
            ProtectedClientSecret = protector.Protect(_clientSecret), ProtectedRefreshToken = protector.Protect("a-refresh-token-intuit-revoked"),
            Status = QboConnectionStatus.Connected, Connected = now, Updated = now,
        })]);
    }

    private async Task<QboCustomer> ContosoAsync()
    {
        // Made through a second, healthy app of the same company, as someone working in QuickBooks would.
        var tools = await sandbox.PostAsync("/_sandbox/apps", new { name = "tools-" + Guid.NewGuid().ToString("N")[..8], webhookUrl = (string?)null, webhookFormat = "legacy" });
        var consent = await sandbox.PostAsync($"/_sandbox/realms/{_company.RealmId}/connections", new { clientId = tools.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", consent.GetProperty("accessToken").GetString());
        using var response = await http.PostAsync($"/v3/company/{_company.RealmId}/customer?minorversion=75",
            new StringContent("""{"DisplayName":"Contoso Logistics Ltd","PrimaryEmailAddr":{"Address":"ap@contoso-logistics.test"}}""", System.Text.Encoding.UTF8, "application/json"));
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new QboCustomer { Id = body.RootElement.GetProperty("Customer").GetProperty("Id").GetString() };
    }

    private PostInvoice Milestone(string customerRef, int n) => new()
    {
        TenantId = Tenant, FlowId = FlowOf($"deal-{9000 + n}"), InvoiceId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), AccountingCustomerRef = customerRef,
        Currency = Currency, InvoiceDate = new DateOnly(2026, 3, 2), PrivateNote = $"deal:{Crm}:deal-{9000 + n}",
        Lines = [new InvoiceLine { Description = "ERP rollout, milestone 2", ItemRef = "4", Quantity = 4m, UnitPrice = 1_050m, Amount = 4_200m }],
    };

    /// <summary>An administrator signs in to Intuit again and saves the connection through the connection API.</summary>
    private async Task ReconnectAsync()
    {
        var consent = await sandbox.PostAsync($"/_sandbox/realms/{_company.RealmId}/connections", new { clientId = _clientId, redirectUri = "http://localhost/callback" });
        await using (var scope = _company.Harness.Services.CreateAsyncScope())
        {
            var saved = await ConnectionApi.PutConnection(Tenant, new ConnectionApi.ConnectionRequest
            {
                Environment = "sandbox", BaseUrl = sandbox.BaseAddress.ToString(), TokenUrl = new Uri(sandbox.BaseAddress, "/oauth2/v1/tokens/bearer").ToString(),
                RealmId = _company.RealmId, ClientId = _clientId, ClientSecret = _clientSecret,
                AuthorizationCode = consent.GetProperty("authorizationCode").GetString(), RedirectUri = "http://localhost/callback",
            }, _company.Harness.Store, scope.ServiceProvider.GetRequiredService<IUnitOfWork>(), scope.ServiceProvider.GetRequiredService<QboTokenManager>(),
                scope.ServiceProvider.GetRequiredService<OutboundPolicy>(), scope.ServiceProvider.GetRequiredService<IOptions<ReferenceDataOptions>>(),
                _company.Harness.Time, TestContext.Current.CancellationToken);
            Assert.IsType<Ok<ConnectionApi.ConnectionView>>(saved.Result);
        }
    }

    [Fact]
    public async Task A_revoked_authorisation_pauses_the_realm_with_one_exception_and_reconnecting_resumes_it()
    {
        var contoso = await ContosoAsync();
        var first = Milestone(contoso.Id!, 1);
        var second = Milestone(contoso.Id!, 2);

        await _company.Harness.DeliverAsync(first);
        var expired = await _queue.SingleAsync(SyncExceptionKind.AuthorizationExpired);
        await _company.Harness.DeliverAsync(second);
        await Task.Delay(TimeSpan.FromMilliseconds(600), TestContext.Current.CancellationToken); // a dozen posting passes

        Assert.Equal(("Connection", Tenant, _company.RealmId, RootCause.Authorization), (expired.Entity, expired.EntityId, expired.AccountingId, expired.RootCause));
        Assert.Contains("nothing is lost", expired.Message);
        Assert.Contains("reconnects QuickBooks", expired.SuggestedFix);
        Assert.Equal(1, (await _queue.GetAsync(expired.ExceptionId)).Occurrences);
        Assert.Single(_company.Harness.Published<QuickBooksReauthorizationRequired>());
        foreach (var waiting in new[] { first, second })
            Assert.Equal(PostingStatus.Queued, (await _company.Harness.GetAsync<PendingInvoice>(PendingInvoice.CollectionName, waiting.InvoiceId.ToString("D")))!.Status);
        Assert.Empty(_company.Harness.Published<InvoicePostingFailed>());
        Assert.Empty(await _company.EntitiesAsync("invoice"));
        var retry = await ExceptionQueue.WriteAsync(await _queue.RetryAsync(expired.ExceptionId));
        Assert.Equal(409, retry.Status);

        await ReconnectAsync();

        await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == first.InvoiceId);
        await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == second.InvoiceId);
        Assert.Equal(2, (await _company.EntitiesAsync("invoice")).Count);
        Assert.True(await Polling.Eventually(async () => (await _queue.GetAsync(expired.ExceptionId)).Status == SyncExceptionStatus.Resolved, TimeSpan.FromSeconds(10)));
        Assert.True((await _queue.GetAsync(expired.ExceptionId)).ResolvedAutomatically);
    }

    [Fact]
    public async Task In_a_paused_realm_what_needs_a_waiting_invoice_is_held_and_the_rest_stays_queued_and_all_of_it_goes_by_itself_after_reconnecting()
    {
        var contoso = await ContosoAsync();
        var invoice = Milestone(contoso.Id!, 3);
        await _company.Harness.DeliverAsync(invoice);
        var expired = await _queue.SingleAsync(SyncExceptionKind.AuthorizationExpired);
        var send = new SendInvoice { TenantId = Tenant, FlowId = invoice.FlowId, InvoiceId = invoice.InvoiceId, RequestedAt = _company.Harness.Time.GetUtcNow() };
        var credit = new PostCreditMemo
        {
            TenantId = Tenant, FlowId = invoice.FlowId, CreditMemoId = Guid.NewGuid(), InvoiceId = invoice.InvoiceId, CustomerRef = contoso.Id!, Currency = Currency,
            Lines = [new InvoiceLine { Description = "Goodwill credit, milestone 2", ItemRef = "4", Quantity = 1m, UnitPrice = 1_000m, Amount = 1_000m }],
            Reason = "Goodwill for the delayed workshop",
        };
        var time = new PostTimeActivity
        {
            TenantId = Tenant, FlowId = invoice.FlowId, TimeEntryId = "te-" + Guid.NewGuid().ToString("N")[..8], Person = "Priya Shah", CustomerRef = contoso.Id!,
            ItemRef = "4", Date = new DateOnly(2026, 3, 2), Hours = 2.5m, Billable = true, HourlyRate = 150m, Currency = Currency,
        };

        await _company.Harness.DeliverAsync(send);
        await _company.Harness.DeliverAsync(send); // a redelivery holds it once
        await _company.Harness.DeliverAsync(credit);
        await _company.Harness.DeliverAsync(time);

        var held = (await _company.Harness.Store.Collection<OutboundEntry>(OutboundEntry.CollectionName).FindAsync(h => h.TenantId == Tenant,
            cancellationToken: TestContext.Current.CancellationToken)).Select(h => h.Value).OrderBy(h => h.Sequence).ToList();
        var subject = OutboundOrder.InvoiceSubject(invoice.InvoiceId);
        // The e-mail and the credit wait for their invoice; the time entry waits its turn in the paused realm, untried.
        Assert.Equal([(nameof(SendInvoice), OutboundState.Held, HoldReason.WaitingForInvoice, subject),
                (nameof(PostCreditMemo), OutboundState.Held, HoldReason.WaitingForInvoice, subject), (nameof(PostTimeActivity), OutboundState.Queued, null, null)],
            held.Select(h => (h.Operation, h.State, h.Reason, h.WaitsFor)));
        Assert.Contains("still on its way to QuickBooks", held[0].Explanation);
        Assert.Equal((0, ""), (held[2].UnansweredPasses, held[2].Explanation));
        Assert.True((await _company.Harness.GetAsync<PendingInvoice>(PendingInvoice.CollectionName, invoice.InvoiceId.ToString("D")))!.Awaited);
        Assert.Null(await _company.Harness.GetAsync<QuoteToCash.AccountingSync.Infrastructure.Adjustments.PendingAdjustment>(
            QuoteToCash.AccountingSync.Infrastructure.Adjustments.PendingAdjustment.CollectionName, credit.CreditMemoId.ToString("D")));
        // Nothing failed and finance has one exception to act on, the connection's: nothing else was tried against QuickBooks.
        await _company.Harness.SettleAsync();
        Assert.Equal([expired.ExceptionId], (await _queue.ListAsync()).Items.Select(e => e.ExceptionId));
        Assert.All(_company.Harness.Published<OpenSyncException>(), e => Assert.Equal("Connection", e.Entity));
        Assert.Empty(_company.Harness.Published<AdjustmentFailed>());
        Assert.Empty(_company.Harness.Published<InvoiceSent>());
        Assert.Empty(_company.Harness.Published<TimeActivityPosted>());
        var queue = (await OutboundApi.GetQueue(Tenant, _company.Harness.Store, TestContext.Current.CancellationToken)).Value!;
        Assert.Equal((true, 1L, 0L, 0L), (queue.Paused, queue.InvoicesQueued, queue.InvoicesRefused, queue.AdjustmentsQueued));
        Assert.Equal([nameof(SendInvoice), nameof(PostCreditMemo), nameof(PostTimeActivity)], queue.Operations.Select(h => h.Operation));
        Assert.Equal(("Held", "WaitingForInvoice", subject, invoice.FlowId),
            (queue.Operations[0].State, queue.Operations[0].Reason, queue.Operations[0].WaitsFor, queue.Operations[0].FlowId));
        Assert.Equal(("Queued", (string?)null), (queue.Operations[2].State, queue.Operations[2].Reason));

        await ReconnectAsync();

        await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == invoice.InvoiceId);
        await _company.PublishedAsync<InvoiceSent>(m => m.InvoiceId == invoice.InvoiceId);
        var credited = await _company.PublishedAsync<CreditMemoPosted>(m => m.CreditMemoId == credit.CreditMemoId);
        await _company.PublishedAsync<TimeActivityPosted>(m => m.TimeEntryId == time.TimeEntryId);
        Assert.Equal((1_000m, 3_200m), (credited.AppliedAmount, credited.InvoiceBalance));
        Assert.Single(await _company.EntitiesAsync("creditmemo"));
        Assert.True(await Polling.Eventually(async () => (await _company.Harness.Store.Collection<OutboundEntry>(OutboundEntry.CollectionName)
            .FindAsync(h => h.TenantId == Tenant, cancellationToken: TestContext.Current.CancellationToken)).Count == 0, TimeSpan.FromSeconds(10)));
        Assert.False((await _company.Harness.GetAsync<PendingInvoice>(PendingInvoice.CollectionName, invoice.InvoiceId.ToString("D")))!.Awaited);
        var drained = (await OutboundApi.GetQueue(Tenant, _company.Harness.Store, TestContext.Current.CancellationToken)).Value!;
        Assert.Equal((false, 0L, 0L, 0), (drained.Paused, drained.InvoicesQueued, drained.AdjustmentsQueued, drained.Operations.Count));
    }
}
