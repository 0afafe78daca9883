namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>
/// Checks every request of a vendor's client against <see cref="OutboundPolicy.CheckUri"/> before it is sent, so a URL
/// stored before the policy existed, or built from a stored base URL, cannot reach a host outside the allow-list.
/// </summary>
public sealed class OutboundPolicyHandler(OutboundPolicy policy, string vendor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is null)
            throw new OutboundRefusedException(vendor, "A request needs an absolute URL.");
        var decision = policy.CheckUri(vendor, request.RequestUri);
        if (!decision.Allowed)
            throw new OutboundRefusedException(vendor, decision.Reason!);
        return base.SendAsync(request, cancellationToken);
    }
}
