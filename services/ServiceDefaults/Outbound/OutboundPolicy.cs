using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>
/// The one place that decides where the services may connect on a tenant's behalf: <see cref="CheckUrl"/> when a
/// URL is given (the host against the vendor's allow-list, the scheme, an IP literal's kind), <see cref="CheckAsync"/>
/// adds the host's current DNS answer, and <see cref="CheckAddress"/> is applied again to every address at connect time
/// (<see cref="OutboundConnector"/>), so a name that resolves differently later still cannot reach a forbidden address.
/// </summary>
public sealed class OutboundPolicy(IOptionsMonitor<OutboundOptions> options)
{
    public OutboundOptions Options => options.CurrentValue;

    /// <summary>Checks a URL without any network access.</summary>
    public OutboundDecision CheckUrl(string vendor, string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return OutboundDecision.Refuse("It must be an absolute http or https URL.");
        return CheckUri(vendor, uri);
    }

    /// <summary>Checks a URI without any network access.</summary>
    public OutboundDecision CheckUri(string vendor, Uri uri)
    {
        var current = Options;
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https"))
            return OutboundDecision.Refuse("It must be an absolute http or https URL.", uri);
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return OutboundDecision.Refuse("A URL must not carry a user name or password.", uri);

        var host = NormalizeHost(uri);
        if (IPAddress.TryParse(host, out var literal))
        {
            var refusal = CheckAddress(literal);
            if (refusal is not null)
                return OutboundDecision.Refuse(refusal, uri);
            var kind = OutboundAddresses.Classify(literal);
            // An address the operator allowed as a class (loopback, private) is a lab; a public literal must be listed.
            if (kind != AddressKind.Public || MatchesAllowList(current.HostsFor(vendor), host))
                return SchemeAllowed(uri, kind != AddressKind.Public, current);
            return OutboundDecision.Refuse($"'{host}' is not one of the {vendor} hosts this installation allows.", uri);
        }

        if (current.AllowLoopback && IsLocalhostName(host))
            return OutboundDecision.Allow(uri);
        if (!MatchesAllowList(current.HostsFor(vendor), host))
            return OutboundDecision.Refuse($"'{host}' is not one of the {vendor} hosts this installation allows.", uri);
        return SchemeAllowed(uri, lab: false, current);
    }

    /// <summary>
    /// <see cref="CheckUrl"/>, then the addresses the host resolves to now. A host that does not resolve is not refused
    /// here: the connect-time check applies whenever it does.
    /// </summary>
    public async Task<OutboundDecision> CheckAsync(string vendor, string? url, CancellationToken cancellationToken)
    {
        var decision = CheckUrl(vendor, url);
        if (!decision.Allowed || decision.Uri is null || IPAddress.TryParse(NormalizeHost(decision.Uri), out _))
            return decision;
        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.ConnectTimeout);
            addresses = await Dns.GetHostAddressesAsync(NormalizeHost(decision.Uri), timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return decision;
        }
        foreach (var address in addresses)
        {
            if (CheckAddress(address) is { } refusal)
                return OutboundDecision.Refuse($"'{decision.Uri.Host}' resolves to {address}: {refusal}", decision.Uri);
        }
        return decision;
    }

    /// <summary>Null when the address may be connected to; otherwise why not.</summary>
    public string? CheckAddress(IPAddress address) => OutboundAddresses.Classify(address) switch
    {
        AddressKind.Public => null,
        AddressKind.Loopback when Options.AllowLoopback => null,
        AddressKind.Private when Options.AllowPrivateNetworks => null,
        AddressKind.Loopback => "loopback addresses are not allowed.",
        AddressKind.Private => "private network addresses are not allowed.",
        AddressKind.LinkLocal => "link-local addresses (such as the cloud metadata service) are never allowed.",
        _ => "reserved, multicast and unspecified addresses are never allowed.",
    };

    /// <summary>Whether <paramref name="host"/> matches one of the patterns: exactly, or as a subdomain of a <c>*.</c> pattern.</summary>
    public static bool MatchesAllowList(IEnumerable<string> patterns, string host)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim().TrimEnd('.').ToLowerInvariant();
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                if (host.Length > pattern.Length - 1 && host.EndsWith(pattern[1..], StringComparison.Ordinal))
                    return true;
            }
            else if (pattern.Length > 0 && host == pattern)
            {
                return true;
            }
        }
        return false;
    }

    internal static string NormalizeHost(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost;
        return host.TrimEnd('.').ToLowerInvariant();
    }

    private static bool IsLocalhostName(string host) => host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);

    private static OutboundDecision SchemeAllowed(Uri uri, bool lab, OutboundOptions current) =>
        uri.Scheme == "https" || lab || !current.RequireHttps
            ? OutboundDecision.Allow(uri)
            : OutboundDecision.Refuse("It must be an https URL.", uri);
}
