using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Apis;

/// <summary>A tenant's CRM connection (HubSpot or Salesforce). Secrets go in, never out.</summary>
public static class CrmConnectionApi
{
    public static IEndpointRouteBuilder MapCrmConnectionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/crm/{tenant}").RequireTenantAccess().WithTags("CRM connection");
        api.MapGet("/connection", Get);
        api.MapPut("/connection", Put).RequireAuthorization(Policies.Admin);
        api.MapDelete("/connection", Delete).RequireAuthorization(Policies.Admin);
        return app;
    }

    public sealed record ConnectionRequest
    {
        public string? Kind { get; init; }
        public string? BaseUrl { get; init; }
        public string? AccessToken { get; init; }
        public string? ClientSecret { get; init; }
        public string? AppId { get; init; }
        public string? PortalId { get; init; }
        public string? OrganizationId { get; init; }
        public string? PublicWebhookUrl { get; init; }
        public string? IntegrationUserId { get; init; }
        public List<string>? BillingTriggerStages { get; init; }
    }

    public sealed record ConnectionView(string TenantId, string Kind, string BaseUrl, string? AppId, string? PortalId, string? OrganizationId,
        string? PublicWebhookUrl, string? IntegrationUserId, IReadOnlyList<string> BillingTriggerStages, bool HasClientSecret, DateTime Connected, DateTime Updated);

    public static ConnectionView View(CrmConnection c) => new(c.TenantId, c.Kind, c.BaseUrl, c.AppId, c.PortalId, c.OrganizationId, c.PublicWebhookUrl,
        c.IntegrationUserId, c.BillingTriggerStages, c.ProtectedClientSecret is not null, c.Connected, c.Updated);

    public static async Task<Results<Ok<ConnectionView>, ProblemHttpResult>> Get(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var document = await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(tenant, cancellationToken);
        return document is null
            ? ApiProblems.NotFound("Not connected", $"Tenant '{tenant}' has no CRM connection yet.")
            : TypedResults.Ok(View(document.Value));
    }

    /// <summary>
    /// Stores the connection once its base URL passes the outbound policy (<see cref="OutboundPolicy"/>): a host on the
    /// CRM's allow-list, never a loopback, private or link-local address. A refused URL is a 400 and stores nothing.
    /// </summary>
    public static async Task<Results<Ok<ConnectionView>, ValidationProblem>> Put(string tenant, ConnectionRequest request, IDocumentStore store,
        IDataProtectionProvider dataProtection, OutboundPolicy outbound, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (kind is not ("hubspot" or "salesforce"))
            errors["kind"] = ["Use 'hubspot' or 'salesforce'."];
        if (!Uri.TryCreate(request.BaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            errors["baseUrl"] = ["The CRM's API base URL (HubSpot) or instance URL (Salesforce) is required."];
        if (string.IsNullOrWhiteSpace(request.AccessToken))
            errors["accessToken"] = ["An access token (HubSpot private-app token, Salesforce session) is required."];
        if (kind == "hubspot" && string.IsNullOrWhiteSpace(request.ClientSecret))
            errors["clientSecret"] = ["HubSpot signs webhooks with the app's client secret; it is required."];
        if (kind == "salesforce" && (request.OrganizationId is null || request.OrganizationId.Trim().Length is not (15 or 18)))
            errors["organizationId"] = ["The Salesforce organization ID (15 or 18 characters) is required."];
        if (request.PublicWebhookUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            errors["publicWebhookUrl"] = ["An absolute URL, exactly as the CRM calls it."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The CRM connection is incomplete");
        var decision = await outbound.CheckAsync(VendorOf(kind!), request.BaseUrl, cancellationToken);
        if (!decision.Allowed)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["baseUrl"] = [decision.Reason!] },
                title: "The CRM connection points somewhere it may not");

        var protector = dataProtection.CreateProtector(CrmConnection.ProtectorPurpose);
        var existing = await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(tenant, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var connection = new CrmConnection
        {
            TenantId = tenant,
            Kind = kind!,
            BaseUrl = request.BaseUrl!.TrimEnd('/'),
            ProtectedAccessToken = protector.Protect(request.AccessToken!),
            ProtectedClientSecret = string.IsNullOrEmpty(request.ClientSecret) ? null : protector.Protect(request.ClientSecret),
            AppId = request.AppId,
            PortalId = request.PortalId,
            OrganizationId = request.OrganizationId?.Trim(),
            PublicWebhookUrl = string.IsNullOrWhiteSpace(request.PublicWebhookUrl) ? null : request.PublicWebhookUrl,
            IntegrationUserId = request.IntegrationUserId,
            BillingTriggerStages = request.BillingTriggerStages ?? [],
            Connected = existing?.Value.Connected ?? now,
            Updated = now,
        };
        await store.CommitAsync([DocumentWrite.Upsert(CrmConnection.CollectionName, tenant, connection)], cancellationToken);
        return TypedResults.Ok(View(connection));
    }

    /// <summary>The outbound policy's vendor for a connection kind ("hubspot" or "salesforce").</summary>
    public static string VendorOf(string kind) => kind == "salesforce" ? OutboundVendors.Salesforce : OutboundVendors.HubSpot;

    public static async Task<NoContent> Delete(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(CrmConnection.CollectionName, tenant, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }
}
