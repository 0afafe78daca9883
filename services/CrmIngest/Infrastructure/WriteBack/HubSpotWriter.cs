using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using Microsoft.Extensions.Options;

namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>One tenant's HubSpot portal as the write-back addresses it.</summary>
public sealed record HubSpotTarget(string TenantId, string BaseUrl, string AccessToken);

/// <summary>
/// Writes invoice facts to HubSpot deals (q2c_invoice_number, q2c_invoice_status, q2c_balance_due, q2c_paid_date) and the
/// account standing to companies (q2c_account_standing). The custom properties are created when missing, once per tenant
/// and object type. Requests are paced per token within the write-back's share of HubSpot's burst limit
/// (<see cref="HubSpotRateBudget"/>), and a 429 is waited out (Retry-After, else
/// the rolling window HubSpot reports) and retried; a write that still fails throws, so the message is retried and no
/// update is lost.
/// </summary>
public sealed class HubSpotWriter(HttpClient http, IOptions<WriteBackOptions> options, HubSpotRateBudget budget, TimeProvider time, ILogger<HubSpotWriter> logger)
{
    public const string InvoiceNumber = "q2c_invoice_number";
    public const string InvoiceStatus = "q2c_invoice_status";
    public const string BalanceDue = "q2c_balance_due";
    public const string PaidDate = "q2c_paid_date";
    public const string AccountStanding = "q2c_account_standing";

    private static readonly ConcurrentDictionary<string, bool> EnsuredProperties = new();

    /// <summary>The custom deal properties the write-back needs.</summary>
    public static readonly IReadOnlyList<HubSpotPropertyDefinition> DealProperties =
    [
        new(InvoiceNumber, "Q2C invoice number", "string", "text", "The invoice number in the accounting system (QuoteToCash)."),
        new(InvoiceStatus, "Q2C invoice status", "enumeration", "select", "The invoice's status (QuoteToCash).", WriteBackValues.InvoiceStatuses),
        new(BalanceDue, "Q2C balance due", "number", "number", "What is still owed on the invoice (QuoteToCash)."),
        new(PaidDate, "Q2C paid date", "date", "date", "The date the invoice was paid in full (QuoteToCash)."),
    ];

    /// <summary>The custom company properties the write-back needs.</summary>
    public static readonly IReadOnlyList<HubSpotPropertyDefinition> CompanyProperties =
    [
        new(AccountStanding, "Q2C account standing", "enumeration", "select", "Whether the customer pays on time (QuoteToCash).", WriteBackValues.Standings),
    ];

    private WriteBackOptions Options => options.Value;

    public async Task UpdateDealAsync(HubSpotTarget target, string dealId, InvoiceWriteBack update, CancellationToken cancellationToken)
    {
        var properties = new Dictionary<string, string>();
        if (update.InvoiceNumber is not null)
            properties[InvoiceNumber] = update.InvoiceNumber;
        if (update.Status is not null)
            properties[InvoiceStatus] = WriteBackValues.Canonical(WriteBackValues.InvoiceStatuses, update.Status)
                ?? throw new ArgumentException($"'{update.Status}' is not an invoice status.", nameof(update));
        if (update.BalanceDue is { } balance)
            properties[BalanceDue] = balance.ToString("0.00##", CultureInfo.InvariantCulture);
        if (update.PaidDate is { } paid)
            properties[PaidDate] = paid.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (properties.Count == 0)
            return;
        await EnsurePropertiesAsync(target, "deals", DealProperties, cancellationToken);
        await PatchAsync(target, "deals", dealId, properties, cancellationToken);
    }

    public async Task UpdateCompanyStandingAsync(HubSpotTarget target, string companyId, string standing, CancellationToken cancellationToken)
    {
        var value = WriteBackValues.Canonical(WriteBackValues.Standings, standing)
            ?? throw new ArgumentException($"'{standing}' is not an account standing.", nameof(standing));
        await EnsurePropertiesAsync(target, "companies", CompanyProperties, cancellationToken);
        await PatchAsync(target, "companies", companyId, new Dictionary<string, string> { [AccountStanding] = value }, cancellationToken);
    }

    /// <summary>Creates the missing ones of <paramref name="definitions"/> on the object type; remembered per tenant once it succeeded.</summary>
    public async Task EnsurePropertiesAsync(HubSpotTarget target, string objectType, IReadOnlyList<HubSpotPropertyDefinition> definitions, CancellationToken cancellationToken)
    {
        var cacheKey = $"{target.TenantId}|{target.BaseUrl}|{objectType}";
        if (EnsuredProperties.ContainsKey(cacheKey))
            return;
        var baseUrl = target.BaseUrl.TrimEnd('/');
        using (var list = await SendAsync(target, () => new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/crm/v3/properties/{objectType}"), cancellationToken))
        {
            await EnsureSuccessAsync(list, $"listing the {objectType} properties", cancellationToken);
            var json = await list.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var results = json.GetProperty("results").EnumerateArray().ToList();
            var existing = results.Select(p => p.GetProperty("name").GetString()).ToHashSet(StringComparer.Ordinal);
            var group = objectType == "companies" ? "companyinformation" : "dealinformation";
            foreach (var definition in definitions.Where(d => d.Options is { Count: > 0 } && existing.Contains(d.Name)))
                await AddMissingOptionsAsync(target, baseUrl, objectType, definition, results.First(p => p.GetProperty("name").GetString() == definition.Name), cancellationToken);
            foreach (var definition in definitions.Where(d => !existing.Contains(d.Name)))
            {
                var body = new Dictionary<string, object?>
                {
                    ["name"] = definition.Name,
                    ["label"] = definition.Label,
                    ["type"] = definition.Type,
                    ["fieldType"] = definition.FieldType,
                    ["groupName"] = group,
                    ["description"] = definition.Description,
                };
                if (definition.Options is { Count: > 0 } choices)
                    body["options"] = choices.Select((o, i) => new { label = o, value = o, displayOrder = i, hidden = false }).ToArray();
                using var created = await SendAsync(target, () => new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/crm/v3/properties/{objectType}")
                {
                    Content = JsonContent.Create(body),
                }, cancellationToken);
                if (created.StatusCode == HttpStatusCode.Conflict)
                    continue; // created concurrently (another consumer, another instance): it exists, which is all we need
                await EnsureSuccessAsync(created, $"creating the {objectType} property {definition.Name}", cancellationToken);
                logger.LogInformation("Created HubSpot {ObjectType} property {Property} for tenant {Tenant}", objectType, definition.Name, target.TenantId);
            }
        }
        EnsuredProperties[cacheKey] = true;
    }

    /// <summary>
    /// An admin may have created one of our enumeration properties with fewer options than the write-back uses: the
    /// missing options are appended (HubSpot's PATCH replaces the whole list, so the admin's own options are sent back
    /// as they were, in their order).
    /// </summary>
    private async Task AddMissingOptionsAsync(HubSpotTarget target, string baseUrl, string objectType, HubSpotPropertyDefinition definition,
        JsonElement current, CancellationToken cancellationToken)
    {
        var options = current.TryGetProperty("options", out var listed) && listed.ValueKind == JsonValueKind.Array
            ? listed.EnumerateArray().Select(o => new Dictionary<string, object?>
            {
                ["label"] = o.TryGetProperty("label", out var l) ? l.GetString() : null,
                ["value"] = o.TryGetProperty("value", out var v) ? v.GetString() : null,
                ["displayOrder"] = o.TryGetProperty("displayOrder", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : 0,
                ["hidden"] = o.TryGetProperty("hidden", out var h) && h.ValueKind == JsonValueKind.True,
            }).ToList()
            : [];
        var present = options.Select(o => o["value"] as string).ToHashSet(StringComparer.Ordinal);
        var missing = definition.Options!.Where(o => !present.Contains(o)).ToList();
        if (missing.Count == 0)
            return;
        var order = options.Count == 0 ? 0 : options.Max(o => (int)o["displayOrder"]!) + 1;
        options.AddRange(missing.Select((o, i) => new Dictionary<string, object?> { ["label"] = o, ["value"] = o, ["displayOrder"] = order + i, ["hidden"] = false }));
        using var patched = await SendAsync(target, () => new HttpRequestMessage(HttpMethod.Patch, $"{baseUrl}/crm/v3/properties/{objectType}/{definition.Name}")
        {
            Content = JsonContent.Create(new { options }),
        }, cancellationToken);
        await EnsureSuccessAsync(patched, $"adding the options {string.Join(", ", missing)} to the {objectType} property {definition.Name}", cancellationToken);
        logger.LogInformation("Added options {Options} to HubSpot {ObjectType} property {Property} for tenant {Tenant}", string.Join(", ", missing), objectType, definition.Name, target.TenantId);
    }

    private async Task PatchAsync(HubSpotTarget target, string objectType, string id, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        var uri = $"{target.BaseUrl.TrimEnd('/')}/crm/v3/objects/{objectType}/{Uri.EscapeDataString(id)}";
        using var response = await SendAsync(target, () => new HttpRequestMessage(HttpMethod.Patch, uri) { Content = JsonContent.Create(new { properties }) }, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            logger.LogDebug("Wrote {Properties} to HubSpot {ObjectType} {Id} of tenant {Tenant}", string.Join(", ", properties.Keys), objectType, id, target.TenantId);
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest && text.Contains("PROPERTY_DOESNT_EXIST", StringComparison.Ordinal))
        {
            // Someone deleted a q2c_ property after we checked: check again on the retry.
            foreach (var key in EnsuredProperties.Keys.Where(k => k.StartsWith($"{target.TenantId}|", StringComparison.Ordinal) && k.EndsWith($"|{objectType}", StringComparison.Ordinal)))
                EnsuredProperties.TryRemove(key, out _);
        }
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CrmWriteBackException($"HubSpot {objectType} {id} of tenant {target.TenantId} does not exist (deleted or merged?): {text}", response.StatusCode);
        throw new CrmWriteBackException($"HubSpot refused the write-back to {objectType} {id} ({(int)response.StatusCode}): {text}", response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HubSpotTarget target, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var maxAttempts = Math.Max(1, Options.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            using var lease = await budget.AcquireAsync(target.AccessToken, HubSpotTraffic.Write, cancellationToken);
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.AccessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
                budget.Observe(target.AccessToken, response);
            }
            catch (HttpRequestException exception) when (attempt < maxAttempts)
            {
                logger.LogWarning("HubSpot write-back request failed in transit ({Error}); retry {Attempt}", exception.Message, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), time, cancellationToken);
                continue;
            }
            if ((response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500) && attempt < maxAttempts)
            {
                var wait = RetryWait(response, attempt);
                logger.LogWarning("HubSpot answered {Status} to the write-back of tenant {Tenant}; waiting {Wait} before retry {Attempt}",
                    (int)response.StatusCode, target.TenantId, wait, attempt);
                response.Dispose();
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }
            return response;
        }
    }

    /// <summary>Retry-After when HubSpot sends it; for a 429 without it, the rolling window HubSpot reports (after it, the window is clear).</summary>
    private TimeSpan RetryWait(HttpResponseMessage response, int attempt)
    {
        TimeSpan wait;
        if (response.Headers.RetryAfter?.Delta is { } delta)
            wait = delta;
        else if (response.Headers.RetryAfter?.Date is { } date)
            wait = date - time.GetUtcNow();
        else if (response.StatusCode == HttpStatusCode.TooManyRequests)
            wait = response.Headers.TryGetValues("X-HubSpot-RateLimit-Interval-Milliseconds", out var values)
                   && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0
                ? TimeSpan.FromMilliseconds(ms)
                : TimeSpan.FromSeconds(10);
        else
            wait = TimeSpan.FromSeconds(attempt);
        if (wait < TimeSpan.FromMilliseconds(100))
            wait = TimeSpan.FromMilliseconds(100);
        return wait > Options.MaxRetryWait ? Options.MaxRetryWait : wait;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
            throw new CrmWriteBackException(Domain.VendorErrorText.Answered("HubSpot", (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken))
                .Replace("HubSpot answered " + (int)response.StatusCode, $"HubSpot answered {(int)response.StatusCode} {what}", StringComparison.Ordinal), response.StatusCode);
    }
}

/// <summary>A custom HubSpot property as the properties API creates it.</summary>
public sealed record HubSpotPropertyDefinition(string Name, string Label, string Type, string FieldType, string Description, IReadOnlyList<string>? Options = null);
