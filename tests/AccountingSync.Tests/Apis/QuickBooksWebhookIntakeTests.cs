using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Validation;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Harness;

namespace QuoteToCash.AccountingSync.Tests.Apis;

/// <summary>
/// POST /webhooks/quickbooks, the handler called as ASP.NET Core would: the connection is found by the realmId the body
/// names and only its verifier token may sign it; an event is de-duplicated per tenant and realm; a body with too many
/// companies or events, or with IDs too long for a store key, is refused before any connection is looked up.
/// </summary>
public sealed class QuickBooksWebhookIntakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ServiceHarness> StartAsync() =>
        ServiceHarness.StartAsync(_ => { }, services =>
        {
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            services.AddQuickBooksClient();
        }, cancellationToken: Ct);

    private static async Task ConnectAsync(ServiceHarness harness, string tenant, string realm, string verifierToken)
    {
        var protector = harness.Services.GetRequiredService<QboTokenManager>().Protector;
        var now = harness.Time.GetUtcNow().UtcDateTime;
        await harness.Store.CommitAsync([DocumentWrite.Upsert(QboConnection.CollectionName, tenant, new QboConnection
        {
            TenantId = tenant, Environment = "sandbox", BaseUrl = "https://sandbox-quickbooks.api.intuit.com",
            TokenUrl = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", RealmId = realm, ClientId = "client",
            ProtectedClientSecret = protector.Protect("secret"), ProtectedRefreshToken = protector.Protect("refresh"),
            ProtectedVerifierToken = protector.Protect(verifierToken), Connected = now, Updated = now,
        })], Ct);
    }

    private static string CloudEvent(string id, string realm) =>
        $$$"""[{"specversion":"1.0","id":"{{{id}}}","source":"intuit.abc","type":"qbo.invoice.updated.v1","time":"2026-03-02T09:00:00Z","intuitentityid":"130","intuitaccountid":"{{{realm}}}","data":{}}]""";

    private static async Task<(int Status, TestUnitOfWork UnitOfWork)> SendAsync(ServiceHarness harness, string body, string verifierToken)
    {
        var answer = await SendAsync(harness, body, verifierToken, harness.Store);
        return (answer.Status, answer.UnitOfWork);
    }

    private sealed record Answer(int Status, string? ContentType, string Body, TestUnitOfWork UnitOfWork);

    private static async Task<Answer> SendAsync(ServiceHarness harness, string body, string verifierToken, IDocumentStore store,
        QuickBooksWebhookOptions? options = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/webhooks/quickbooks";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/cloudevents-batch+json";
        context.Request.Headers["intuit-signature"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), bytes));
        context.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        context.Response.Body = new MemoryStream();
        var unitOfWork = new TestUnitOfWork(harness.Store, TestUnitOfWorkMode.WriteThrough);
        var result = await QuickBooksWebhookApi.ReceiveAsync(context.Request, store, harness.Services.GetRequiredService<QboTokenManager>(), unitOfWork,
            Options.Create(options ?? new QuickBooksWebhookOptions()), harness.Time, NullLoggerFactory.Instance, Ct);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return new Answer(context.Response.StatusCode, context.Response.ContentType, await new StreamReader(context.Response.Body).ReadToEndAsync(Ct), unitOfWork);
    }

    /// <summary>The harness's store, noting which collections the handler opens (to tell whether it looked up connections).</summary>
    private sealed class ObservedStore(IDocumentStore inner) : IDocumentStore
    {
        public List<string> Opened { get; } = [];

        public string Engine => inner.Engine;

        public IDocumentCollection<T> Collection<T>(string name) where T : class
        {
            Opened.Add(name);
            return inner.Collection<T>(name);
        }

        public Task CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => inner.CommitAsync(writes, cancellationToken);

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }

    private static string CloudEvents(IEnumerable<(string Id, string Realm)> events) =>
        "[" + string.Join(",", events.Select(e => CloudEvent(e.Id, e.Realm)[1..^1])) + "]";

    /// <summary>400 or 413 problem+json naming the rule, with nothing written, published or kept.</summary>
    private static async Task AssertRefusedAsync(ServiceHarness harness, Answer answer, int status, string reason)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Contains(reason, answer.Body);
        Assert.Empty(answer.UnitOfWork.Written);
        Assert.Empty(answer.UnitOfWork.Published);
        Assert.Empty(await harness.Store.Collection<QuickBooksWebhookApi.SeenEvent>(QuickBooksWebhookApi.SeenEvent.CollectionName).FindAsync(_ => true, cancellationToken: Ct));
        Assert.Empty(await harness.Store.Collection<QuickBooksWebhookApi.WebhookDelivery>(QuickBooksWebhookApi.WebhookDelivery.CollectionName).FindAsync(_ => true, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_delivery_signed_with_another_tenant_s_verifier_token_is_refused()
    {
        await using var harness = await StartAsync();
        await ConnectAsync(harness, "acme", "9130001", "acme-verifier");
        await ConnectAsync(harness, "globex", "9130002", "globex-verifier");

        var (status, writes) = await SendAsync(harness, CloudEvent("evt-1", "9130001"), "globex-verifier");

        Assert.Equal(401, status);
        Assert.Empty(writes.Published);
        Assert.Empty(writes.Written);
    }

    [Fact]
    public async Task A_delivery_signed_with_its_realm_s_verifier_token_reaches_that_tenant_only()
    {
        await using var harness = await StartAsync();
        await ConnectAsync(harness, "acme", "9130001", "acme-verifier");
        await ConnectAsync(harness, "globex", "9130002", "globex-verifier");

        var (status, writes) = await SendAsync(harness, CloudEvent("evt-1", "9130001"), "acme-verifier");

        Assert.Equal(200, status);
        var changed = Assert.Single(writes.Published.OfType<QuickBooksEntityChanged>());
        Assert.Equal(("acme", "9130001", "Invoice", "130"), (changed.TenantId, changed.RealmId, changed.Entity, changed.EntityId));
    }

    [Fact]
    public async Task The_same_event_id_in_two_tenants_companies_is_taken_in_for_each_and_a_retry_for_neither()
    {
        await using var harness = await StartAsync();
        await ConnectAsync(harness, "acme", "9130001", "acme-verifier");
        await ConnectAsync(harness, "globex", "9130002", "globex-verifier");

        var (acme, acmeWrites) = await SendAsync(harness, CloudEvent("evt-shared", "9130001"), "acme-verifier");
        var (globex, globexWrites) = await SendAsync(harness, CloudEvent("evt-shared", "9130002"), "globex-verifier");
        var (retry, retryWrites) = await SendAsync(harness, CloudEvent("evt-shared", "9130002"), "globex-verifier");

        Assert.Equal((200, 200, 200), (acme, globex, retry));
        Assert.Equal("acme", Assert.Single(acmeWrites.Published.OfType<QuickBooksEntityChanged>()).TenantId);
        Assert.Equal("globex", Assert.Single(globexWrites.Published.OfType<QuickBooksEntityChanged>()).TenantId);
        Assert.Empty(retryWrites.Published);
        Assert.NotNull(await harness.GetAsync<QuickBooksWebhookApi.SeenEvent>(QuickBooksWebhookApi.SeenEvent.CollectionName, "globex:9130002:evt-shared"));
    }

    [Fact]
    public async Task Event_ids_and_realm_ids_longer_than_a_store_key_are_refused_before_they_become_keys()
    {
        await using var harness = await StartAsync();
        await ConnectAsync(harness, "acme", "9130001", "acme-verifier");
        // A connection whose realmId is as long as a hostile body's: the check is on the body, whatever is stored.
        var longRealm = new string('9', 1_100);
        await ConnectAsync(harness, "globex", longRealm, "globex-verifier");
        var tooLong = $"is longer than {InputLimits.MaxKeyLength} characters";

        var refusals = new[]
        {
            (Body: CloudEvent(new string('e', 1_100), "9130001"), Token: "acme-verifier", Reason: "An event ID " + tooLong),
            (Body: CloudEvent(new string('e', InputLimits.MaxKeyLength + 1), "9130001"), Token: "acme-verifier", Reason: "An event ID"),
            (Body: CloudEvent(string.Concat(Enumerable.Repeat("漢", 150)), "9130001"), Token: "acme-verifier", Reason: "An event ID"), // 150 characters, 450 bytes
            (Body: CloudEvent("evt-1", longRealm), Token: "globex-verifier", Reason: "A realmId " + tooLong),
            (Body: $$$"""{"eventNotifications":[{"realmId":"9130001","dataChangeEvent":{"entities":[{"name":"Invoice","id":"{{{new string('1', 1_100)}}}","operation":"Update","lastUpdated":"2026-03-02T09:00:00Z"}]}}]}""",
                Token: "acme-verifier", Reason: "An event ID"),
        };
        foreach (var (body, token, reason) in refusals)
        {
            var store = new ObservedStore(harness.Store);
            var answer = await SendAsync(harness, body, token, store);
            await AssertRefusedAsync(harness, answer, 400, reason);
            Assert.DoesNotContain(QboConnection.CollectionName, store.Opened);
        }

        var atTheLimit = await SendAsync(harness, CloudEvent(new string('e', InputLimits.MaxKeyLength), "9130001"), "acme-verifier", harness.Store);
        Assert.Equal(200, atTheLimit.Status);
        Assert.Single(atTheLimit.UnitOfWork.Published.OfType<QuickBooksEntityChanged>());
    }

    [Fact]
    public async Task A_body_naming_more_companies_or_events_than_the_limits_is_refused_before_any_connection_is_looked_up()
    {
        await using var harness = await StartAsync();
        await ConnectAsync(harness, "acme", "9130001", "acme-verifier");
        var limits = new QuickBooksWebhookOptions();
        // The connected company and then strangers, each once: only the number of companies is wrong.
        IEnumerable<(string, string)> Realms(int count) => Enumerable.Range(0, count).Select(i => ($"evt-r{i}", i == 0 ? "9130001" : $"{8_000_000 + i}"));
        IEnumerable<(string, string)> Events(int count) => Enumerable.Range(0, count).Select(i => ($"evt-e{i}", "9130001"));

        var tooManyRealms = new ObservedStore(harness.Store);
        await AssertRefusedAsync(harness, await SendAsync(harness, CloudEvents(Realms(limits.MaxRealmsPerDelivery + 1)), "acme-verifier", tooManyRealms),
            413, $"at most {limits.MaxRealmsPerDelivery} companies");
        var tooManyEvents = new ObservedStore(harness.Store);
        await AssertRefusedAsync(harness, await SendAsync(harness, CloudEvents(Events(limits.MaxEventsPerDelivery + 1)), "acme-verifier", tooManyEvents),
            413, $"at most {limits.MaxEventsPerDelivery} events");
        Assert.DoesNotContain(QboConnection.CollectionName, tooManyRealms.Opened.Concat(tooManyEvents.Opened));
        // Configured lower, the limits are lower.
        await AssertRefusedAsync(harness, await SendAsync(harness, CloudEvents(Realms(3)), "acme-verifier", harness.Store,
            new QuickBooksWebhookOptions { MaxRealmsPerDelivery = 2 }), 413, "at most 2 companies");

        // At the limits the same bodies are read: the connected company's events are taken in, the strangers' ignored.
        var realmsAtTheLimit = await SendAsync(harness, CloudEvents(Realms(limits.MaxRealmsPerDelivery)), "acme-verifier", harness.Store);
        Assert.Equal(200, realmsAtTheLimit.Status);
        Assert.Equal("acme", Assert.Single(realmsAtTheLimit.UnitOfWork.Published.OfType<QuickBooksEntityChanged>()).TenantId);
        var eventsAtTheLimit = await SendAsync(harness, CloudEvents(Events(limits.MaxEventsPerDelivery)), "acme-verifier", harness.Store);
        Assert.Equal(200, eventsAtTheLimit.Status);
        Assert.Equal(limits.MaxEventsPerDelivery, eventsAtTheLimit.UnitOfWork.Published.OfType<QuickBooksEntityChanged>().Count());
    }

    [Fact]
    public async Task A_body_signed_with_one_tenant_s_token_that_also_names_another_tenant_s_company_delivers_only_the_signer_s_events()
    {
        await using var harness = await StartAsync();
        await ConnectAsync(harness, "acme", "9130001", "acme-verifier");
        await ConnectAsync(harness, "globex", "9130002", "globex-verifier");
        var cloudEvents = CloudEvents([("evt-a", "9130001"), ("evt-g", "9130002")]);
        var legacy = """
            {"eventNotifications":[
             {"realmId":"9130002","dataChangeEvent":{"entities":[{"name":"Invoice","id":"77","operation":"Delete","lastUpdated":"2026-03-02T09:00:00Z"}]}},
             {"realmId":"9130001","dataChangeEvent":{"entities":[{"name":"Invoice","id":"130","operation":"Update","lastUpdated":"2026-03-02T09:00:00Z"}]}}]}
            """;

        foreach (var body in new[] { cloudEvents, legacy })
        {
            var (status, writes) = await SendAsync(harness, body, "acme-verifier");

            Assert.Equal(200, status);
            var changed = Assert.Single(writes.Published.OfType<QuickBooksEntityChanged>());
            Assert.Equal(("acme", "9130001"), (changed.TenantId, changed.RealmId));
        }
        var seen = await harness.Store.Collection<QuickBooksWebhookApi.SeenEvent>(QuickBooksWebhookApi.SeenEvent.CollectionName).FindAsync(_ => true, cancellationToken: Ct);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, s => Assert.StartsWith("acme:9130001:", s.Id, StringComparison.Ordinal));
    }
}
