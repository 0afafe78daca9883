using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.CrmIngest.Domain;
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
        api.MapPost("/connection/outbound-message-token", RotateOutboundMessageToken).RequireAuthorization(Policies.Admin);
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
        /// <summary>HubSpot: accept the legacy, replayable v1/v2 signatures too (default false: v3 only).</summary>
        public bool? AllowLegacySignatures { get; init; }
    }

    public sealed record ConnectionView(string TenantId, string Kind, string BaseUrl, string? AppId, string? PortalId, string? OrganizationId,
        string? PublicWebhookUrl, string? IntegrationUserId, IReadOnlyList<string> BillingTriggerStages, bool HasClientSecret, DateTime Connected, DateTime Updated)
    {
        /// <summary>Salesforce: whether an Outbound Message endpoint token was issued (and when).</summary>
        public DateTime? OutboundMessageTokenIssued { get; init; }

        /// <summary>HubSpot: whether legacy v1/v2 signatures are accepted besides v3.</summary>
        public bool AllowLegacySignatures { get; init; }

        /// <summary>
        /// Salesforce, only in the answer that issued a new token: the path and query to enter as the Outbound Message's
        /// endpoint URL after the public host (<c>/webhooks/salesforce/{tenant}?token=…</c>). It is never shown again.
        /// </summary>
        public string? OutboundMessageUrl { get; init; }
    }

    /// <summary>A newly issued Outbound Message endpoint token, shown this once; the previous one stops working at once.</summary>
    public sealed record OutboundMessageTokenView(string TenantId, string Token, string OutboundMessageUrl, DateTime Issued);

    public static ConnectionView View(CrmConnection c) => new(c.TenantId, c.Kind, c.BaseUrl, c.AppId, c.PortalId, c.OrganizationId, c.PublicWebhookUrl,
        c.IntegrationUserId, c.BillingTriggerStages, c.ProtectedClientSecret is not null, c.Connected, c.Updated)
    {
        OutboundMessageTokenIssued = c.OutboundMessageTokenIssued,
        AllowLegacySignatures = c.AllowLegacySignatures,
    };

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
        // A Salesforce connection keeps its Outbound Message token across updates (the org's endpoint URL holds it);
        // a new connection, or one that had none, gets one, shown in this answer only.
        var keptToken = kind == "salesforce" && existing?.Value is { Kind: "salesforce", OutboundMessageTokenHash: not null } previous ? previous : null;
        var newToken = kind == "salesforce" && keptToken is null ? OutboundMessageToken.Generate() : null;
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
            AllowLegacySignatures = kind == "hubspot" && request.AllowLegacySignatures == true,
            OutboundMessageTokenHash = newToken is not null ? OutboundMessageToken.Hash(newToken) : keptToken?.OutboundMessageTokenHash,
            OutboundMessageTokenIssued = newToken is not null ? now : keptToken?.OutboundMessageTokenIssued,
            Connected = existing?.Value.Connected ?? now,
            Updated = now,
        };
        await store.CommitAsync([DocumentWrite.Upsert(CrmConnection.CollectionName, tenant, connection)], cancellationToken);
        return TypedResults.Ok(View(connection) with { OutboundMessageUrl = newToken is null ? null : OutboundMessageToken.EndpointPath(tenant, newToken) });
    }

    /// <summary>
    /// Issues a new Outbound Message endpoint token for a Salesforce connection and shows it once; the old one is refused
    /// from now on, so the org's endpoint URL must be changed to the new one.
    /// </summary>
    public static async Task<Results<Ok<OutboundMessageTokenView>, ProblemHttpResult>> RotateOutboundMessageToken(string tenant, IDocumentStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var document = await store.Collection<CrmConnection>(CrmConnection.CollectionName).GetAsync(tenant, cancellationToken);
        if (document?.Value is not { Kind: "salesforce" } connection)
            return ApiProblems.NotFound("Not connected to Salesforce", $"Tenant '{tenant}' has no Salesforce connection, so it has no Outbound Message endpoint.");
        var token = OutboundMessageToken.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        connection.OutboundMessageTokenHash = OutboundMessageToken.Hash(token);
        connection.OutboundMessageTokenIssued = now;
        connection.Updated = now;
        await store.CommitAsync([DocumentWrite.Replace(CrmConnection.CollectionName, tenant, connection, document.Version)], cancellationToken);
        return TypedResults.Ok(new OutboundMessageTokenView(tenant, token, OutboundMessageToken.EndpointPath(tenant, token), now));
    }

    /// <summary>The outbound policy's vendor for a connection kind ("hubspot" or "salesforce").</summary>
    public static string VendorOf(string kind) => kind == "salesforce" ? OutboundVendors.Salesforce : OutboundVendors.HubSpot;

    public static async Task<NoContent> Delete(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(CrmConnection.CollectionName, tenant, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }
}
