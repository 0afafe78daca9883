using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Validation;

namespace QuoteToCash.AccountingSync.Apis;

/// <summary>
/// How much one QuickBooks webhook delivery may carry (<c>QuickBooks:Webhooks</c>). Every company (realmId) a body names
/// costs a connection lookup and a verifier-token decryption before the signature is known to be good, so a body naming
/// more companies or events than these is refused (413) before any of that. Raise them should a genuine delivery ever be
/// refused (<c>q2c.qbo.webhooks.rejected</c> counts these as <c>too-many-realms</c> and <c>too-many-events</c>).
/// </summary>
public sealed class QuickBooksWebhookOptions
{
    public const string Section = "QuickBooks:Webhooks";

    [Range(1, 10_000)]
    public int MaxRealmsPerDelivery { get; set; } = 100;

    [Range(1, 100_000)]
    public int MaxEventsPerDelivery { get; set; } = 1_000;
}

/// <summary>
/// QuickBooks webhook intake (legacy eventNotifications and CloudEvents): a body within <see cref="QuickBooksWebhookOptions"/>
/// whose realm and event IDs fit store keys has its connections found by the realmIds it names, and is checked against
/// <c>intuit-signature</c> in constant time with those connections' verifier tokens only, then stored with one
/// QuickBooksEntityChanged per new event and tenant in a single commit (de-duplicated per tenant and realm), and answered
/// at once; everything after that happens from the outbox.
/// </summary>
public static class QuickBooksWebhookApi
{
    public const int MaxBodyBytes = 2 * 1024 * 1024;
    private static readonly Meter Meter = new("QuoteToCash.AccountingSync");
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("q2c.qbo.webhooks.rejected", description: "QuickBooks webhook deliveries refused");
    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("q2c.qbo.webhooks.accepted", description: "QuickBooks webhook deliveries stored");

    public static IEndpointRouteBuilder MapQuickBooksWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/quickbooks", ReceiveAsync).AllowAnonymous().WithTags("Webhooks");
        return app;
    }

    public sealed class WebhookDelivery
    {
        public const string CollectionName = "qbo-webhook-deliveries";
        public string Id { get; set; } = string.Empty;
        public DateTime Received { get; set; }
        public string Format { get; set; } = string.Empty;
        public string ContentType { get; set; } = string.Empty;
        public string Body { get; set; } = string.Empty;
        public int Events { get; set; }
        public int NewEvents { get; set; }
    }

    public sealed class SeenEvent
    {
        public const string CollectionName = "qbo-webhook-events";
        public string DeliveryId { get; set; } = string.Empty;
        public DateTime Received { get; set; }
    }

    public sealed record ParsedEvent(string EventId, string RealmId, string Entity, string EntityId, string Operation, DateTimeOffset? ChangedAt);

    public static async Task<IResult> ReceiveAsync(HttpRequest request, IDocumentStore store, QboTokenManager tokens, IUnitOfWork unitOfWork,
        IOptions<QuickBooksWebhookOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var logger = loggers.CreateLogger("QuickBooksWebhook");
        if (request.ContentLength > MaxBodyBytes)
            return Reject(logger, StatusCodes.Status413PayloadTooLarge, "too-large", "Webhook bodies are limited to 2 MiB.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        // Read no further than the limit: a body without Content-Length (chunked) is cut off, not buffered whole.
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return Reject(logger, StatusCodes.Status413PayloadTooLarge, "too-large", "Webhook bodies are limited to 2 MiB.");
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.ToArray();

        var signature = request.Headers["intuit-signature"].ToString();
        if (string.IsNullOrEmpty(signature))
            return Reject(logger, StatusCodes.Status401Unauthorized, "bad-signature", "The intuit-signature header is missing or does not match the body.");

        // The body is parsed before it is authenticated only to learn which companies (realmIds) it speaks for: the
        // signature is then checked with those companies' connections' verifier tokens alone, never with every tenant's.
        List<ParsedEvent> events;
        string format;
        try
        {
            (format, events) = Parse(body);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return Reject(logger, StatusCodes.Status400BadRequest, "malformed", "The body is neither an eventNotifications object nor a CloudEvents array.");
        }

        // Limits before any connection is looked up or any verifier token decrypted: the body is not authenticated yet.
        if (events.Count > limits.MaxEventsPerDelivery)
            return Reject(logger, StatusCodes.Status413PayloadTooLarge, "too-many-events",
                $"A delivery carries at most {limits.MaxEventsPerDelivery} events, not {events.Count}.");
        var realms = events.Select(e => e.RealmId).Distinct(StringComparer.Ordinal).ToList();
        if (realms.Count > limits.MaxRealmsPerDelivery)
            return Reject(logger, StatusCodes.Status413PayloadTooLarge, "too-many-realms",
                $"A delivery names at most {limits.MaxRealmsPerDelivery} companies (realmIds), not {realms.Count}.");
        // Realm and event IDs become keys of qbo-webhook-events ({tenant}:{realmId}:{eventId}); the store's keys are short.
        if (events.FirstOrDefault(e => !InputLimits.IsStorableKey(e.RealmId) || !InputLimits.IsStorableKey(e.EventId)) is { } overLong)
        {
            var what = InputLimits.IsStorableKey(overLong.RealmId) ? "An event ID" : "A realmId";
            return Reject(logger, StatusCodes.Status400BadRequest, "id-too-long",
                $"{what} is longer than {InputLimits.MaxKeyLength} characters ({InputLimits.MaxKeyBytes} bytes in UTF-8).");
        }

        var tenantsByRealm = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var realm in realms)
        {
            var verified = (await QboConnectionsByRealm.FindAsync(store, realm, cancellationToken))
                .Where(c => SignatureMatches(body, signature, tokens.Protector.Unprotect(c.ProtectedVerifierToken!)))
                .Select(c => c.TenantId)
                .ToList();
            if (verified.Count > 0)
                tenantsByRealm[realm] = verified;
        }
        if (tenantsByRealm.Count == 0)
            return Reject(logger, StatusCodes.Status401Unauthorized, "bad-signature",
                "The intuit-signature header does not match the body under the verifier token of the company (realmId) it names.");

        var now = time.GetUtcNow();
        var deliveryId = Convert.ToHexString(SHA256.HashData(body))[..32].ToLowerInvariant();
        var seen = store.Collection<SeenEvent>(SeenEvent.CollectionName);
        var fresh = 0;
        foreach (var evt in events.DistinctBy(e => (e.RealmId, e.EventId)))
        {
            if (!tenantsByRealm.TryGetValue(evt.RealmId, out var tenants))
            {
                logger.LogWarning("QuickBooks event {EventId} for realm {Realm}, whose connection's verifier token did not sign this delivery; ignored", evt.EventId, evt.RealmId);
                continue;
            }
            var taken = false;
            foreach (var tenant in tenants)
            {
                var key = SeenKey(tenant, evt);
                if (await seen.GetAsync(key, cancellationToken) is not null)
                    continue; // a retried delivery: already taken in for this tenant
                unitOfWork.Insert(SeenEvent.CollectionName, key, new SeenEvent { DeliveryId = deliveryId, Received = now.UtcDateTime });
                unitOfWork.Publish(new QuickBooksEntityChanged
                {
                    TenantId = tenant,
                    RealmId = evt.RealmId,
                    Entity = evt.Entity,
                    EntityId = evt.EntityId,
                    Operation = evt.Operation,
                    ChangedAt = evt.ChangedAt,
                    Source = "webhook",
                });
                taken = true;
            }
            if (taken)
                fresh++;
        }
        unitOfWork.Upsert(WebhookDelivery.CollectionName, deliveryId, new WebhookDelivery
        {
            Id = deliveryId,
            Received = now.UtcDateTime,
            Format = format,
            ContentType = request.ContentType ?? string.Empty,
            Body = Encoding.UTF8.GetString(body),
            Events = events.Count,
            NewEvents = fresh,
        });
        try
        {
            await unitOfWork.CommitAndDeliverLaterAsync(cancellationToken);
        }
        catch (DuplicateDocumentException)
        {
            return Results.Ok(); // the same events arrived twice at once; the other request stored them
        }
        Accepted.Add(1, new KeyValuePair<string, object?>("format", format));
        return Results.Ok();
    }

    /// <summary>
    /// The de-duplication key of an event for one tenant: tenant, realm and event identity, so the same event ID seen for
    /// another tenant or company never hides this one.
    /// </summary>
    public static string SeenKey(string tenantId, ParsedEvent evt) => $"{tenantId}:{evt.RealmId}:{evt.EventId}";

    /// <summary>Base64 HMAC-SHA256 of the raw body with the verifier token, compared in constant time.</summary>
    public static bool SignatureMatches(byte[] body, string? signature, string verifierToken)
    {
        if (string.IsNullOrEmpty(signature))
            return false;
        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Both payload formats into one list of events, each with a stable identity for de-duplication.</summary>
    public static (string Format, List<ParsedEvent> Events) Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var events = new List<ParsedEvent>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in root.EnumerateArray())
            {
                var type = e.GetProperty("type").GetString() ?? throw new FormatException("CloudEvent without type");
                var parts = type.Split('.');
                if (parts.Length < 3)
                    throw new FormatException($"Unexpected CloudEvent type '{type}'");
                var operation = parts[2] switch
                {
                    "created" => "Create",
                    "updated" => "Update",
                    "deleted" => "Delete",
                    "voided" => "Void",
                    "merged" => "Merge",
                    "emailed" => "Emailed",
                    var other => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(other),
                };
                events.Add(new ParsedEvent(
                    e.GetProperty("id").GetString() ?? throw new FormatException("CloudEvent without id"),
                    e.GetProperty("intuitaccountid").GetString() ?? throw new FormatException("CloudEvent without intuitaccountid"),
                    EntityName(parts[1]),
                    e.GetProperty("intuitentityid").GetString() ?? throw new FormatException("CloudEvent without intuitentityid"),
                    operation,
                    e.TryGetProperty("time", out var t) && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, out var at) ? at : null));
            }
            return ("cloudevents", events);
        }
        foreach (var notification in root.GetProperty("eventNotifications").EnumerateArray())
        {
            var realm = notification.GetProperty("realmId").GetString() ?? throw new FormatException("eventNotification without realmId");
            foreach (var entity in notification.GetProperty("dataChangeEvent").GetProperty("entities").EnumerateArray())
            {
                var name = entity.GetProperty("name").GetString()!;
                var id = entity.GetProperty("id").GetString()!;
                var operation = entity.GetProperty("operation").GetString()!;
                var updated = entity.TryGetProperty("lastUpdated", out var u) ? u.GetString() : null;
                events.Add(new ParsedEvent($"legacy:{realm}:{name}:{id}:{operation}:{updated}", realm, name, id, operation,
                    DateTimeOffset.TryParse(updated, CultureInfo.InvariantCulture, out var at) ? at : null));
            }
        }
        return ("legacy", events);
    }

    private static string EntityName(string lower) => lower switch
    {
        "creditmemo" => "CreditMemo",
        "taxcode" => "TaxCode",
        "salesreceipt" => "SalesReceipt",
        _ => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(lower),
    };

    private static IResult Reject(ILogger logger, int status, string reason, string detail)
    {
        Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        logger.LogWarning("QuickBooks webhook rejected ({Reason}): {Detail}", reason, detail);
        return Results.Problem(statusCode: status, title: "Webhook rejected", detail: detail);
    }
}
