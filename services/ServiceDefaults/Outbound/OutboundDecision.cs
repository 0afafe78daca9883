namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>Whether a URL may be called for a vendor; when not, <see cref="Reason"/> says why in words an administrator can act on.</summary>
public sealed record OutboundDecision(bool Allowed, Uri? Uri, string? Reason)
{
    public static OutboundDecision Allow(Uri uri) => new(true, uri, null);

    public static OutboundDecision Refuse(string reason, Uri? uri = null) => new(false, uri, reason);
}
