namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>
/// Where the services may connect on a tenant's behalf (section <c>Connections</c>). The defaults are the production
/// ones: only the vendors' own hosts, over HTTPS, never a loopback, private, link-local or otherwise reserved address.
/// Local runs and tests that talk to the sandboxes on 127.0.0.1 set <see cref="AllowLoopback"/>.
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "Connections";

    /// <summary>
    /// Host patterns per vendor (<see cref="OutboundVendors"/>): an exact host (<c>oauth.platform.intuit.com</c>) or a
    /// wildcard for any subdomain (<c>*.intuit.com</c>, which does not match <c>intuit.com</c> itself). A vendor with no
    /// entry here uses <see cref="OutboundVendors.DefaultHosts"/>.
    /// </summary>
    public Dictionary<string, List<string>> AllowedHosts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Allows loopback addresses (127.0.0.0/8, ::1, <c>localhost</c>), over HTTP too: local runs and tests only.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Allows private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), over HTTP too: a self-hosted lab only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Hosts reached through <see cref="AllowedHosts"/> must be HTTPS.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>How long opening a TCP connection (and the address check before it) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a whole OAuth token request may take before the caller gets a 504.</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The patterns that apply to <paramref name="vendor"/>: the configured ones, or the vendor's defaults.</summary>
    public IReadOnlyList<string> HostsFor(string vendor) =>
        AllowedHosts.TryGetValue(vendor, out var configured) && configured.Any(p => !string.IsNullOrWhiteSpace(p))
            ? configured.Where(p => !string.IsNullOrWhiteSpace(p)).ToList()
            : OutboundVendors.DefaultHosts(vendor);
}
