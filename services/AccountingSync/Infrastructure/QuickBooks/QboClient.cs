using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>
/// The QuickBooks Online Accounting API for one tenant at a time: minorversion 75, JSON, every request
/// through the realm's <see cref="RateGovernor"/>, every write with the caller's stable <c>requestid</c>
/// so a retry after a timeout or a dropped connection replays instead of creating a second object.
/// Throttling is waited out, never surfaced; a 401 refreshes the token once; transient failures are
/// retried with the same requestid.
/// </summary>
public sealed class QboClient(HttpClient http, QboTokenManager tokens, RateGovernor governor, ILogger<QboClient> logger)
{
    public const string MinorVersion = "75";
    public const int MaxRequestIdLength = 50;
    public const int MaxBatchRequestIdLength = 36;
    private const int TransientAttempts = 5;
    private const int ThrottledAttempts = 30;
    private static readonly ActivitySource Telemetry = new("QuoteToCash.AccountingSync");

    public static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public Task<T> CreateAsync<T>(string tenantId, T entity, string requestId, CancellationToken cancellationToken = default) where T : QboEntity =>
        WriteAsync(tenantId, entity, QboEntityNames.Resource<T>(), requestId, null, cancellationToken);

    public async Task<T> ReadAsync<T>(string tenantId, string id, CancellationToken cancellationToken = default) where T : QboEntity
    {
        var body = await SendAsync(tenantId, HttpMethod.Get, $"{QboEntityNames.Resource<T>()}/{Uri.EscapeDataString(id)}", null, null, false, null, cancellationToken);
        return Unwrap<T>(body);
    }

    /// <summary>The company's preferences (currency settings among them); QuickBooks keeps one per company, read without an Id.</summary>
    public async Task<QboPreferences> ReadPreferencesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(tenantId, HttpMethod.Get, "preferences", null, null, false, null, cancellationToken);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("Preferences").Deserialize<QboPreferences>(Json) ?? new QboPreferences();
    }

    /// <summary>Every entity the query matches, page after page (QuickBooks returns at most 1000 at a time).</summary>
    public async Task<IReadOnlyList<T>> QueryAllAsync<T>(string tenantId, Func<QboQuery> query, CancellationToken cancellationToken = default,
        int pageSize = QboQuery.MaxPageSize) where T : QboEntity
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, QboQuery.MaxPageSize);
        var all = new List<T>();
        for (var start = 1; ; start += pageSize)
        {
            var page = await QueryAsync<T>(tenantId, query().Page(start, pageSize), cancellationToken);
            all.AddRange(page.Items);
            if (page.Items.Count < pageSize)
                return all;
        }
    }

    /// <summary>A full update: fields left out are cleared by QuickBooks.</summary>
    public Task<T> UpdateAsync<T>(string tenantId, T entity, string requestId, CancellationToken cancellationToken = default) where T : QboEntity =>
        WriteAsync(tenantId, entity with { Sparse = null }, QboEntityNames.Resource<T>(), requestId, "operation=update", cancellationToken);

    /// <summary>
    /// A sparse update built from the object's current SyncToken. On a stale SyncToken (5010) the object is
    /// read again and the change re-applied, a few times, each attempt with its own requestid.
    /// </summary>
    public async Task<T> SparseUpdateAsync<T>(string tenantId, string id, Func<string, T> change, string requestId, string? syncToken = null,
        CancellationToken cancellationToken = default) where T : QboEntity
    {
        syncToken ??= (await ReadAsync<T>(tenantId, id, cancellationToken)).SyncToken ?? "0";
        for (var attempt = 1; ; attempt++)
        {
            var entity = change(syncToken) with { Id = id, SyncToken = syncToken, Sparse = true };
            try
            {
                return await WriteAsync(tenantId, entity, QboEntityNames.Resource<T>(), attempt == 1 ? requestId : Suffix(requestId, attempt), "operation=update", cancellationToken);
            }
            catch (QboException stale) when (stale.Kind == QboErrorKind.StaleObject && attempt < 4)
            {
                logger.LogInformation("Stale SyncToken {SyncToken} for {Entity} {Id}; re-reading", syncToken, typeof(T).Name, id);
                syncToken = (await ReadAsync<T>(tenantId, id, cancellationToken)).SyncToken ?? "0";
            }
        }
    }

    public async Task DeleteAsync<T>(string tenantId, string id, string syncToken, string requestId, CancellationToken cancellationToken = default) where T : QboEntity
    {
        var body = JsonSerializer.Serialize(new { Id = id, SyncToken = syncToken }, Json);
        await SendAsync(tenantId, HttpMethod.Post, QboEntityNames.Resource<T>(), body, "operation=delete", false, requestId, cancellationToken);
    }

    public async Task<QboInvoice> VoidInvoiceAsync(string tenantId, string id, string syncToken, string requestId, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new { Id = id, SyncToken = syncToken }, Json);
        return Unwrap<QboInvoice>(await SendAsync(tenantId, HttpMethod.Post, "invoice", body, "operation=void", false, requestId, cancellationToken));
    }

    public sealed record QueryPage<T>(IReadOnlyList<T> Items, int StartPosition, int MaxResults, long? TotalCount);

    public async Task<QueryPage<T>> QueryAsync<T>(string tenantId, QboQuery query, CancellationToken cancellationToken = default) where T : QboEntity
    {
        var body = await SendAsync(tenantId, HttpMethod.Get, "query", null, "query=" + Uri.EscapeDataString(query.ToString()), false, null, cancellationToken);
        using var document = JsonDocument.Parse(body);
        var response = document.RootElement.GetProperty("QueryResponse");
        var items = response.TryGetProperty(QboEntityNames.Of<T>(), out var list)
            ? list.EnumerateArray().Select(e => e.Deserialize<T>(Json)!).ToList()
            : [];
        return new QueryPage<T>(items,
            response.TryGetProperty("startPosition", out var start) ? start.GetInt32() : 1,
            response.TryGetProperty("maxResults", out var max) ? max.GetInt32() : items.Count,
            response.TryGetProperty("totalCount", out var total) ? total.GetInt64() : null);
    }

    public async Task<long> CountAsync(string tenantId, QboQuery countQuery, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(tenantId, HttpMethod.Get, "query", null, "query=" + Uri.EscapeDataString(countQuery.ToString()), false, null, cancellationToken);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("QueryResponse").TryGetProperty("totalCount", out var total) ? total.GetInt64() : 0;
    }

    /// <summary>Up to 30 independent operations in one request; each item answers with its entity or its own fault.</summary>
    public async Task<IReadOnlyList<QboBatchResult>> BatchAsync(string tenantId, IReadOnlyList<QboBatchItem> items, string requestId,
        CancellationToken cancellationToken = default)
    {
        if (items.Count is 0 or > 30)
            throw new ArgumentOutOfRangeException(nameof(items), "A batch carries 1 to 30 items.");
        if (requestId.Length > MaxBatchRequestIdLength)
            throw new ArgumentException($"A batch requestid is at most {MaxBatchRequestIdLength} characters.", nameof(requestId));
        var payload = new Dictionary<string, object>
        {
            ["BatchItemRequest"] = items.Select(item =>
            {
                var entry = new Dictionary<string, object?> { ["bId"] = item.BatchId };
                if (item.Query is not null)
                    entry["Query"] = item.Query;
                else
                {
                    entry["operation"] = item.Operation;
                    entry[EntityName(item.Entity!)] = item.Entity;
                }
                return entry;
            }).ToList(),
        };
        var body = await SendAsync(tenantId, HttpMethod.Post, "batch", JsonSerializer.Serialize(payload, Json), null, true, requestId, cancellationToken);
        using var document = JsonDocument.Parse(body);
        var results = new List<QboBatchResult>();
        foreach (var item in document.RootElement.GetProperty("BatchItemResponse").EnumerateArray())
        {
            var batchId = item.GetProperty("bId").GetString() ?? string.Empty;
            if (item.TryGetProperty("Fault", out var fault))
            {
                results.Add(new QboBatchResult(batchId, null, QboFaultParser.FromFault(fault)));
                continue;
            }
            var entity = item.EnumerateObject().FirstOrDefault(p => p.Name != "bId" && p.Value.ValueKind == JsonValueKind.Object);
            results.Add(new QboBatchResult(batchId, entity.Value.ValueKind == JsonValueKind.Object ? entity.Value.Clone() : null, null));
        }
        return results;
    }

    /// <summary>Changes since a moment (at most 30 days back): full entities, or just the ID of deleted ones. Returns QuickBooks' own time as the next watermark.</summary>
    public async Task<(IReadOnlyList<QboChange> Changes, DateTimeOffset ServerTime)> ChangesSinceAsync(string tenantId, IEnumerable<string> entities,
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var query = $"entities={Uri.EscapeDataString(string.Join(',', entities))}&changedSince={Uri.EscapeDataString(since.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture))}";
        var body = await SendAsync(tenantId, HttpMethod.Get, "cdc", null, query, false, null, cancellationToken);
        using var document = JsonDocument.Parse(body);
        var changes = new List<QboChange>();
        foreach (var cdc in document.RootElement.GetProperty("CDCResponse").EnumerateArray())
        foreach (var response in cdc.GetProperty("QueryResponse").EnumerateArray())
        foreach (var property in response.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array))
        foreach (var entity in property.Value.EnumerateArray())
        {
            var deleted = entity.TryGetProperty("status", out var status) && status.GetString() == "Deleted";
            DateTimeOffset? updated = entity.TryGetProperty("MetaData", out var meta) && meta.TryGetProperty("LastUpdatedTime", out var last) &&
                                      DateTimeOffset.TryParse(last.GetString(), CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            changes.Add(new QboChange(property.Name, entity.GetProperty("Id").GetString() ?? string.Empty, deleted, updated, entity.Clone()));
        }
        var serverTime = document.RootElement.TryGetProperty("time", out var time) &&
                         DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, out var t) ? t : since;
        return (changes, serverTime);
    }

    /// <summary>
    /// Has QuickBooks e-mail the invoice (POST invoice/{id}/send, an empty application/octet-stream body): to
    /// <paramref name="sendTo"/>, which becomes the invoice's BillEmail, or to the BillEmail it has. QuickBooks sends
    /// again on every call; only the same <paramref name="requestId"/> makes a retry replay instead of e-mailing twice.
    /// Answers the invoice, EmailStatus "EmailSent".
    /// </summary>
    public async Task<QboInvoice> SendInvoiceAsync(string tenantId, string invoiceId, string? sendTo, string requestId, CancellationToken cancellationToken = default)
    {
        var query = string.IsNullOrWhiteSpace(sendTo) ? null : "sendTo=" + Uri.EscapeDataString(sendTo.Trim());
        var body = await SendAsync(tenantId, HttpMethod.Post, $"invoice/{Uri.EscapeDataString(invoiceId)}/send", string.Empty, query, false, requestId,
            cancellationToken, "application/octet-stream");
        return Unwrap<QboInvoice>(body);
    }

    private async Task<T> WriteAsync<T>(string tenantId, T entity, string resource, string requestId, string? extraQuery, CancellationToken cancellationToken)
        where T : QboEntity
    {
        var body = await SendAsync(tenantId, HttpMethod.Post, resource, JsonSerializer.Serialize(entity, entity.GetType(), Json), extraQuery, false, requestId, cancellationToken);
        return Unwrap<T>(body);
    }

    private static T Unwrap<T>(string body) where T : QboEntity
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty(QboEntityNames.Of<T>()).Deserialize<T>(Json)!;
    }

    private static string EntityName(QboEntity entity) => QboEntityNames.Of(entity.GetType());

    private static string Suffix(string requestId, int attempt)
    {
        var suffix = "-" + attempt.ToString(CultureInfo.InvariantCulture);
        return (requestId.Length + suffix.Length > MaxRequestIdLength ? requestId[..(MaxRequestIdLength - suffix.Length)] : requestId) + suffix;
    }

    /// <summary>Batch requests the tenant's realm may still send in the rate governor's current window, and how many a window allows.</summary>
    public async Task<(int Headroom, int PerWindow)> BatchHeadroomAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var access = await tokens.GetAccessAsync(tenantId, cancellationToken);
        return (governor.BatchHeadroom(access.RealmId), governor.Limits.BatchesPerMinute);
    }

    /// <summary>Sends one logical request, retrying throttling, token expiry and transient failures with the same requestid.</summary>
    private async Task<string> SendAsync(string tenantId, HttpMethod method, string path, string? body, string? extraQuery, bool batch, string? requestId,
        CancellationToken cancellationToken, string? contentType = null)
    {
        if (requestId is { Length: > MaxRequestIdLength })
            throw new ArgumentException($"A requestid is at most {MaxRequestIdLength} characters.", nameof(requestId));
        var access = await tokens.GetAccessAsync(tenantId, cancellationToken);
        var refreshed = false;
        var transient = 0;
        var throttled = 0;
        using var activity = Telemetry.StartActivity($"QuickBooks {method} {path}", ActivityKind.Client);
        activity?.SetTag("qbo.realm", access.RealmId);
        activity?.SetTag("qbo.requestid", requestId);
        while (true)
        {
            var query = new StringBuilder("minorversion=").Append(MinorVersion);
            if (requestId is not null)
                query.Append("&requestid=").Append(Uri.EscapeDataString(requestId));
            if (extraQuery is not null)
                query.Append('&').Append(extraQuery);
            var uri = $"{access.BaseUrl.TrimEnd('/')}/v3/company/{Uri.EscapeDataString(access.RealmId)}/{path}?{query}";

            HttpStatusCode status;
            string responseBody;
            TimeSpan? retryAfter;
            try
            {
                using var lease = await governor.AcquireAsync(access.RealmId, batch, cancellationToken);
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access.AccessToken);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (body is not null)
                    request.Content = contentType is null
                        ? new StringContent(body, Encoding.UTF8, "application/json")
                        : new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };
                using var response = await http.SendAsync(request, cancellationToken);
                status = response.StatusCode;
                responseBody = await response.Content.ReadAsStringAsync(cancellationToken);
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException ||
                                              exception is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The request may or may not have been applied: the same requestid makes the retry safe.
                if (++transient >= TransientAttempts)
                    throw new QboException(QboErrorKind.Transient, null, [new QboErrorDetail("network", exception.Message, null, null)], null, exception);
                logger.LogWarning("QuickBooks {Method} {Path} failed in transit ({Error}); retry {Attempt} with requestid {RequestId}",
                    method, path, exception.Message, transient, requestId);
                await Task.Delay(Backoff(transient), cancellationToken);
                continue;
            }

            if (status is HttpStatusCode.OK or HttpStatusCode.Created)
            {
                if (responseBody.Contains("\"Fault\"", StringComparison.Ordinal) && !batch)
                {
                    using var document = JsonDocument.Parse(responseBody);
                    if (document.RootElement.TryGetProperty("Fault", out var fault))
                        throw QboFaultParser.FromFault(fault);
                }
                return responseBody;
            }

            var error = QboFaultParser.FromResponse(status, responseBody, retryAfter);
            switch (error.Kind)
            {
                case QboErrorKind.Throttled when ++throttled < ThrottledAttempts:
                    governor.ReportThrottled(access.RealmId, retryAfter);
                    logger.LogWarning("QuickBooks throttled realm {Realm}; pausing it until {Until:o}", access.RealmId, governor.PausedUntil(access.RealmId));
                    continue;
                case QboErrorKind.Authentication when status == HttpStatusCode.Unauthorized && !refreshed:
                    refreshed = true;
                    access = await tokens.RefreshAsync(tenantId, access.AccessToken, cancellationToken);
                    continue;
                case QboErrorKind.Transient when ++transient < TransientAttempts:
                    logger.LogWarning("QuickBooks {Method} {Path} answered {Status}; retry {Attempt} with requestid {RequestId}", method, path, (int)status, transient, requestId);
                    await Task.Delay(Backoff(transient), cancellationToken);
                    continue;
                default:
                    activity?.SetStatus(ActivityStatusCode.Error, error.Message);
                    throw error;
            }
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(5000, 200 * Math.Pow(2, attempt - 1)) * (0.75 + Random.Shared.NextDouble() * 0.5));
}
