using System.Diagnostics.Metrics;
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
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// Every refused HubSpot delivery is answered with its status, counted in q2c.crm.webhooks.rejected under its
/// reason, and leaves nothing in the store.
/// </summary>
[Collection(WebhookMetricsCollection.Name)]
public sealed class WebhookRejectionMetricsTests : IDisposable
{
    private const string Secret = "hubspot-client-secret";
    private const string PublicUrl = "https://q2c.example.test/webhooks/hubspot/acme";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-reject-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly LiteDbDocumentStore _store;
    private readonly IDataProtectionProvider _protection;
    private readonly MeterListener _listener = new();
    private readonly List<(string Source, string Reason)> _rejected = [];

    public WebhookRejectionMetricsTests()
    {
        Directory.CreateDirectory(_directory);
        _store = new LiteDbDocumentStore(Path.Combine(_directory, "crm-ingest.db"));
        _protection = new ServiceCollection().AddDataProtection().UseEphemeralDataProtectionProvider().Services.BuildServiceProvider()
            .GetRequiredService<IDataProtectionProvider>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "QuoteToCash.CrmIngest" && instrument.Name == "q2c.crm.webhooks.rejected")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? source = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "source")
                    source = tag.Value as string;
                if (tag.Key == "reason")
                    reason = tag.Value as string;
            }
            lock (_rejected)
                _rejected.Add((source ?? "", reason ?? ""));
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task ConnectAsync(string tenant, bool allowLegacy = false) =>
        await _store.CommitAsync([DocumentWrite.Insert(CrmConnection.CollectionName, tenant, new CrmConnection
        {
            TenantId = tenant, Kind = "hubspot", BaseUrl = "http://127.0.0.1:9", PublicWebhookUrl = PublicUrl, PortalId = "3", AllowLegacySignatures = allowLegacy,
            ProtectedAccessToken = _protection.CreateProtector(CrmConnection.ProtectorPurpose).Protect("token"),
            ProtectedClientSecret = _protection.CreateProtector(CrmConnection.ProtectorPurpose).Protect(Secret),
            Connected = DateTime.UtcNow, Updated = DateTime.UtcNow,
        })], TestContext.Current.CancellationToken);

    private async Task<int> SendAsync(string tenant, string body, Action<HttpRequest>? sign = null, long? declaredLength = null, IUnitOfWork? unitOfWork = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 5001);
        context.Request.Path = "/webhooks/hubspot/" + tenant;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = declaredLength ?? bytes.Length;
        context.Request.ContentType = "application/json";
        sign?.Invoke(context.Request);
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        context.RequestServices = services;
        context.Response.Body = new MemoryStream();
        var result = await CrmWebhooksApi.ReceiveHubSpotAsync(tenant, context.Request, _store, unitOfWork ?? new TestUnitOfWork(_store, TestUnitOfWorkMode.Refuse), _protection,
            new ConfigurationBuilder().Build(), TimeProvider.System, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
        await result.ExecuteAsync(context);
        return context.Response.StatusCode;
    }

    private static Action<HttpRequest> Signed(string body, DateTimeOffset at, string? secret = Secret) => request =>
    {
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        request.Headers[HubSpotSignature.TimestampHeader] = timestamp;
        request.Headers[HubSpotSignature.SignatureHeader] = HubSpotSignature.Compute(secret!, "POST", PublicUrl, Encoding.UTF8.GetBytes(body), timestamp);
    };

    [Fact]
    public async Task Each_refusal_has_its_status_and_reason_in_the_metric_and_stores_nothing()
    {
        await ConnectAsync("acme");
        const string events = """[{"eventId":1,"subscriptionId":2,"portalId":3,"appId":4,"occurredAt":1764000000000,"subscriptionType":"deal.creation","attemptNumber":0,"objectId":5,"changeFlag":"NEW","changeSource":"CRM"}]""";
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(404, await SendAsync("nobody", events, Signed(events, now)));
        Assert.Equal(413, await SendAsync("acme", events, Signed(events, now), declaredLength: CrmWebhooksApi.MaxBodyBytes + 1));
        Assert.Equal(401, await SendAsync("acme", events));
        Assert.Equal(401, await SendAsync("acme", events, Signed(events, now, secret: "someone-else")));
        Assert.Equal(401, await SendAsync("acme", events, Signed(events, now.AddMinutes(-6))));
        Assert.Equal(400, await SendAsync("acme", "{not json", Signed("{not json", now)));

        lock (_rejected)
            Assert.Equal(
                [("hubspot", "unknown-tenant"), ("hubspot", "too-large"), ("hubspot", "signature-missing"), ("hubspot", "signature-invalid"),
                 ("hubspot", "signature-stale"), ("hubspot", "malformed")],
                _rejected.Where(r => r.Source == "hubspot"));
        Assert.Empty(await _store.Collection<CrmDelivery>(CrmDelivery.CollectionName).FindAsync(_ => true, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_legacy_v1_signature_is_accepted_when_right_and_refused_when_wrong_on_a_connection_that_allows_it()
    {
        await ConnectAsync("legacy", allowLegacy: true);
        const string events = """[{"eventId":7,"subscriptionId":2,"portalId":3,"appId":4,"occurredAt":1764000000000,"subscriptionType":"deal.creation","attemptNumber":0,"objectId":55,"changeFlag":"NEW","changeSource":"CRM"}]""";
        Action<HttpRequest> V1(string secret) => request =>
        {
            request.Headers[HubSpotSignature.LegacyVersionHeader] = "v1";
            request.Headers[HubSpotSignature.LegacySignatureHeader] = HubSpotSignature.ComputeLegacy("v1", secret, "POST", PublicUrl, Encoding.UTF8.GetBytes(events))!;
        };

        Assert.Equal(401, await SendAsync("legacy", events, V1("not-the-secret")));
        var unitOfWork = new TestUnitOfWork(_store);
        Assert.Equal(200, await SendAsync("legacy", events, V1(Secret), unitOfWork: unitOfWork));

        lock (_rejected)
            Assert.Equal([("hubspot", "signature-invalid")], _rejected.Where(r => r.Source == "hubspot"));
        var delivery = Assert.IsType<CrmDelivery>(Assert.Single(unitOfWork.Written, i => i is CrmDelivery));
        Assert.Equal("Valid (v1)", delivery.SignatureVerdict);
        Assert.Equal(["55"], delivery.ObjectIds);
        Assert.True(unitOfWork.Committed);
    }
}
