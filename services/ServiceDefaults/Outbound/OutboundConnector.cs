using System.Net;
using System.Net.Sockets;

namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>
/// Opens the TCP connections of a vendor's HTTP client: resolves the host itself and checks every address it gets with
/// <see cref="OutboundPolicy.CheckAddress"/> before connecting, so a permitted name that resolves to a forbidden address
/// (DNS rebinding, a hostile record under a wildcard) is refused at the moment it would be used.
/// </summary>
public static class OutboundConnector
{
    /// <summary>The primary handler for a vendor's client: the checked connect, no proxy, no redirects, a short connect timeout.</summary>
    public static SocketsHttpHandler CreateHandler(OutboundPolicy policy, string vendor) => new()
    {
        // A redirect would lead the request to a host nobody checked against the allow-list.
        AllowAutoRedirect = false,
        // Through a proxy the connect callback would see the proxy's address, not the vendor's.
        UseProxy = false,
        ConnectTimeout = policy.Options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, vendor, context.DnsEndPoint, cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(OutboundPolicy policy, string vendor, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
            throw new OutboundRefusedException(vendor, $"'{host}' has no address.");
        // One forbidden address in the answer is enough to distrust the whole answer.
        foreach (var address in addresses)
        {
            if (policy.CheckAddress(address) is { } refusal)
                throw new OutboundRefusedException(vendor, $"'{host}' resolves to {address}: {refusal}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
