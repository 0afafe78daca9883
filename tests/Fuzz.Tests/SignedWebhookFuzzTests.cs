extern alias accountingsync;
extern alias crmingest;
using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.ServiceDefaults.Storage;
using CrmConnection = crmingest::QuoteToCash.CrmIngest.Infrastructure.CrmConnection;
using OutboundMessageToken = crmingest::QuoteToCash.CrmIngest.Domain.OutboundMessageToken;
using QboConnection = accountingsync::QuoteToCash.AccountingSync.Infrastructure.QuickBooks.QboConnection;
using QboTokenManager = accountingsync::QuoteToCash.AccountingSync.Infrastructure.QuickBooks.QboTokenManager;
using QuickBooksWebhookApi = accountingsync::QuoteToCash.AccountingSync.Apis.QuickBooksWebhookApi;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// The webhooks fuzzed past their authentication: the Salesforce Outbound Message endpoint with the connection's
/// endpoint token, the Salesforce relay with its signature, HubSpot batches with valid v3 signatures and QuickBooks
/// deliveries with a valid intuit-signature, all
/// over hostile bodies (<see cref="WebhookInputs"/>). The same judgement as the endpoint fuzz (no 5xx; a refusal is
/// problem+json or a SOAP fault and stores and publishes nothing), and a refusal for want of authentication is a
/// failure too, since it would mean the body was never read.
/// </summary>
public sealed class SignedWebhookFuzzTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// What accepted deliveries set off (reading the CRM, QuickBooks) fails at once against the connections' dead
    /// addresses; without retries spread over seconds the host stops promptly. The fuzz judges only the intake's answers.
    /// </summary>
    private static readonly Dictionary<string, string> QuickToGiveUp = new() { ["Messaging:RetryIntervalsMs:0"] = "1" };

    [Fact]
    public async Task Salesforce_outbound_messages_with_the_endpoint_token_never_fail_the_server_and_change_nothing_when_refused()
    {
        await using var host = new FuzzedService<crmingest::Program>("crm-ingest", QuickToGiveUp);
        using var client = host.Client();
        var token = OutboundMessageToken.Generate();
        await ConnectCrmAsync(host, new CrmConnection
        {
            TenantId = "fuzz-sf", Kind = "salesforce", OrganizationId = WebhookInputs.SalesforceOrganization,
            OutboundMessageTokenHash = OutboundMessageToken.Hash(token),
        });

        // Only a message of another organization may be refused as unauthenticated: the token was right, the org is not the tenant's.
        await FuzzAsync(host, client, "salesforce", WebhookInputs.Salesforce(OutboundMessageToken.EndpointPath("fuzz-sf", token)),
            (_, answer) => answer.Contains("OrganizationId does not belong to this tenant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Salesforce_relayed_events_with_the_relay_signature_never_fail_the_server_and_change_nothing_when_refused()
    {
        await using var host = new FuzzedService<crmingest::Program>("crm-ingest", QuickToGiveUp);
        using var client = host.Client();
        const string relaySecret = "fuzz-relay-secret";
        await ConnectCrmAsync(host, new CrmConnection
        {
            TenantId = "fuzz-relay", Kind = "salesforce", OrganizationId = WebhookInputs.SalesforceOrganization,
            ProtectedClientSecret = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(CrmConnection.ProtectorPurpose).Protect(relaySecret),
        });

        // The relay's signature covers any bytes, so no signed message may be refused as unauthenticated.
        await FuzzAsync(host, client, "salesforce relay", WebhookInputs.SalesforceRelay("/webhooks/salesforce/fuzz-relay/events", relaySecret), (_, _) => false);
    }

    [Fact]
    public async Task HubSpot_batches_with_valid_v3_signatures_never_fail_the_server_and_change_nothing_when_refused()
    {
        await using var host = new FuzzedService<crmingest::Program>("crm-ingest", QuickToGiveUp);
        using var client = host.Client();
        const string secret = "fuzz-hubspot-client-secret";
        const string signedUrl = "https://hooks.fuzz.test/webhooks/hubspot/fuzz-hs";
        await ConnectCrmAsync(host, new CrmConnection
        {
            TenantId = "fuzz-hs", Kind = "hubspot", PortalId = WebhookInputs.HubSpotPortal, AppId = WebhookInputs.HubSpotAppId, PublicWebhookUrl = signedUrl,
            ProtectedClientSecret = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(CrmConnection.ProtectorPurpose).Protect(secret),
        });

        // The v3 signature covers any bytes, so no signed batch may be refused as unauthenticated.
        await FuzzAsync(host, client, "hubspot", WebhookInputs.HubSpot("/webhooks/hubspot/fuzz-hs", signedUrl, secret), (_, _) => false);
    }

    [Fact]
    public async Task QuickBooks_deliveries_with_a_valid_intuit_signature_never_fail_the_server_and_change_nothing_when_refused()
    {
        await using var host = new FuzzedService<accountingsync::Program>("accounting-sync", QuickToGiveUp);
        using var client = host.Client();
        const string verifierToken = "fuzz-verifier-token";
        var protector = host.Services.GetRequiredService<QboTokenManager>().Protector;
        var now = DateTime.UtcNow;
        await host.Services.GetRequiredService<IDocumentStore>().CommitAsync([DocumentWrite.Upsert(QboConnection.CollectionName, "fuzz-qbo", new QboConnection
        {
            TenantId = "fuzz-qbo", Environment = "sandbox", BaseUrl = "http://127.0.0.1:9", TokenUrl = "http://127.0.0.1:9/token",
            RealmId = WebhookInputs.QuickBooksRealm, ClientId = "client", ProtectedClientSecret = protector.Protect("secret"),
            ProtectedRefreshToken = protector.Protect("refresh"), ProtectedVerifierToken = protector.Protect(verifierToken), Connected = now, Updated = now,
        })], Ct);

        // The signature is checked with the token of the companies a body names: a body naming none of the connected
        // company's events is refused as unsigned, and rightly so; any other 401 would mean the body was never read.
        await FuzzAsync(host, client, "quickbooks", WebhookInputs.QuickBooks(verifierToken), (fuzz, _) => !NamesTheConnectedCompany(fuzz.Body!));
    }

    private static bool NamesTheConnectedCompany(byte[] body)
    {
        try
        {
            return QuickBooksWebhookApi.Parse(body).Events.Any(e => e.RealmId == WebhookInputs.QuickBooksRealm);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return false;
        }
    }

    private static async Task ConnectCrmAsync(IFuzzedService host, CrmConnection connection)
    {
        var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(CrmConnection.ProtectorPurpose);
        connection.BaseUrl = "http://127.0.0.1:9";
        connection.IntegrationUserId = WebhookInputs.IntegrationUser;
        connection.ProtectedAccessToken = protector.Protect("fuzz-access-token");
        connection.Connected = connection.Updated = DateTime.UtcNow;
        await host.Services.GetRequiredService<IDocumentStore>().CommitAsync([DocumentWrite.Upsert(CrmConnection.CollectionName, connection.TenantId, connection)], Ct);
    }

    /// <summary>
    /// Sends every case; the first is the plausible delivery and must be taken in (else the signing, not the body, is
    /// what the rest would test). Fails on any mishandled answer and on a 401 that <paramref name="mayBeUnauthenticated"/> does not explain.
    /// </summary>
    private static async Task FuzzAsync(IFuzzedService host, HttpClient client, string webhook, IEnumerable<FuzzCase> cases,
        Func<FuzzCase, string, bool> mayBeUnauthenticated)
    {
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        var first = true;
        foreach (var fuzz in cases)
        {
            var (status, answer) = await FuzzRun.SendAsync(host, client, fuzz, failures, plainRefusalAllowed: false, Ct);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (first && status != 200)
                failures.Add($"the plausible delivery was answered {status}, not 200: {FuzzRun.Shorten(answer)}");
            first = false;
            if (status == 401 && !mayBeUnauthenticated(fuzz, answer))
                failures.Add($"401 for {fuzz}: its token or signature was valid, so its body was never read: {FuzzRun.Shorten(answer)}");
        }

        var requests = statuses.Values.Sum();
        TestContext.Current.SendDiagnosticMessage($"{webhook}: {requests} signed requests in {watch.Elapsed.TotalSeconds:F1} s, by status: "
            + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} signed hostile requests to the {webhook} webhook were mishandled:\n" + string.Join("\n", failures.Take(60)));
        // The bodies were read and judged: some refused as malformed, not all turned away at the door.
        Assert.True(statuses.GetValueOrDefault(400) > requests / 4, $"Only {statuses.GetValueOrDefault(400)} of {requests} were refused as malformed.");
    }
}
