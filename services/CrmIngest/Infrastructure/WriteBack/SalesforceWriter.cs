using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>One tenant's Salesforce org as the write-back addresses it.</summary>
public sealed record SalesforceTarget(string TenantId, string InstanceUrl, string AccessToken);

/// <summary>
/// Writes invoice facts to Salesforce Opportunities (Q2C_Invoice_Number__c, Q2C_Invoice_Status__c, Q2C_Balance_Due__c,
/// Q2C_Paid_Date__c) and the standing to Accounts (Q2C_Account_Standing__c) with PATCH /sobjects/{type}/{id}.
/// <para>
/// The first write that meets 400 INVALID_FIELD declares the object's Q2C fields through the Tooling API
/// (<c>POST /tooling/sobjects/CustomField</c>: Text(40), Text(40), Currency(16,2), Date on Opportunity; Text(40) on Account),
/// treats DUPLICATE_DEVELOPER_NAME as already there, and retries the write once. When the integration user may not
/// declare fields (no "Customize Application"), or the fields exist but are hidden from it by field-level security, the
/// write-back fails with a <see cref="CrmWriteBackException"/> that names the fields and what the admin must do; the
/// message is retried, then parked in the error queue for redelivery, never dropped.
/// </para>
/// </summary>
public sealed class SalesforceWriter(HttpClient http, IOptions<WriteBackOptions> options, ILogger<SalesforceWriter> logger)
{
    public const string ApiVersion = "v60.0";
    public const string InvoiceNumber = "Q2C_Invoice_Number__c";
    public const string InvoiceStatus = "Q2C_Invoice_Status__c";
    public const string BalanceDue = "Q2C_Balance_Due__c";
    public const string PaidDate = "Q2C_Paid_Date__c";
    public const string AccountStanding = "Q2C_Account_Standing__c";

    private static readonly ConcurrentDictionary<string, ConcurrencyLimiter> Limiters = new();

    /// <summary>The custom fields the write-back needs, per object, as Tooling API metadata.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Name, object Metadata)>> CustomFields =
        new Dictionary<string, IReadOnlyList<(string, object)>>
        {
            ["Opportunity"] =
            [
                (InvoiceNumber, new { label = "Q2C Invoice Number", type = "Text", length = 40 }),
                (InvoiceStatus, new { label = "Q2C Invoice Status", type = "Text", length = 40 }),
                (BalanceDue, new { label = "Q2C Balance Due", type = "Currency", precision = 16, scale = 2 }),
                (PaidDate, new { label = "Q2C Paid Date", type = "Date" }),
            ],
            ["Account"] =
            [
                (AccountStanding, new { label = "Q2C Account Standing", type = "Text", length = 40 }),
            ],
        };

    public Task UpdateOpportunityAsync(SalesforceTarget target, string opportunityId, InvoiceWriteBack update, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, object>();
        if (update.InvoiceNumber is not null)
            fields[InvoiceNumber] = update.InvoiceNumber;
        if (update.Status is not null)
            fields[InvoiceStatus] = WriteBackValues.Canonical(WriteBackValues.InvoiceStatuses, update.Status)
                ?? throw new ArgumentException($"'{update.Status}' is not an invoice status.", nameof(update));
        if (update.BalanceDue is { } balance)
            fields[BalanceDue] = balance;
        if (update.PaidDate is { } paid)
            fields[PaidDate] = paid.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return fields.Count == 0 ? Task.CompletedTask : PatchAsync(target, "Opportunity", opportunityId, fields, cancellationToken);
    }

    public Task UpdateAccountStandingAsync(SalesforceTarget target, string accountId, string standing, CancellationToken cancellationToken)
    {
        var value = WriteBackValues.Canonical(WriteBackValues.Standings, standing)
            ?? throw new ArgumentException($"'{standing}' is not an account standing.", nameof(standing));
        return PatchAsync(target, "Account", accountId, new Dictionary<string, object> { [AccountStanding] = value }, cancellationToken);
    }

    private async Task PatchAsync(SalesforceTarget target, string sObject, string id, IReadOnlyDictionary<string, object> fields, CancellationToken cancellationToken)
    {
        var limiter = Limiters.GetOrAdd(target.InstanceUrl + "|" + target.AccessToken, _ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.SalesforceConcurrency),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        var uri = $"{target.InstanceUrl.TrimEnd('/')}/services/data/{ApiVersion}/sobjects/{sObject}/{Uri.EscapeDataString(id)}";
        var maxAttempts = Math.Max(1, options.Value.MaxAttempts);
        var fieldsDeclared = false;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            using (await limiter.AcquireAsync(1, cancellationToken))
            {
                using var request = NewRequest(HttpMethod.Patch, uri, target, fields);
                try
                {
                    response = await http.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException exception) when (attempt < maxAttempts)
                {
                    logger.LogWarning("Salesforce write-back request failed in transit ({Error}); retry {Attempt}", exception.Message, attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
                    continue;
                }
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    logger.LogDebug("Wrote {Fields} to Salesforce {SObject} {Id} of tenant {Tenant}", string.Join(", ", fields.Keys), sObject, id, target.TenantId);
                    return;
                }
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                // 503 (server busy) and 403 REQUEST_LIMIT_EXCEEDED (API limit) pass; wait and try again.
                var transient = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                                || (response.StatusCode == HttpStatusCode.Forbidden && text.Contains("REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal));
                if (transient && attempt < maxAttempts)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Min(attempt * 2, options.Value.MaxRetryWait.TotalSeconds));
                    logger.LogWarning("Salesforce answered {Status} to the write-back of tenant {Tenant}; waiting {Wait} before retry {Attempt}", (int)response.StatusCode, target.TenantId, wait, attempt);
                    await Task.Delay(wait, cancellationToken);
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.BadRequest && text.Contains("INVALID_FIELD", StringComparison.Ordinal))
                {
                    if (!fieldsDeclared)
                    {
                        fieldsDeclared = true;
                        var declared = await DeclareFieldsAsync(target, sObject, cancellationToken);
                        if (declared is null)
                        {
                            attempt--;
                            continue;
                        }
                        text += " Declaring the fields failed: " + declared;
                    }
                    throw new CrmWriteBackException(
                        $"Salesforce {sObject} of tenant {target.TenantId} lacks a write-back field ({string.Join(", ", fields.Keys)}); create the custom fields in the org " +
                        $"(Setup → Object Manager → {sObject}), make them visible to the integration user, and redeliver the message. Salesforce said: {text}", response.StatusCode);
                }
                if (response.StatusCode == HttpStatusCode.NotFound)
                    throw new CrmWriteBackException($"Salesforce {sObject} {id} of tenant {target.TenantId} does not exist (deleted?): {text}", response.StatusCode);
                throw new CrmWriteBackException($"Salesforce refused the write-back to {sObject} {id} ({(int)response.StatusCode}): {text}", response.StatusCode);
            }
        }
    }

    /// <summary>
    /// Declares the object's write-back fields through the Tooling API. Returns null when every field now exists
    /// (created, or already there), else what Salesforce answered.
    /// </summary>
    private async Task<string?> DeclareFieldsAsync(SalesforceTarget target, string sObject, CancellationToken cancellationToken)
    {
        if (!CustomFields.TryGetValue(sObject, out var wanted))
            return $"no write-back fields are defined for {sObject}";
        var uri = $"{target.InstanceUrl.TrimEnd('/')}/services/data/{ApiVersion}/tooling/sobjects/CustomField";
        foreach (var (name, metadata) in wanted)
        {
            using var request = NewRequest(HttpMethod.Post, uri, target, new Dictionary<string, object> { ["FullName"] = $"{sObject}.{name}", ["Metadata"] = metadata });
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                logger.LogInformation("Declared Salesforce custom field {SObject}.{Field} for tenant {Tenant}", sObject, name, target.TenantId);
                continue;
            }
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Contains("DUPLICATE_DEVELOPER_NAME", StringComparison.Ordinal))
                continue;
            logger.LogWarning("Salesforce refused to declare {SObject}.{Field} for tenant {Tenant} ({Status}): {Answer}", sObject, name, target.TenantId, (int)response.StatusCode, text);
            return $"{name}: {(int)response.StatusCode} {text}";
        }
        return null;
    }

    /// <summary>A JSON request to the org as the platform's integration user.</summary>
    private static HttpRequestMessage NewRequest(HttpMethod method, string uri, SalesforceTarget target, object body)
    {
        var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("Sforce-Call-Options", "client=quotetocash-crm-ingest");
        return request;
    }
}
