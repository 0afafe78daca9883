namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>What was wrong with a vendor's answer.</summary>
public enum OutboundAnswerKind
{
    /// <summary>A 4xx: the vendor refused what it was given (a code, a token, a client secret).</summary>
    Refused,

    /// <summary>A 5xx or another unexpected status: the vendor failed.</summary>
    Failed,

    /// <summary>A success status whose body is not what the vendor documents (not JSON, no tokens).</summary>
    Unusable,
}
