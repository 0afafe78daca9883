using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// HubSpot intake hardening: legacy signatures only for a connection that opted in, events only from the connected
/// portal, and the signed URL from configuration rather than from whatever forwarded headers a client sends.
/// </summary>
[Collection(WebhookMetricsCollection.Name)]
public sealed class HubSpotWebhookHardeningTests : IDisposable
{
    private const string Secret = "hubspot-client-secret";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-hooks-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly LiteDbDocumentStore _store;
    private readonly IDataProtectionProvider _protection;

    public HubSpotWebhookHardeningTests()
    {
        Directory.CreateDirectory(_directory);
        _store = new LiteDbDocumentStore(Path.Combine(_directory, "crm-ingest.db"));
        _protection = new ServiceCollection().AddDataProtection().UseEphemeralDataProtectionProvider().Services.BuildServiceProvider()
            .GetRequiredService<IDataProtectionProvider>();
    }

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Events(params long[] portals) =>
        "[" + string.Join(",", portals.Select((portal, i) => string.Create(CultureInfo.InvariantCulture,
            $$"""{"eventId":{{100 + i}},"subscriptionId":2,"portalId":{{portal}},"appId":4,"occurredAt":1764000000000,"subscriptionType":"deal.creation","attemptNumber":0,"objectId":{{500 + i}},"changeSource":"CRM"}"""))) + "]";

    private async Task ConnectAsync(string tenant, string? publicWebhookUrl = null, bool allowLegacy = false, string? portalId = "62515") =>
        await _store.CommitAsync([DocumentWrite.Insert(CrmConnection.CollectionName, tenant, new CrmConnection
        {
            TenantId = tenant, Kind = "hubspot", BaseUrl = "http://127.0.0.1:9", PublicWebhookUrl = publicWebhookUrl, PortalId = portalId,
            AllowLegacySignatures = allowLegacy,
            ProtectedAccessToken = _protection.CreateProtector(CrmConnection.ProtectorPurpose).Protect("token"),
            ProtectedClientSecret = _protection.CreateProtector(CrmConnection.ProtectorPurpose).Protect(Secret),
            Connected = DateTime.UtcNow, Updated = DateTime.UtcNow,
        })], TestContext.Current.CancellationToken);

    private sealed record Answer(int Status, string? ContentType, string Body, TestUnitOfWork UnitOfWork);

    private async Task<(int Status, TestUnitOfWork UnitOfWork)> SendAsync(string tenant, string body, Action<HttpRequest> sign,
        IReadOnlyDictionary<string, string?>? settings = null, Action<HttpRequest>? shape = null)
    {
        var answer = await SendAsync(tenant, Encoding.UTF8.GetBytes(body), sign, settings, shape);
        return (answer.Status, answer.UnitOfWork);
    }

    /// <summary>Posts the bytes as Kestrel would hand them over; <paramref name="mode"/> says whether writes reach the store.</summary>
    private async Task<Answer> SendAsync(string tenant, byte[] bytes, Action<HttpRequest> sign,
        IReadOnlyDictionary<string, string?>? settings = null, Action<HttpRequest>? shape = null, TestUnitOfWorkMode mode = TestUnitOfWorkMode.Record)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("crm-ingest", 8080);
        context.Request.Path = "/webhooks/hubspot/" + tenant;
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        shape?.Invoke(context.Request);
        sign(context.Request);
        context.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        context.Response.Body = new MemoryStream();
        var unitOfWork = new TestUnitOfWork(_store, mode);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var result = await CrmWebhooksApi.ReceiveHubSpotAsync(tenant, context.Request, _store, unitOfWork, _protection, configuration,
            TimeProvider.System, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return new Answer(context.Response.StatusCode, context.Response.ContentType,
            await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken), unitOfWork);
    }

    private static Action<HttpRequest> V3(string body, string url) => V3(Encoding.UTF8.GetBytes(body), url);

    private static Action<HttpRequest> V3(byte[] body, string url) => request =>
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        request.Headers[HubSpotSignature.TimestampHeader] = timestamp;
        request.Headers[HubSpotSignature.SignatureHeader] = HubSpotSignature.Compute(Secret, "POST", url, body, timestamp);
    };

    private static Action<HttpRequest> Legacy(string version, string body, string url) => request =>
    {
        request.Headers[HubSpotSignature.LegacyVersionHeader] = version;
        request.Headers[HubSpotSignature.LegacySignatureHeader] = HubSpotSignature.ComputeLegacy(version, Secret, "POST", url, Encoding.UTF8.GetBytes(body))!;
    };

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task A_correct_legacy_signature_is_refused_unless_the_connection_allows_legacy_signatures(string version)
    {
        const string url = "https://hooks.example.test/webhooks/hubspot/strict";
        await ConnectAsync("strict", url);
        await ConnectAsync("lenient", "https://hooks.example.test/webhooks/hubspot/lenient", allowLegacy: true);
        var body = Events(62515);

        var (strict, strictWrites) = await SendAsync("strict", body, Legacy(version, body, url));
        var (lenient, lenientWrites) = await SendAsync("lenient", body, Legacy(version, body, "https://hooks.example.test/webhooks/hubspot/lenient"));

        Assert.Equal(401, strict);
        Assert.Empty(strictWrites.Written);
        Assert.Equal(200, lenient);
        Assert.Single(lenientWrites.Published.OfType<ProcessCrmEvent>());
    }

    [Fact]
    public async Task Validly_signed_events_of_another_portal_are_recorded_and_refused_not_processed()
    {
        const string url = "https://hooks.example.test/webhooks/hubspot/acme";
        await ConnectAsync("acme", url);
        var body = Events(99999);

        var (status, writes) = await SendAsync("acme", body, V3(body, url));

        Assert.Equal(403, status);
        Assert.Empty(writes.Published);
        Assert.DoesNotContain(writes.Written, w => w is SeenCrmEvent);
        var delivery = Assert.IsType<CrmDelivery>(Assert.Single(writes.Written, w => w is CrmDelivery));
        Assert.Equal("WrongPortal", delivery.Status);
        Assert.Contains("99999", delivery.Error);
        Assert.True(writes.Committed);
    }

    [Fact]
    public async Task In_a_mixed_batch_only_the_connected_portal_s_events_are_processed()
    {
        const string url = "https://hooks.example.test/webhooks/hubspot/acme";
        await ConnectAsync("acme", url);
        var body = Events(62515, 99999);

        var (status, writes) = await SendAsync("acme", body, V3(body, url));

        Assert.Equal(200, status);
        var processed = Assert.Single(writes.Published.OfType<ProcessCrmEvent>());
        Assert.Equal("500", processed.ObjectId);
        Assert.Contains("99999", Assert.IsType<CrmDelivery>(Assert.Single(writes.Written, w => w is CrmDelivery)).Error);
    }

    [Fact]
    public async Task A_connection_without_a_portal_takes_in_no_events()
    {
        const string url = "https://hooks.example.test/webhooks/hubspot/acme";
        await ConnectAsync("acme", url, portalId: null);
        var body = Events(62515);

        var (status, writes) = await SendAsync("acme", body, V3(body, url));

        Assert.Equal(403, status);
        Assert.Empty(writes.Published);
    }

    [Fact]
    public async Task The_signed_url_comes_from_the_configured_public_base_url_not_from_client_forwarded_headers()
    {
        await ConnectAsync("acme");
        var settings = new Dictionary<string, string?> { [CrmWebhooksApi.PublicBaseUrlKey] = "https://hooks.example.test/" };
        var body = Events(62515);
        Action<HttpRequest> forged = request =>
        {
            request.Headers["X-Forwarded-Host"] = "attacker.example";
            request.Headers["X-Forwarded-Proto"] = "https";
        };

        var (configured, _) = await SendAsync("acme", body, V3(body, "https://hooks.example.test/webhooks/hubspot/acme"), settings, forged);
        var (signedForForgedHost, forgedWrites) = await SendAsync("acme", body, V3(body, "https://attacker.example/webhooks/hubspot/acme"), settings, forged);

        Assert.Equal(200, configured);
        Assert.Equal(401, signedForForgedHost);
        Assert.Empty(forgedWrites.Written);
    }

    [Fact]
    public async Task Without_configuration_the_url_is_the_request_s_own_and_a_forwarded_host_header_is_ignored()
    {
        await ConnectAsync("acme");
        var body = Events(62515);
        Action<HttpRequest> forged = request => request.Headers["X-Forwarded-Host"] = "attacker.example";

        var (forgedHost, _) = await SendAsync("acme", body, V3(body, "http://attacker.example/webhooks/hubspot/acme"), shape: forged);
        var (ownHost, _) = await SendAsync("acme", body, V3(body, "http://crm-ingest:8080/webhooks/hubspot/acme"), shape: forged);

        Assert.Equal(401, forgedHost);
        Assert.Equal(200, ownHost);
    }

    /// <summary>One event of the connected portal with the literal JSON given for its occurredAt and propertyValue.</summary>
    private static string Event(string occurredAt = "1764000000000", string propertyValue = "\"closedwon\"") =>
        $$"""[{"eventId":7,"subscriptionId":2,"portalId":62515,"appId":4,"occurredAt":{{occurredAt}},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":501,"propertyName":"dealstage","propertyValue":{{propertyValue}},"changeSource":"CRM"}]""";

    /// <summary>A refused request: 400 problem+json, and neither the unit of work nor the store holds anything of it.</summary>
    private async Task AssertRefusedAndNothingStoredAsync(Answer answer)
    {
        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Contains("\"status\":400", answer.Body);
        Assert.Empty(answer.UnitOfWork.Written);
        Assert.Empty(answer.UnitOfWork.Published);
        Assert.False(answer.UnitOfWork.Committed);
        var ct = TestContext.Current.CancellationToken;
        Assert.Empty(await _store.Collection<CrmDelivery>(CrmDelivery.CollectionName).FindAsync(_ => true, cancellationToken: ct));
        Assert.Empty(await _store.Collection<CrmDeliveryBody>(CrmDeliveryBody.CollectionName).FindAsync(_ => true, cancellationToken: ct));
        Assert.Empty(await _store.Collection<SeenCrmEvent>(SeenCrmEvent.CollectionName).FindAsync(_ => true, cancellationToken: ct));
    }

    [Theory]
    [InlineData("9e18")]
    [InlineData("9E18")]
    [InlineData("9000000000000000000")]
    [InlineData("-1")]
    public async Task A_signed_batch_whose_occurredAt_is_no_instant_is_a_bad_request_and_nothing_is_stored(string occurredAt)
    {
        const string url = "https://hooks.example.test/webhooks/hubspot/acme";
        await ConnectAsync("acme", url);
        var body = Encoding.UTF8.GetBytes(Event(occurredAt));

        await AssertRefusedAndNothingStoredAsync(await SendAsync("acme", body, V3(body, url), mode: TestUnitOfWorkMode.WriteThrough));

        // The same batch with a real instant is taken in: the signature and the rest of the event were never the problem.
        var plausible = Encoding.UTF8.GetBytes(Event());
        var accepted = await SendAsync("acme", plausible, V3(plausible, url), mode: TestUnitOfWorkMode.WriteThrough);
        Assert.Equal(200, accepted.Status);
        Assert.Single(accepted.UnitOfWork.Published.OfType<ProcessCrmEvent>());
    }

    [Fact]
    public async Task A_signed_batch_with_invalid_utf8_inside_a_value_is_a_bad_request_and_nothing_is_stored()
    {
        const string url = "https://hooks.example.test/webhooks/hubspot/acme";
        await ConnectAsync("acme", url);
        var body = Encoding.UTF8.GetBytes(Event(propertyValue: "\"closed~~\""));
        var at = Array.IndexOf(body, (byte)'~');
        body[at] = 0xC3; // a lead byte followed by '(' is no UTF-8 sequence
        body[at + 1] = 0x28;

        var refused = await SendAsync("acme", body, V3(body, url), mode: TestUnitOfWorkMode.WriteThrough);

        await AssertRefusedAndNothingStoredAsync(refused);
        Assert.Contains("UTF-8", refused.Body);
    }
}
