using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Extensions;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Apis;

/// <summary>
/// CRM webhook intake. A delivery is authenticated (HubSpot v3 signature over the public URL; Salesforce Outbound
/// Messages by the endpoint token in the URL and then the OrganizationId; the Salesforce relay by its signature; HubSpot events
/// must also name the tenant's portal), stored raw with one ProcessCrmEvent per new event in a single commit, and answered at
/// once; fetching and normalizing happen afterwards from the outbox. Re-deliveries are answered 200 and
/// change nothing. Every rejection is logged with its reason and counted.
/// </summary>
public static class CrmWebhooksApi
{
    public const int MaxBodyBytes = 1024 * 1024;
    private static readonly Meter Meter = new("QuoteToCash.CrmIngest");
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("q2c.crm.webhooks.rejected", description: "CRM webhook deliveries refused, by reason");
    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("q2c.crm.webhooks.accepted", description: "CRM webhook deliveries stored");

    public static IEndpointRouteBuilder MapCrmWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/hubspot/{tenant}", ReceiveHubSpotAsync).AllowAnonymous().WithTags("Webhooks");
        app.MapPost("/webhooks/salesforce/{tenant}", ReceiveSalesforceAsync).AllowAnonymous().WithTags("Webhooks");
        app.MapPost("/webhooks/salesforce/{tenant}/events", ReceiveSalesforceEventsAsync).AllowAnonymous().WithTags("Webhooks");
        return app;
    }

    /// <summary>
    /// A HubSpot webhook batch. The v3 signature (with its five-minute timestamp window) is required unless the connection
    /// opted in to the legacy v1/v2 signatures (<see cref="CrmConnection.AllowLegacySignatures"/>). The URL the signature
    /// covers comes from configuration (<see cref="PublicUrl"/>). Events naming a portal other than the connection's are
    /// recorded in the delivery and refused, never processed; a batch of nothing else is answered 403.
    /// </summary>
    public static async Task<IResult> ReceiveHubSpotAsync(string tenant, HttpRequest request, IDocumentStore store, IUnitOfWork unitOfWork,
        IDataProtectionProvider dataProtection, IConfiguration configuration, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("HubSpotWebhook");
        var connection = await ConnectionAsync(store, tenant, "hubspot", cancellationToken);
        if (connection is null)
            return Reject(logger, tenant, "hubspot", StatusCodes.Status404NotFound, "unknown-tenant", $"No HubSpot connection for tenant '{tenant}'.");
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
            return Reject(logger, tenant, "hubspot", StatusCodes.Status413PayloadTooLarge, "too-large", $"Bodies are limited to {MaxBodyBytes} bytes.");

        var now = time.GetUtcNow();
        // v3 when its headers are there (HubSpot sends them on every request today); the legacy v1/v2 signature otherwise,
        // and only for a connection that opted in: without a timestamp a captured request stays valid forever.
        var legacy = !request.Headers.ContainsKey(HubSpotSignature.SignatureHeader) && request.Headers.ContainsKey(HubSpotSignature.LegacySignatureHeader);
        if (legacy && !connection.AllowLegacySignatures)
            return Reject(logger, tenant, "hubspot", StatusCodes.Status401Unauthorized, "signature-legacy-not-allowed",
                "This connection accepts only X-HubSpot-Signature-v3 signatures; legacy v1/v2 signatures are refused unless the connection allows them.");
        var secret = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedClientSecret!);
        var publicUrl = PublicUrl(request, connection, configuration[PublicBaseUrlKey]);
        var verdict = legacy
            ? HubSpotSignature.VerifyLegacy(secret, request.Headers[HubSpotSignature.LegacyVersionHeader].ToString(), request.Method, publicUrl, body,
                request.Headers[HubSpotSignature.LegacySignatureHeader].ToString())
            : HubSpotSignature.Verify(secret, request.Method, publicUrl, body,
                request.Headers[HubSpotSignature.TimestampHeader].ToString(), request.Headers[HubSpotSignature.SignatureHeader].ToString(), now);
        if (verdict != SignatureVerdict.Valid)
            return Reject(logger, tenant, "hubspot", StatusCodes.Status401Unauthorized, "signature-" + verdict.ToString().ToLowerInvariant(),
                verdict == SignatureVerdict.Stale ? "The request timestamp is more than five minutes off."
                : legacy ? "The X-HubSpot-Signature header (v1/v2) is missing, of an unknown version, or does not match."
                : "The X-HubSpot-Signature-v3 header is missing or does not match.");

        IReadOnlyList<HubSpotEvent> events;
        try
        {
            events = HubSpotEvents.Parse(body);
        }
        catch (FormatException exception)
        {
            return Reject(logger, tenant, "hubspot", StatusCodes.Status400BadRequest, "malformed", exception.Message);
        }

        var delivery = new CrmDelivery
        {
            DeliveryId = Guid.NewGuid().ToString("N"),
            TenantId = tenant,
            Source = "hubspot",
            Received = now.UtcDateTime,
            ReceivedTicks = now.UtcTicks,
            SignatureVerdict = legacy ? $"{verdict} ({request.Headers[HubSpotSignature.LegacyVersionHeader].ToString().Trim().ToLowerInvariant()})" : verdict.ToString(),
            Events = events.Count,
            ObjectIds = events.Select(e => e.ObjectId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList(),
            EventIdentities = events.Select(e => e.Identity).ToList(),
        };
        // The app's client secret is the same for every portal that installed it, so a valid signature does not say whose
        // events these are: only the connected portal's are taken in.
        var foreign = events.Where(e => !FromPortal(e, connection.PortalId)).ToList();
        if (foreign.Count > 0)
        {
            var portals = string.Join(", ", foreign.Select(e => e.PortalId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct());
            delivery.Error = connection.PortalId is { Length: > 0 } connected
                ? $"{foreign.Count} event(s) for portal {portals} refused: this tenant is connected to portal {connected}."
                : $"{foreign.Count} event(s) for portal {portals} refused: the connection names no portal (portalId).";
            Rejected.Add(1, new KeyValuePair<string, object?>("source", "hubspot"), new KeyValuePair<string, object?>("reason", "wrong-portal"));
            logger.LogWarning("HubSpot webhook for tenant {Tenant}: {Detail}", tenant, delivery.Error);
        }
        if (foreign.Count == events.Count)
        {
            delivery.Status = "WrongPortal";
            return await StoreAsync(unitOfWork, delivery, body,
                Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Webhook rejected", detail: delivery.Error), cancellationToken, accepted: false);
        }
        foreach (var evt in events.Except(foreign).DistinctBy(e => e.Identity))
        {
            // Our own write-back coming round again: HubSpot marks API writes with the writing app as sourceId.
            var echo = evt.ChangeSource == "INTEGRATION" && connection.AppId is not null && evt.SourceId == connection.AppId;
            await TakeInAsync(store, unitOfWork, delivery, evt.Identity, echo, () => new ProcessCrmEvent
            {
                TenantId = tenant,
                DeliveryId = delivery.DeliveryId,
                Crm = "hubspot",
                EventIdentity = evt.Identity,
                ObjectType = evt.ObjectType,
                ObjectId = evt.ObjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Kind = evt.SubscriptionType,
                PropertyName = evt.PropertyName,
                PropertyValue = evt.PropertyValue,
                OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(evt.OccurredAt),
            }, now, cancellationToken);
        }
        var taken = events.Count - foreign.Count;
        if (delivery.Duplicates + delivery.Echoes == taken)
            delivery.Status = delivery.Duplicates == taken ? "Duplicate" : "Ignored";
        return await StoreAsync(unitOfWork, delivery, body, Results.Ok(), cancellationToken);
    }

    /// <summary>
    /// A Salesforce Outbound Message, at <c>/webhooks/salesforce/{tenant}?token=…</c>. Salesforce does not sign these, so the
    /// connection's endpoint token (<see cref="OutboundMessageToken"/>) in the URL authenticates the request, checked before
    /// the body is read; then the XML is read within hard limits and its OrganizationId must be the tenant's. Every refusal
    /// is a SOAP fault (soapenv:Client) with a 4xx status, which Salesforce treats as not delivered.
    /// </summary>
    public static async Task<IResult> ReceiveSalesforceAsync(string tenant, HttpRequest request, IDocumentStore store, IUnitOfWork unitOfWork,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("SalesforceOutboundMessage");
        var connection = await ConnectionAsync(store, tenant, "salesforce", cancellationToken);
        if (connection is null)
            return SoapFault(logger, tenant, StatusCodes.Status404NotFound, "unknown-tenant", $"No Salesforce connection for tenant '{tenant}'.");
        var token = request.Query[OutboundMessageToken.QueryParameter];
        if (token.Count == 0 || string.IsNullOrEmpty(token[0]))
            return SoapFault(logger, tenant, StatusCodes.Status401Unauthorized, "token-missing",
                "The endpoint URL lacks its token. Use the Outbound Message URL the connection API issued (/webhooks/salesforce/{tenant}?token=…); the URL without it is no longer accepted.");
        if (token.Count > 1 || !OutboundMessageToken.Matches(token[0], connection.OutboundMessageTokenHash))
            return SoapFault(logger, tenant, StatusCodes.Status401Unauthorized, "token-invalid", "The endpoint token does not match this tenant's.");
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
            return SoapFault(logger, tenant, StatusCodes.Status413PayloadTooLarge, "too-large", $"Bodies are limited to {MaxBodyBytes} bytes.");

        SalesforceOutboundMessage message;
        try
        {
            message = SalesforceOutboundMessages.Parse(Encoding.UTF8.GetString(body));
        }
        catch (FormatException exception)
        {
            return SoapFault(logger, tenant, StatusCodes.Status400BadRequest, "malformed", exception.Message);
        }
        if (!SalesforceOutboundMessages.SameOrganization(message.OrganizationId, connection.OrganizationId ?? string.Empty))
            return SoapFault(logger, tenant, StatusCodes.Status401Unauthorized, "wrong-organization", "The OrganizationId does not belong to this tenant.");

        var now = time.GetUtcNow();
        var identities = message.Notifications.Select(n => SalesforceOutboundMessages.DedupeKey(message.OrganizationId, n)).ToList();
        var delivery = new CrmDelivery
        {
            DeliveryId = Guid.NewGuid().ToString("N"),
            TenantId = tenant,
            Source = "salesforce-outbound",
            Received = now.UtcDateTime,
            ReceivedTicks = now.UtcTicks,
            SignatureVerdict = "TokenMatched",
            Events = message.Notifications.Count,
            ObjectIds = message.Notifications.Select(n => n.RecordId).Distinct().ToList(),
            EventIdentities = identities,
        };
        var seenInDelivery = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (notification, identity) in message.Notifications.Zip(identities))
        {
            // The same record and change twice in one message (Salesforce batches) is one event.
            if (!seenInDelivery.Add(identity))
            {
                delivery.Duplicates++;
                continue;
            }
            var echo = connection.IntegrationUserId is { } integrationUser && notification.Fields.GetValueOrDefault("LastModifiedById") == integrationUser;
            await TakeInAsync(store, unitOfWork, delivery, identity, echo, () => new ProcessCrmEvent
            {
                TenantId = tenant,
                DeliveryId = delivery.DeliveryId,
                Crm = "salesforce",
                EventIdentity = identity,
                ObjectType = notification.ObjectType,
                ObjectId = notification.RecordId,
                Kind = "outbound-message",
                OccurredAt = now,
            }, now, cancellationToken);
        }
        if (delivery.Duplicates + delivery.Echoes == message.Notifications.Count)
            delivery.Status = delivery.Duplicates == message.Notifications.Count ? "Duplicate" : "Ignored";
        return await StoreAsync(unitOfWork, delivery, body, Results.Text(SalesforceOutboundMessages.Ack(), "text/xml; charset=utf-8"), cancellationToken);
    }

    /// <summary>
    /// Change Data Capture or Platform Event messages (CometD envelope, one or an array) forwarded by the tenant's relay.
    /// Salesforce does not sign these; the relay must send <c>X-Q2C-Relay-Signature</c> (Base64 HMAC-SHA256 of the body
    /// under the connection's relay secret, its clientSecret). A connection without a relay secret refuses them all.
    /// Even signed, nothing from the payload is trusted: each event only makes crm-ingest re-read the record through the API.
    /// </summary>
    public static async Task<IResult> ReceiveSalesforceEventsAsync(string tenant, HttpRequest request, IDocumentStore store, IUnitOfWork unitOfWork,
        IDataProtectionProvider dataProtection, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("SalesforceEvents");
        var connection = await ConnectionAsync(store, tenant, "salesforce", cancellationToken);
        if (connection is null)
            return Reject(logger, tenant, "salesforce-events", StatusCodes.Status404NotFound, "unknown-tenant", $"No Salesforce connection for tenant '{tenant}'.");
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
            return Reject(logger, tenant, "salesforce-events", StatusCodes.Status413PayloadTooLarge, "too-large", $"Bodies are limited to {MaxBodyBytes} bytes.");
        if (connection.ProtectedClientSecret is null)
            return Reject(logger, tenant, "salesforce-events", StatusCodes.Status401Unauthorized, "relay-not-configured",
                "This connection has no relay secret (clientSecret), so forwarded events cannot be authenticated and are refused.");
        var secret = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose).Unprotect(connection.ProtectedClientSecret);
        if (!SalesforceChangeEvents.SignatureMatches(body, request.Headers[SalesforceChangeEvents.SignatureHeader].ToString(), secret))
            return Reject(logger, tenant, "salesforce-events", StatusCodes.Status401Unauthorized, "bad-signature",
                $"The {SalesforceChangeEvents.SignatureHeader} header is missing or does not match the body.");
        const string verdict = "Valid";
        IReadOnlyList<SalesforceChangeEvent> events;
        try
        {
            events = SalesforceChangeEvents.Parse(body);
        }
        catch (FormatException exception)
        {
            return Reject(logger, tenant, "salesforce-events", StatusCodes.Status400BadRequest, "malformed", exception.Message);
        }

        var now = time.GetUtcNow();
        var delivery = new CrmDelivery
        {
            DeliveryId = Guid.NewGuid().ToString("N"),
            TenantId = tenant,
            Source = "salesforce-events",
            Received = now.UtcDateTime,
            ReceivedTicks = now.UtcTicks,
            SignatureVerdict = verdict,
            Events = events.Count,
            ObjectIds = events.Select(e => e.RecordId).Distinct().ToList(),
            EventIdentities = events.Select(e => e.Identity).ToList(),
        };
        foreach (var evt in events.DistinctBy(e => e.Identity))
        {
            var echo = connection.IntegrationUserId is { } integrationUser && evt.CommitUser == integrationUser;
            await TakeInAsync(store, unitOfWork, delivery, evt.Identity, echo, () => new ProcessCrmEvent
            {
                TenantId = tenant,
                DeliveryId = delivery.DeliveryId,
                Crm = "salesforce",
                EventIdentity = evt.Identity,
                ObjectType = evt.EntityName,
                ObjectId = evt.RecordId,
                Kind = evt.ChangeType,
                OccurredAt = evt.CommittedAt ?? now,
            }, now, cancellationToken);
        }
        if (delivery.Duplicates + delivery.Echoes == events.Count)
            delivery.Status = delivery.Duplicates == events.Count ? "Duplicate" : "Ignored";
        return await StoreAsync(unitOfWork, delivery, body, Results.Ok(new { accepted = events.Count - delivery.Duplicates - delivery.Echoes }), cancellationToken);
    }

    /// <summary>Platform-wide public base URL of the webhook host (scheme, host and any path prefix in front of <c>/webhooks</c>).</summary>
    public const string PublicBaseUrlKey = "Webhooks:PublicBaseUrl";

    /// <summary>
    /// The URL the CRM called, which its signature covers. In order: the connection's <c>publicWebhookUrl</c>; the
    /// configured <c>Webhooks:PublicBaseUrl</c> followed by the request path; else the request's own scheme, host and
    /// path base. The last are what Kestrel saw unless the forwarded-headers middleware replaced them, which it does only
    /// for a request from a known proxy or network: an <c>X-Forwarded-Host</c> or <c>X-Forwarded-Proto</c> header sent by
    /// anyone else is never read here.
    /// </summary>
    public static string PublicUrl(HttpRequest request, CrmConnection connection, string? publicBaseUrl)
    {
        if (connection.PublicWebhookUrl is { Length: > 0 } configured)
            return configured + request.QueryString;
        if (!string.IsNullOrWhiteSpace(publicBaseUrl))
            return publicBaseUrl.Trim().TrimEnd('/') + request.Path + request.QueryString;
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, request.QueryString);
    }

    /// <summary>
    /// One event of a delivery: a re-sent one (identity already seen) counts as a duplicate, our own change as an echo;
    /// anything else is remembered and handed to processing, all in the delivery's single commit.
    /// </summary>
    private static async Task TakeInAsync(IDocumentStore store, IUnitOfWork unitOfWork, CrmDelivery delivery, string identity, bool echo,
        Func<ProcessCrmEvent> process, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.Collection<SeenCrmEvent>(SeenCrmEvent.CollectionName).GetAsync(identity, cancellationToken) is not null)
        {
            delivery.Duplicates++;
            return;
        }
        unitOfWork.Insert(SeenCrmEvent.CollectionName, identity, new SeenCrmEvent { DeliveryId = delivery.DeliveryId, Received = now.UtcDateTime });
        if (echo)
        {
            delivery.Echoes++;
            return;
        }
        unitOfWork.Publish(process());
    }

    /// <summary>The delivery's record and, apart from it (so listing deliveries never reads bodies), its raw body.</summary>
    private static async Task<IResult> StoreAsync(IUnitOfWork unitOfWork, CrmDelivery delivery, byte[] body, IResult answer, CancellationToken cancellationToken,
        bool accepted = true)
    {
        unitOfWork.Insert(CrmDelivery.CollectionName, delivery.DeliveryId, delivery);
        unitOfWork.Insert(CrmDeliveryBody.CollectionName, delivery.DeliveryId, new CrmDeliveryBody
        {
            DeliveryId = delivery.DeliveryId,
            TenantId = delivery.TenantId,
            Received = delivery.Received,
            Body = Encoding.UTF8.GetString(body),
        });
        try
        {
            await unitOfWork.CommitAndDeliverLaterAsync(cancellationToken);
        }
        catch (DuplicateDocumentException)
        {
            // The same events arrived twice at the same moment; the other request took them in.
        }
        if (accepted)
            Accepted.Add(1, new KeyValuePair<string, object?>("source", delivery.Source));
        return answer;
    }

    /// <summary>Whether a HubSpot event names the connected portal; with no portal on the connection, none does.</summary>
    public static bool FromPortal(HubSpotEvent evt, string? connectedPortalId) =>
        long.TryParse(connectedPortalId?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var portal)
        && evt.PortalId == portal;

    private static async Task<CrmConnection?> ConnectionAsync(IDocumentStore store, string tenant, string kind, CancellationToken cancellationToken)
    {
        if (!TenantAccess.IsValidTenantId(tenant))
            return null;
        var document = await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(tenant, cancellationToken);
        return document?.Value.Kind == kind ? document.Value : null;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IResult Reject(ILogger logger, string tenant, string source, int status, string reason, string detail)
    {
        Rejected.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("reason", reason));
        logger.LogWarning("{Source} webhook for tenant {Tenant} rejected ({Reason}): {Detail}", source, tenant, reason, detail);
        return Results.Problem(statusCode: status, title: "Webhook rejected", detail: detail);
    }

    /// <summary>A refused Outbound Message: logged and counted like every rejection, answered with a SOAP fault (soapenv:Client).</summary>
    private static IResult SoapFault(ILogger logger, string tenant, int status, string reason, string detail)
    {
        Reject(logger, tenant, "salesforce", status, reason, detail);
        return Results.Text(SalesforceOutboundMessages.Fault("soapenv:Client", detail), "text/xml; charset=utf-8", Encoding.UTF8, status);
    }
}
