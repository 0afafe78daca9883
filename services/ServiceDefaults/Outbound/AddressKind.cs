namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>What an IP address is, as far as connecting to it on a tenant's behalf is concerned.</summary>
public enum AddressKind
{
    /// <summary>A public unicast address.</summary>
    Public,

    /// <summary>127.0.0.0/8 or ::1.</summary>
    Loopback,

    /// <summary>RFC 1918, shared (100.64/10), unique-local (fc00::/7) or site-local (fec0::/10).</summary>
    Private,

    /// <summary>169.254.0.0/16 or fe80::/10; the cloud metadata endpoints (169.254.169.254) live here.</summary>
    LinkLocal,

    /// <summary>Unspecified, "this network", multicast, broadcast, documentation, benchmarking and other reserved ranges.</summary>
    Reserved,
}
