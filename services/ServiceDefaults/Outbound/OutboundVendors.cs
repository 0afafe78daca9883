namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>The vendors the services connect to on a tenant's behalf, and the hosts each one uses in production.</summary>
public static class OutboundVendors
{
    public const string QuickBooks = "QuickBooks";
    public const string HubSpot = "HubSpot";
    public const string Salesforce = "Salesforce";

    /// <summary>
    /// QuickBooks Online: the OAuth token endpoint (<c>oauth.platform.intuit.com</c>) and the API hosts
    /// (<c>quickbooks.api.intuit.com</c>, <c>sandbox-quickbooks.api.intuit.com</c>). HubSpot: <c>api.hubapi.com</c>.
    /// Salesforce: My Domain instances (<c>acme.my.salesforce.com</c>) and login hosts (<c>login.salesforce.com</c>).
    /// An unknown vendor has none, so nothing is reachable for it until configured.
    /// </summary>
    public static IReadOnlyList<string> DefaultHosts(string vendor) => vendor.ToUpperInvariant() switch
    {
        "QUICKBOOKS" => ["oauth.platform.intuit.com", "*.intuit.com"],
        "HUBSPOT" => ["api.hubapi.com"],
        "SALESFORCE" => ["*.my.salesforce.com", "*.salesforce.com"],
        _ => [],
    };
}
