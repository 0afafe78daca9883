using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Infrastructure.Salesforce;

/// <summary>
/// Salesforce's REST API (v60.0) for one tenant's org: SOQL with paging, describe, and the reads crm-ingest needs
/// after an Outbound Message (which carries only the Opportunity's own fields). Errors come back as
/// <see cref="SalesforceApiException"/> with Salesforce's errorCode; 429/503 and REQUEST_LIMIT_EXCEEDED are waited
/// out and retried a few times.
/// </summary>
public sealed class SalesforceClient(HttpClient http, SalesforceOrgShapeCache shapes, TimeProvider time, ILogger<SalesforceClient> logger)
{
    public const string ApiVersion = "v60.0";
    private const int MaxAttempts = 5;

    /// <summary>Custom and optional Opportunity fields read when the org has them (describe decides); the tenant's billing fields are added to them.</summary>
    public static readonly string[] OptionalOpportunityFields =
    [
        "CurrencyIsoCode", "Q2C_Business_Unit__c", "Q2C_Region__c", DealSegment.SalesforceField, .. CrmBillingFields.SalesforceDefaults.All,
    ];

    public static readonly string[] OptionalAccountFields = ["Q2C_Tax_Id__c", "ParentId"];

    public static readonly string[] AccountFields =
        ["Name", "BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry", "Website"];

    public static readonly string[] ContactFields = ["Id", "FirstName", "LastName", "Email", "Phone"];

    public static readonly string[] LineItemFields =
        ["Id", "Product2Id", "ProductCode", "Name", "Description", "Quantity", "UnitPrice", "Discount", "ServiceDate", "TotalPrice", "SortOrder"];

    /// <summary>A value as a SOQL string literal: quoted, with backslash, quote and control characters escaped.</summary>
    public static string Literal(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '\\' => @"\\",
                '\'' => @"\'",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\b' => @"\b",
                '\f' => @"\f",
                _ => c.ToString(),
            });
        }
        return builder.Append('\'').ToString();
    }

    /// <summary>Runs a SOQL query and follows nextRecordsUrl until done.</summary>
    public async Task<IReadOnlyList<SalesforceRecord>> QueryAsync(string instanceUrl, string token, string soql, CancellationToken cancellationToken)
    {
        var records = new List<SalesforceRecord>();
        var url = $"{Root(instanceUrl)}/query?q={Uri.EscapeDataString(soql)}";
        while (true)
        {
            var page = await GetJsonAsync(instanceUrl, token, url, cancellationToken)
                ?? throw new SalesforceApiException("Salesforce answered 404 to a query.", HttpStatusCode.NotFound, "NOT_FOUND");
            if (page.TryGetProperty("records", out var rows) && rows.ValueKind == JsonValueKind.Array)
            {
                foreach (var row in rows.EnumerateArray())
                    records.Add(await WithAllChildrenAsync(instanceUrl, token, row, cancellationToken));
            }
            var done = !page.TryGetProperty("done", out var d) || d.ValueKind != JsonValueKind.False;
            if (done || !page.TryGetProperty("nextRecordsUrl", out var next) || next.GetString() is not { Length: > 0 } nextUrl)
                return records;
            url = nextUrl;
        }
    }

    /// <summary>How many records a SOQL <c>SELECT COUNT() FROM …</c> counts (its totalSize).</summary>
    public async Task<long> CountAsync(string instanceUrl, string token, string objectName, CancellationToken cancellationToken)
    {
        var page = await GetJsonAsync(instanceUrl, token, $"{Root(instanceUrl)}/query?q={Uri.EscapeDataString("SELECT COUNT() FROM " + objectName)}", cancellationToken)
            ?? throw new SalesforceApiException("Salesforce answered 404 to a query.", HttpStatusCode.NotFound, "NOT_FOUND");
        return page.TryGetProperty("totalSize", out var total) ? total.GetInt64() : 0;
    }

    /// <summary>
    /// The Opportunity with its Account's name, billing address and website, its line items and its people
    /// (OpportunityContactRoles where the org offers them, else the Account's Contacts). Null when it does not exist.
    /// </summary>
    public Task<SalesforceOpportunity?> GetOpportunityAsync(string instanceUrl, string token, string opportunityId, CancellationToken cancellationToken) =>
        GetOpportunityAsync(instanceUrl, token, opportunityId, [], cancellationToken);

    /// <summary>
    /// The Opportunity as <see cref="GetOpportunityAsync(string, string, string, CancellationToken)"/> reads it, with
    /// <paramref name="billingFields"/> (the tenant's configured billing fields) as well where the org has them.
    /// </summary>
    public async Task<SalesforceOpportunity?> GetOpportunityAsync(string instanceUrl, string token, string opportunityId, IEnumerable<string> billingFields,
        CancellationToken cancellationToken)
    {
        var shape = await ShapeAsync(instanceUrl, token, cancellationToken);
        var fields = new List<string>
        {
            "Id", "Name", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon", "Probability", "AccountId", "Description", "Owner.Email",
        };
        // Only names describe lists reach the query, so a configured name can never change the SOQL's shape.
        fields.AddRange(OptionalOpportunityFields.Union(billingFields, StringComparer.OrdinalIgnoreCase)
            .Where(shape.OpportunityFields.Contains).Where(f => !fields.Contains(f, StringComparer.OrdinalIgnoreCase)).ToList());
        fields.AddRange(AccountFields.Select(f => "Account." + f));
        fields.AddRange(OptionalAccountFields.Where(shape.AccountFields.Contains).Select(f => "Account." + f));
        var soql = $"SELECT {string.Join(", ", fields)}, (SELECT {string.Join(", ", LineItemFields)} FROM OpportunityLineItems ORDER BY SortOrder NULLS LAST, Id) " +
                   $"FROM Opportunity WHERE Id = {Literal(opportunityId)}";
        var opportunity = (await QueryAsync(instanceUrl, token, soql, cancellationToken)).FirstOrDefault();
        if (opportunity is null)
            return null;

        var accountId = opportunity["AccountId"];
        var account = opportunity.Parent("Account");
        if (account is not null && account.Id is null && accountId is not null)
            account = account with { Id = accountId };

        IReadOnlyList<SalesforceRecord> contacts;
        if (shape.HasContactRoles)
            contacts = await ContactRolesAsync(instanceUrl, token, opportunity.Id ?? opportunityId, cancellationToken);
        else
            contacts = accountId is null ? [] : await AccountContactsAsync(instanceUrl, token, accountId, cancellationToken);
        if (contacts.Count == 0 && shape.HasContactRoles && accountId is not null)
            contacts = await AccountContactsAsync(instanceUrl, token, accountId, cancellationToken);

        return new SalesforceOpportunity(opportunity, account, contacts, opportunity.Related("OpportunityLineItems"));
    }

    /// <summary>An Account with its Contacts, for a customer change. Null when it does not exist.</summary>
    public async Task<(SalesforceRecord Account, IReadOnlyList<SalesforceRecord> Contacts)?> GetAccountAsync(string instanceUrl, string token, string accountId,
        CancellationToken cancellationToken)
    {
        var shape = await ShapeAsync(instanceUrl, token, cancellationToken);
        var fields = new List<string> { "Id" };
        fields.AddRange(AccountFields);
        fields.AddRange(OptionalAccountFields.Where(shape.AccountFields.Contains));
        var soql = $"SELECT {string.Join(", ", fields)} FROM Account WHERE Id = {Literal(accountId)}";
        var account = (await QueryAsync(instanceUrl, token, soql, cancellationToken)).FirstOrDefault();
        if (account is null)
            return null;
        return (account, await AccountContactsAsync(instanceUrl, token, account.Id ?? accountId, cancellationToken));
    }

    /// <summary>Every opportunity stage with its won/closed metadata: the billing trigger is decided from these.</summary>
    public async Task<IReadOnlyList<PipelineStage>> GetOpportunityStagesAsync(string instanceUrl, string token, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(instanceUrl, token,
            "SELECT Id, MasterLabel, ApiName, IsActive, IsClosed, IsWon, DefaultProbability, SortOrder FROM OpportunityStage ORDER BY SortOrder", cancellationToken);
        var stages = new List<PipelineStage>();
        foreach (var row in rows)
        {
            var apiName = row["ApiName"] ?? row["MasterLabel"];
            if (string.IsNullOrEmpty(apiName))
                continue;
            var probability = decimal.TryParse(row["DefaultProbability"], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p / 100m : (decimal?)null;
            stages.Add(new PipelineStage(SalesforceDealNormalizer.Pipeline, apiName, row["MasterLabel"] ?? apiName,
                IsClosed: row["IsClosed"] == "true", Probability: probability, IsWon: row["IsWon"] == "true"));
        }
        return stages;
    }

    private async Task<IReadOnlyList<SalesforceRecord>> ContactRolesAsync(string instanceUrl, string token, string opportunityId, CancellationToken cancellationToken)
    {
        var soql = $"SELECT Id, ContactId, Role, IsPrimary, {string.Join(", ", ContactFields.Skip(1).Select(f => "Contact." + f))} " +
                   $"FROM OpportunityContactRole WHERE OpportunityId = {Literal(opportunityId)} ORDER BY IsPrimary DESC, CreatedDate";
        var roles = await QueryAsync(instanceUrl, token, soql, cancellationToken);
        var contacts = new List<SalesforceRecord>();
        foreach (var role in roles)
        {
            var contact = role.Parent("Contact");
            if (contact is null || role["ContactId"] is not { } contactId || contacts.Any(c => c.Id == contactId))
                continue;
            var fields = new Dictionary<string, string?>(contact.Fields, StringComparer.OrdinalIgnoreCase)
            {
                ["Id"] = contactId,
                ["Role"] = role["Role"],
                ["IsPrimary"] = role["IsPrimary"],
            };
            contacts.Add(contact with { Id = contactId, Fields = fields });
        }
        return contacts;
    }

    private Task<IReadOnlyList<SalesforceRecord>> AccountContactsAsync(string instanceUrl, string token, string accountId, CancellationToken cancellationToken) =>
        QueryAsync(instanceUrl, token, $"SELECT {string.Join(", ", ContactFields)} FROM Contact WHERE AccountId = {Literal(accountId)} ORDER BY CreatedDate, Id", cancellationToken);

    /// <summary>Which optional fields and objects this org has, from describe (cached for a few minutes per org and token).</summary>
    private Task<SalesforceOrgShape> ShapeAsync(string instanceUrl, string token, CancellationToken cancellationToken) =>
        shapes.GetOrLoadAsync(instanceUrl.TrimEnd('/') + "|" + token, async ct =>
        {
            var global = await GetJsonAsync(instanceUrl, token, $"{Root(instanceUrl)}/sobjects", ct);
            var objects = global is { } g && g.TryGetProperty("sobjects", out var list)
                ? list.EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            return new SalesforceOrgShape(
                await FieldNamesAsync(instanceUrl, token, "Opportunity", ct),
                await FieldNamesAsync(instanceUrl, token, "Account", ct),
                objects.Contains("OpportunityContactRole"));
        }, cancellationToken);

    private async Task<HashSet<string>> FieldNamesAsync(string instanceUrl, string token, string type, CancellationToken cancellationToken)
    {
        var describe = await GetJsonAsync(instanceUrl, token, $"{Root(instanceUrl)}/sobjects/{type}/describe", cancellationToken);
        return describe is { } d && d.TryGetProperty("fields", out var fields)
            ? fields.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A record whose child relationship result is not done has its further rows fetched from the child's nextRecordsUrl.</summary>
    private async Task<SalesforceRecord> WithAllChildrenAsync(string instanceUrl, string token, JsonElement row, CancellationToken cancellationToken)
    {
        var record = SalesforceRecord.Parse(row);
        Dictionary<string, IReadOnlyList<SalesforceRecord>>? completed = null;
        foreach (var property in row.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object || !property.Value.TryGetProperty("records", out _)
                || !property.Value.TryGetProperty("done", out var done) || done.ValueKind != JsonValueKind.False
                || !property.Value.TryGetProperty("nextRecordsUrl", out var next) || next.GetString() is not { Length: > 0 } nextUrl)
                continue;
            var rows = new List<SalesforceRecord>(record.Related(property.Name));
            var url = nextUrl;
            while (true)
            {
                var page = await GetJsonAsync(instanceUrl, token, url, cancellationToken);
                if (page is not { } p)
                    break;
                if (p.TryGetProperty("records", out var more))
                    rows.AddRange(more.EnumerateArray().Select(SalesforceRecord.Parse));
                if (!p.TryGetProperty("done", out var d) || d.ValueKind != JsonValueKind.False || !p.TryGetProperty("nextRecordsUrl", out var n) || n.GetString() is not { Length: > 0 } u)
                    break;
                url = u;
            }
            completed ??= new Dictionary<string, IReadOnlyList<SalesforceRecord>>(record.Children, StringComparer.OrdinalIgnoreCase);
            completed[property.Name] = rows;
        }
        return completed is null ? record : record with { Children = completed };
    }

    private static string Root(string instanceUrl) => $"{instanceUrl.TrimEnd('/')}/services/data/{ApiVersion}";

    /// <summary>GET with JSON answer; null on 404; other errors as <see cref="SalesforceApiException"/>. Relative URLs (nextRecordsUrl) are resolved against the instance.</summary>
    private async Task<JsonElement?> GetJsonAsync(string instanceUrl, string token, string url, CancellationToken cancellationToken)
    {
        var uri = url.StartsWith('/') ? instanceUrl.TrimEnd('/') + url : url;
        using var response = await SendAsync(token, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw Error(response.StatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(string token, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception) when (attempt < MaxAttempts)
            {
                logger.LogWarning("Salesforce request failed in transit ({Error}); retry {Attempt}", exception.Message, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), time, cancellationToken);
                continue;
            }
            if (attempt < MaxAttempts && await IsThrottledAsync(response, cancellationToken))
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
                if (wait > TimeSpan.FromSeconds(30))
                    wait = TimeSpan.FromSeconds(30);
                logger.LogWarning("Salesforce answered {Status} (limit or unavailable); waiting {Wait} before retry {Attempt}", (int)response.StatusCode, wait, attempt);
                response.Dispose();
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }
            return response;
        }
    }

    private static async Task<bool> IsThrottledAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            return true;
        if (response.StatusCode != HttpStatusCode.Forbidden)
            return false;
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Contains("REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal);
    }

    /// <summary>
    /// Salesforce's error array (or an OAuth error object) as a readable exception: its code, and its message in the words
    /// <see cref="Domain.VendorErrorText"/> keeps (a body that is no Salesforce error is never echoed).
    /// </summary>
    public static SalesforceApiException Error(HttpStatusCode status, string body)
    {
        string? code = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
                code = root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
                    .Select(e => e.TryGetProperty("errorCode", out var c) ? c.GetString() : null).FirstOrDefault(c => c is not null);
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
                code = error.GetString();
        }
        catch (JsonException)
        {
        }
        return new SalesforceApiException(Domain.VendorErrorText.Answered("Salesforce", (int)status, body), status, code);
    }

}
