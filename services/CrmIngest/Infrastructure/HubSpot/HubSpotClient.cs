using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Infrastructure.HubSpot;

/// <summary>
/// HubSpot's CRM v3 API for one tenant: objects with properties and associations, batch reads, pipelines
/// and properties. Requests are paced per token to the burst limit HubSpot reports (<see cref="HubSpotRateBudget"/>,
/// shared with the write-back), and a 429 is waited out (Retry-After) and retried, so a backfill or a burst of webhooks
/// never loses a read.
/// </summary>
public sealed class HubSpotClient(HttpClient http, HubSpotRateBudget budget, ILogger<HubSpotClient> logger)
{
    /// <summary>The deal properties always read; the tenant's billing fields (<see cref="GetDealAsync(string, string, string, IEnumerable{string}, CancellationToken)"/>) are added to them.</summary>
    public static readonly string[] DealProperties =
    [
        "dealname", "dealstage", "pipeline", "amount", "closedate", "deal_currency_code", "hubspot_owner_id", "description",
        "q2c_business_unit", "q2c_region", DealSegment.HubSpotProperty, .. Domain.CrmBillingFields.HubSpotDefaults.All,
    ];
    public static readonly string[] CompanyProperties = ["name", "domain", "address", "address2", "city", "state", "zip", "country", "q2c_tax_id", "phone"];
    public static readonly string[] ContactProperties = ["firstname", "lastname", "email", "phone", "q2c_billing_contact"];
    public static readonly string[] LineItemProperties =
    [
        "name", "description", "quantity", "price", "hs_product_id", "hs_sku", "hs_discount_percentage", "discount",
        "hs_recurring_billing_period", "hs_recurring_billing_start_date", "hs_recurring_billing_end_date",
    ];

    public Task<HubSpotObject?> GetDealAsync(string baseUrl, string token, string dealId, CancellationToken cancellationToken) =>
        GetDealAsync(baseUrl, token, dealId, [], cancellationToken);

    /// <summary>The deal with its associations, reading <paramref name="billingProperties"/> (the tenant's configured billing fields) as well.</summary>
    public Task<HubSpotObject?> GetDealAsync(string baseUrl, string token, string dealId, IEnumerable<string> billingProperties, CancellationToken cancellationToken) =>
        GetObjectAsync(baseUrl, token, "deals", dealId, DealProperties.Union(billingProperties, StringComparer.Ordinal),
            ["companies", "contacts", "line_items"], cancellationToken);

    public async Task<HubSpotObject?> GetObjectAsync(string baseUrl, string token, string objectType, string id, IEnumerable<string> properties,
        IEnumerable<string> associations, CancellationToken cancellationToken)
    {
        var uri = $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{objectType}/{Uri.EscapeDataString(id)}?properties={string.Join(',', properties)}" +
                  $"&associations={string.Join(',', associations)}";
        using var response = await SendAsync(token, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, cancellationToken);
        return Parse(await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken));
    }

    public async Task<IReadOnlyList<HubSpotObject>> BatchReadAsync(string baseUrl, string token, string objectType, IReadOnlyCollection<string> ids,
        IEnumerable<string> properties, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return [];
        var results = new List<HubSpotObject>();
        foreach (var chunk in ids.Chunk(100))
        {
            var body = new { properties = properties.ToArray(), inputs = chunk.Select(id => new { id }).ToArray() };
            using var response = await SendAsync(token, () => new HttpRequestMessage(HttpMethod.Post, $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{objectType}/batch/read")
            {
                Content = JsonContent.Create(body),
            }, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            results.AddRange(json.GetProperty("results").EnumerateArray().Select(Parse));
        }
        return results;
    }

    /// <summary>One page of objects (up to 100) and the cursor of the next page, or null at the end.</summary>
    public async Task<(IReadOnlyList<HubSpotObject> Items, string? Next)> ListPageAsync(string baseUrl, string token, string objectType, string? after,
        IEnumerable<string> properties, CancellationToken cancellationToken)
    {
        var uri = $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{objectType}?limit=100&properties={string.Join(',', properties)}" +
                  (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
        using var response = await SendAsync(token, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var items = json.GetProperty("results").EnumerateArray().Select(Parse).ToList();
        var next = json.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out var nextPage) &&
                   nextPage.TryGetProperty("after", out var cursor) ? cursor.ToString() : null;
        return (items, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>How many objects of a type exist (the search API's total), for progress and ETA.</summary>
    public async Task<long> CountAsync(string baseUrl, string token, string objectType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(token, () => new HttpRequestMessage(HttpMethod.Post, $"{baseUrl.TrimEnd('/')}/crm/v3/objects/{objectType}/search")
        {
            Content = JsonContent.Create(new { limit = 1, properties = new[] { "hs_object_id" } }),
        }, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return json.TryGetProperty("total", out var total) ? total.GetInt64() : 0;
    }

    /// <summary>Every deal pipeline's stages with their metadata: the billing trigger is decided from these.</summary>
    public async Task<IReadOnlyList<PipelineStage>> GetDealStagesAsync(string baseUrl, string token, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(token, () => new HttpRequestMessage(HttpMethod.Get, $"{baseUrl.TrimEnd('/')}/crm/v3/pipelines/deals"), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var stages = new List<PipelineStage>();
        foreach (var pipeline in json.GetProperty("results").EnumerateArray())
        {
            var pipelineId = pipeline.GetProperty("id").GetString()!;
            foreach (var stage in pipeline.GetProperty("stages").EnumerateArray())
            {
                var metadata = stage.TryGetProperty("metadata", out var m) ? m : default;
                stages.Add(new PipelineStage(pipelineId, stage.GetProperty("id").GetString()!, stage.TryGetProperty("label", out var l) ? l.GetString() ?? "" : "",
                    IsClosed: metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("isClosed", out var closed) && Flag(closed),
                    Probability: metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("probability", out var p) ? Number(p) : null));
            }
        }
        return stages;
    }

    private static bool Flag(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => bool.TryParse(value.GetString(), out var b) && b,
        _ => false,
    };

    private static decimal? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDecimal(),
        JsonValueKind.String when decimal.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static HubSpotObject Parse(JsonElement json)
    {
        var properties = json.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object
            ? props.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())
            : [];
        var associations = new Dictionary<string, IReadOnlyList<string>>();
        if (json.TryGetProperty("associations", out var assoc) && assoc.ValueKind == JsonValueKind.Object)
        {
            foreach (var kind in assoc.EnumerateObject())
            {
                if (kind.Value.TryGetProperty("results", out var results))
                    associations[kind.Name] = results.EnumerateArray().Select(r => r.GetProperty("id").ValueKind == JsonValueKind.Number
                        ? r.GetProperty("id").GetRawText() : r.GetProperty("id").GetString()!).Distinct().ToList();
            }
        }
        return new HubSpotObject(json.GetProperty("id").GetString()!, properties, associations);
    }

    private async Task<HttpResponseMessage> SendAsync(string token, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var lease = await budget.AcquireAsync(token, HubSpotTraffic.Read, cancellationToken);
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
                budget.Observe(token, response);
            }
            catch (HttpRequestException exception) when (attempt < 5)
            {
                logger.LogWarning("HubSpot request failed in transit ({Error}); retry {Attempt}", exception.Message, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
                continue;
            }
            if ((response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500) && attempt < 8)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(response.StatusCode == HttpStatusCode.TooManyRequests ? 10 : attempt);
                logger.LogWarning("HubSpot answered {Status}; waiting {Wait} before retry {Attempt}", (int)response.StatusCode, wait, attempt);
                response.Dispose();
                await Task.Delay(wait, cancellationToken);
                continue;
            }
            return response;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException(Domain.VendorErrorText.Answered("HubSpot", (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)),
                null, response.StatusCode);
    }
}
