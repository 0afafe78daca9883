namespace QuoteToCash.WebApp.Extensions;

/// <summary>Bound from <c>WebApp</c>. Where the gateway is, how users sign in, and where the session keys live.</summary>
public sealed class WebAppOptions
{
    public const string Section = "WebApp";

    /// <summary>The gateway every API call goes through (with the signed-in user's token), e.g. <c>http://gateway:8080</c>.</summary>
    public Uri GatewayUrl { get; set; } = new("http://127.0.0.1:8080");

    /// <summary>The tenant shown after sign-in to a user who may act for every tenant ("*"); others see their first tenant.</summary>
    public string? DefaultTenant { get; set; }

    /// <summary>
    /// Where the Data Protection keys that encrypt the session cookie are kept. Every replica must share it (a volume),
    /// or a user signed in on one replica is signed out on the next. Empty: in memory, so a restart signs everyone out.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>How long one API call may take before the page shows the service as not answering.</summary>
    public int ApiTimeoutSeconds { get; set; } = 15;

    /// <summary>Sign-in through an OpenID Connect provider instead of the gateway's local issuer (when Authority is set).</summary>
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>Addresses of the records in the CRMs and in QuickBooks, shown on a flow.</summary>
    public LinkOptions Links { get; set; } = new();

    public sealed class OidcOptions
    {
        /// <summary>The identity provider (the same authority the gateway's <c>Auth:Authority</c> trusts).</summary>
        public string? Authority { get; set; }

        public string? ClientId { get; set; }

        public string? ClientSecret { get; set; }

        /// <summary>Scopes beyond openid and profile, e.g. the API scope whose access token carries the role and tenants claims.</summary>
        public List<string> Scopes { get; set; } = [];

        public bool RequireHttpsMetadata { get; set; } = true;

        public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
    }

    /// <summary>Templates with <c>{id}</c> (and <c>{tenant}</c>) for the record's address in its own system.</summary>
    public sealed class LinkOptions
    {
        public string HubSpotDeal { get; set; } = "https://app.hubspot.com/contacts/{portal}/record/0-3/{id}";

        public string SalesforceOpportunity { get; set; } = "https://login.salesforce.com/{id}";

        public string QuickBooksInvoice { get; set; } = "https://app.qbo.intuit.com/app/invoice?txnId={id}";

        /// <summary>HubSpot's account ID per tenant, for <c>{portal}</c> in <see cref="HubSpotDeal"/>.</summary>
        public Dictionary<string, string> HubSpotPortals { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
