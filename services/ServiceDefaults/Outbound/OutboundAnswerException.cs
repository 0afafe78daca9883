using System.Net;

namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>
/// A vendor's answer that cannot be used. It carries the status only: the remote body is logged where the answer was
/// read and never travels further, so nothing a remote server says is echoed to a caller.
/// </summary>
public sealed class OutboundAnswerException(string vendor, string operation, OutboundAnswerKind kind, HttpStatusCode status)
    : Exception($"{vendor} {operation}: {kind} answer (HTTP {(int)status}).")
{
    public string Vendor { get; } = vendor;

    /// <summary>What was asked, e.g. "token exchange".</summary>
    public string Operation { get; } = operation;

    public OutboundAnswerKind Kind { get; } = kind;

    public HttpStatusCode Status { get; } = status;

    /// <summary>The kind an answer of this status is, when it is not a success.</summary>
    public static OutboundAnswerKind KindOf(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 ? OutboundAnswerKind.Refused : OutboundAnswerKind.Failed;
}
