using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Harness;

namespace QuoteToCash.AccountingSync.Tests.Apis;

/// <summary>
/// POST /webhooks/quickbooks, the handler called as ASP.NET Core would: the connection is found by the realmId the body
/// names and only its verifier token may sign it; an event is de-duplicated per tenant and realm.
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
        var result = await QuickBooksWebhookApi.ReceiveAsync(context.Request, harness.Store, harness.Services.GetRequiredService<QboTokenManager>(), unitOfWork,
            harness.Time, NullLoggerFactory.Instance, Ct);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, unitOfWork);
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
}
