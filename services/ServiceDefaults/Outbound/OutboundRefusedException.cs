namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>
/// A request the outbound policy stopped before any byte left: a host outside the vendor's allow-list, or a host whose
/// addresses, resolved at connect time, are loopback, private, link-local or reserved.
/// </summary>
public sealed class OutboundRefusedException(string vendor, string reason) : HttpRequestException($"{vendor}: {reason}")
{
    public string Vendor { get; } = vendor;

    public string Reason { get; } = reason;
}
