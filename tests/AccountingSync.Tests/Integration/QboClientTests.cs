using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace QuoteToCash.AccountingSync.Tests.Integration;

/// <summary>accounting-sync's QuickBooks client against the sandbox, over real HTTP.</summary>
[Collection(nameof(QuickBooksSandboxCollection))]
public sealed class QboClientTests(QuickBooksSandboxFixture sandbox)
{
    private const string Tenant = QuickBooksSandboxFixture.Tenant;

    private QboClient Client(IServiceScope scope) => scope.ServiceProvider.GetRequiredService<QboClient>();

    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    private async Task<QboCustomer> NewCustomerAsync(QboClient client, string? name = null) =>
        await client.CreateAsync(Tenant, new QboCustomer { DisplayName = name ?? Unique("Customer"), PrimaryEmailAddr = new QboEmail { Address = "ap@example.test" } },
            Guid.NewGuid().ToString("N"), TestContext.Current.CancellationToken);

    private static QboInvoice Invoice(QboCustomer customer, string memo) => new()
    {
        CustomerRef = QboRef.To(customer.Id!),
        PrivateNote = memo,
        Line =
        [
            new QboLine
            {
                Amount = 1500m, DetailType = "SalesItemLineDetail", Description = "Design",
                SalesItemLineDetail = new QboSalesItemLineDetail { ItemRef = QboRef.To("1"), Qty = 10m, UnitPrice = 150m },
            },
        ],
    };

    [Fact]
    public async Task The_same_requestid_replays_the_original_invoice_instead_of_creating_a_second()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        var customer = await NewCustomerAsync(client);
        var memo = Unique("replay");
        var requestId = Guid.NewGuid().ToString("N");

        var first = await client.CreateAsync(Tenant, Invoice(customer, memo), requestId, TestContext.Current.CancellationToken);
        var second = await client.CreateAsync(Tenant, Invoice(customer, memo), requestId, TestContext.Current.CancellationToken);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1500m, first.TotalAmt);
        Assert.Single(await sandbox.EntitiesAsync("invoice"), i => i.TryGetProperty("PrivateNote", out var n) && n.GetString() == memo);
    }

    [Fact]
    public async Task A_connection_dropped_after_the_commit_is_retried_with_the_same_requestid_and_leaves_exactly_one_invoice()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        var customer = await NewCustomerAsync(client);
        var memo = Unique("dropped");
        await sandbox.PostAsync("/_sandbox/faults", new { realmId = sandbox.RealmId, dropConnectionAfterCommitRate = 1.0, count = 1 });
        try
        {
            var invoice = await client.CreateAsync(Tenant, Invoice(customer, memo), Guid.NewGuid().ToString("N"), TestContext.Current.CancellationToken);
            Assert.NotNull(invoice.Id);
        }
        finally
        {
            await sandbox.Sandbox.DeleteAsync("/_sandbox/faults", TestContext.Current.CancellationToken);
        }

        Assert.Single(await sandbox.EntitiesAsync("invoice"), i => i.TryGetProperty("PrivateNote", out var n) && n.GetString() == memo);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_request_goes_through()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        await sandbox.PostAsync("/_sandbox/faults", new { realmId = sandbox.RealmId, errorRate = 1.0, errorStatus = 503, count = 2 });
        try
        {
            var customer = await NewCustomerAsync(client);
            Assert.NotNull(customer.Id);
        }
        finally
        {
            await sandbox.Sandbox.DeleteAsync("/_sandbox/faults", TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_query_finds_a_name_with_an_apostrophe()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        var name = Unique("Bill's Windsurf Shop");
        await NewCustomerAsync(client, name);

        var page = await client.QueryAsync<QboCustomer>(Tenant, QboQuery.From("Customer").Where("DisplayName", "=", name), TestContext.Current.CancellationToken);

        Assert.Equal(name, Assert.Single(page.Items).DisplayName);
    }

    [Fact]
    public async Task A_duplicate_display_name_is_a_typed_duplicate_name_error()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        var existing = await NewCustomerAsync(client);

        var error = await Assert.ThrowsAsync<QboException>(() => NewCustomerAsync(client, existing.DisplayName));

        Assert.Equal(QboErrorKind.DuplicateName, error.Kind);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task A_sparse_update_with_a_stale_sync_token_re_reads_and_succeeds()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        var customer = await NewCustomerAsync(client);
        await client.SparseUpdateAsync<QboCustomer>(Tenant, customer.Id!, token => new QboCustomer { Notes = "changed elsewhere" },
            Guid.NewGuid().ToString("N"), customer.SyncToken, TestContext.Current.CancellationToken);

        var updated = await client.SparseUpdateAsync<QboCustomer>(Tenant, customer.Id!, token => new QboCustomer { CompanyName = "Renamed Ltd" },
            Guid.NewGuid().ToString("N"), syncToken: customer.SyncToken, TestContext.Current.CancellationToken);

        Assert.Equal("Renamed Ltd", updated.CompanyName);
        Assert.Equal("changed elsewhere", updated.Notes);
        Assert.Equal("2", updated.SyncToken);
    }

    [Fact]
    public async Task A_batch_answers_each_item_with_its_entity_or_its_own_fault()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        var existing = await NewCustomerAsync(client);

        var results = await client.BatchAsync(Tenant,
        [
            new QboBatchItem("a", "create", new QboCustomer { DisplayName = Unique("Batch A") }),
            new QboBatchItem("b", "create", new QboCustomer { DisplayName = existing.DisplayName }),
            new QboBatchItem("c", "create", new QboCustomer { DisplayName = Unique("Batch C") }),
        ], Guid.NewGuid().ToString("N"), TestContext.Current.CancellationToken);

        var byId = results.ToDictionary(r => r.BatchId);
        Assert.NotNull(byId["a"].Entity);
        Assert.NotNull(byId["c"].Entity);
        Assert.Equal(QboErrorKind.DuplicateName, byId["b"].Fault?.Kind);
    }

    [Fact]
    public async Task Changes_since_a_moment_include_what_was_created()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var client = Client(scope);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var customer = await NewCustomerAsync(client);

        var (changes, serverTime) = await client.ChangesSinceAsync(Tenant, ["Customer", "Invoice"], since, TestContext.Current.CancellationToken);

        Assert.Contains(changes, c => c.Entity == "Customer" && c.Id == customer.Id && !c.Deleted);
        Assert.True(serverTime > since);
    }

    [Fact]
    public async Task Throttling_by_quickbooks_is_waited_out_and_never_surfaced()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        // A governor that does not know the limits: QuickBooks itself must throttle, and the client must cope.
        var careless = new RateGovernor(new QboLimits { RequestsPerMinute = 10_000, BatchesPerMinute = 10_000, ConcurrentRequests = 10, ThrottleBackoff = QuickBooksSandboxFixture.Window },
            TimeProvider.System, scope.ServiceProvider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var client = new QboClient(scope.ServiceProvider.GetRequiredService<IHttpClientFactory>().CreateClient(), scope.ServiceProvider.GetRequiredService<QboTokenManager>(),
            careless, scope.ServiceProvider.GetRequiredService<ILogger<QboClient>>());
        var query = QboQuery.Count("Term");

        var counts = await Task.WhenAll(Enumerable.Range(0, QuickBooksSandboxFixture.RequestsPerWindow + 20)
            .Select(_ => client.CountAsync(Tenant, query, TestContext.Current.CancellationToken)));

        Assert.All(counts, c => Assert.True(c > 0));
        Assert.NotNull(careless.PausedUntil(sandbox.RealmId) ?? (DateTimeOffset?)DateTimeOffset.MinValue);
    }

    [Fact]
    public async Task A_refresh_rotates_the_refresh_token_and_the_superseded_one_is_refused()
    {
        sandbox.SkipIfUnavailable();
        var tokens = sandbox.Service.Services.GetRequiredService<QboTokenManager>();
        var store = sandbox.Service.Services.GetRequiredService<IDocumentStore>();
        var before = (await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(Tenant, TestContext.Current.CancellationToken))!.Value;
        var oldRefresh = tokens.Protector.Unprotect(before.ProtectedRefreshToken);
        var access = await tokens.GetAccessAsync(Tenant, TestContext.Current.CancellationToken);

        var refreshed = await tokens.RefreshAsync(Tenant, access.AccessToken, TestContext.Current.CancellationToken);

        var after = (await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(Tenant, TestContext.Current.CancellationToken))!.Value;
        Assert.NotEqual(access.AccessToken, refreshed.AccessToken);
        Assert.Equal(before.TokenRefreshes + 1, after.TokenRefreshes);
        Assert.NotEqual(oldRefresh, tokens.Protector.Unprotect(after.ProtectedRefreshToken));
        Assert.DoesNotContain(oldRefresh, after.ProtectedRefreshToken);

        using var reuse = new HttpRequestMessage(HttpMethod.Post, "/oauth2/v1/tokens/bearer")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", oldRefresh)]),
        };
        reuse.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{sandbox.PlatformApp.GetProperty("clientId").GetString()}:{sandbox.PlatformApp.GetProperty("clientSecret").GetString()}")));
        using var refused = await sandbox.Sandbox.SendAsync(reuse, TestContext.Current.CancellationToken);
        Assert.Contains("invalid_grant", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_refused_refresh_token_turns_the_connection_into_needs_reauthorisation_instead_of_crashing()
    {
        sandbox.SkipIfUnavailable();
        const string tenant = "revoked";
        using var connect = await sandbox.Api.PutAsJsonAsync($"/api/accounting/{tenant}/connection", new
        {
            environment = "sandbox",
            baseUrl = sandbox.Sandbox.BaseAddress!.ToString(),
            tokenUrl = new Uri(sandbox.Sandbox.BaseAddress!, "/oauth2/v1/tokens/bearer").ToString(),
            realmId = sandbox.RealmId,
            clientId = sandbox.PlatformApp.GetProperty("clientId").GetString(),
            clientSecret = sandbox.PlatformApp.GetProperty("clientSecret").GetString(),
            refreshToken = "a-refresh-token-quickbooks-never-issued",
        }, TestContext.Current.CancellationToken);
        connect.EnsureSuccessStatusCode();
        using var scope = sandbox.Service.Services.CreateScope();

        var error = await Assert.ThrowsAsync<QboException>(() => Client(scope).CountAsync(tenant, QboQuery.Count("Customer"), TestContext.Current.CancellationToken));

        Assert.Equal(QboErrorKind.Authentication, error.Kind);
        Assert.Contains("re-authorisation", error.Message);
        var view = await sandbox.Api.GetFromJsonAsync<JsonElement>($"/api/accounting/{tenant}/connection", TestContext.Current.CancellationToken);
        Assert.Equal("NeedsReauthorization", view.GetProperty("status").GetString());
        // A second call does not hammer QuickBooks with the dead token: it fails at once with the same condition.
        var again = await Assert.ThrowsAsync<QboException>(() => Client(scope).CountAsync(tenant, QboQuery.Count("Customer"), TestContext.Current.CancellationToken));
        Assert.Equal("reauthorization-required", again.FirstCode);
    }

    [Fact]
    public async Task Secrets_are_never_returned_by_the_connection_api()
    {
        sandbox.SkipIfUnavailable();
        var json = await sandbox.Api.GetStringAsync($"/api/accounting/{Tenant}/connection", TestContext.Current.CancellationToken);

        Assert.Contains("\"status\":\"Connected\"", json);
        Assert.DoesNotContain(sandbox.PlatformApp.GetProperty("clientSecret").GetString()!, json);
        Assert.DoesNotContain(sandbox.PlatformApp.GetProperty("verifierToken").GetString()!, json);
        Assert.DoesNotContain("protected", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_backlog_of_invoices_is_posted_in_batches_within_the_limits_each_exactly_once()
    {
        sandbox.SkipIfUnavailable();
        using var scope = sandbox.Service.Services.CreateScope();
        var customer = await NewCustomerAsync(Client(scope));
        var bus = sandbox.Service.Services.GetRequiredService<IBus>();
        var memo = Unique("backlog");
        var invoiceIds = Enumerable.Range(0, 95).Select(_ => Guid.NewGuid()).ToList();

        foreach (var (invoiceId, i) in invoiceIds.Select((id, i) => (id, i)))
        {
            await bus.Publish(new PostInvoice
            {
                TenantId = Tenant,
                FlowId = FlowId.For(Tenant, "tests", $"backlog-{i}"),
                InvoiceId = invoiceId,
                CustomerId = Guid.NewGuid(),
                AccountingCustomerRef = customer.Id,
                Currency = "USD",
                Memo = memo,
                InvoiceDate = new DateOnly(2026, 11, 25),
                DueDate = new DateOnly(2026, 12, 25),
                Lines = [new InvoiceLine { Description = "Retainer", ItemRef = "1", Quantity = 2m, UnitPrice = 125.5m, Amount = 251m }],
            }, TestContext.Current.CancellationToken);
        }
        var store = sandbox.Service.Services.GetRequiredService<IDocumentStore>();
        var pending = store.Collection<PendingInvoice>(PendingInvoice.CollectionName);
        var done = false;
        for (var i = 0; i < 120 && !done; i++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            done = await pending.CountAsync(p => p.Memo == memo && p.Status == PostingStatus.Posted, TestContext.Current.CancellationToken) == invoiceIds.Count;
        }

        var failed = await pending.FindAsync(p => p.Memo == memo && p.Status != PostingStatus.Posted, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(done, $"{failed.Count} invoices not posted: {string.Join("; ", failed.Select(f => f.Value.Status + " " + f.Value.Error).Distinct())}");
        var inQuickBooks = (await sandbox.EntitiesAsync("invoice")).Where(i => i.TryGetProperty("PrivateNote", out var n) && n.GetString() == memo).ToList();
        Assert.Equal(invoiceIds.Count, inQuickBooks.Count);
        Assert.Equal(invoiceIds.Count, inQuickBooks.Select(i => i.GetProperty("Id").GetString()).Distinct().Count());
        Assert.All(inQuickBooks, i => Assert.Equal(251m, i.GetProperty("TotalAmt").GetDecimal()));
    }

    [Fact]
    public async Task A_signed_webhook_is_stored_and_announced_and_a_forged_one_is_refused()
    {
        sandbox.SkipIfUnavailable();
        var body = JsonSerializer.Serialize(new
        {
            eventNotifications = new[]
            {
                new
                {
                    realmId = sandbox.RealmId,
                    dataChangeEvent = new { entities = new[] { new { name = "Payment", id = Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture), operation = "Create", lastUpdated = "2026-11-25T10:00:00-0800" } } },
                },
            },
        });
        var verifier = sandbox.PlatformApp.GetProperty("verifierToken").GetString()!;
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifier), Encoding.UTF8.GetBytes(body)));
        var store = sandbox.Service.Services.GetRequiredService<IDocumentStore>();
        var deliveries = store.Collection<QuoteToCash.AccountingSync.Apis.QuickBooksWebhookApi.WebhookDelivery>(QuoteToCash.AccountingSync.Apis.QuickBooksWebhookApi.WebhookDelivery.CollectionName);
        var before = await deliveries.CountAsync(cancellationToken: TestContext.Current.CancellationToken);

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/webhooks/quickbooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        forged.Headers.Add("intuit-signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("wrong"), Encoding.UTF8.GetBytes(body))));
        using var refused = await sandbox.Api.SendAsync(forged, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(before, await deliveries.CountAsync(cancellationToken: TestContext.Current.CancellationToken));

        using var signed = new HttpRequestMessage(HttpMethod.Post, "/webhooks/quickbooks") { Content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json") };
        signed.Headers.Add("intuit-signature", signature);
        using var accepted = await sandbox.Api.SendAsync(signed, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(before + 1, await deliveries.CountAsync(cancellationToken: TestContext.Current.CancellationToken));

        using var again = new HttpRequestMessage(HttpMethod.Post, "/webhooks/quickbooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        again.Headers.Add("intuit-signature", signature);
        using var replay = await sandbox.Api.SendAsync(again, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, replay.StatusCode);
        var stored = await deliveries.FindAsync(d => d.Body == body, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, Assert.Single(stored).Value.NewEvents); // the retried delivery added no event
    }
}

[CollectionDefinition(nameof(QuickBooksSandboxCollection))]
public sealed class QuickBooksSandboxCollection : ICollectionFixture<QuickBooksSandboxFixture>;
