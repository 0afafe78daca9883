using System.Net;

namespace QuoteToCash.AccountingSync.Domain;

/// <summary>What kind of QuickBooks failure this is, as the platform acts on it.</summary>
public enum QboErrorKind
{
    /// <summary>429, or the legacy 403 with code 3001: wait and retry; never a failure of the operation.</summary>
    Throttled,

    /// <summary>Token missing, expired or revoked (401, codes 100, 3200, 3100, 120).</summary>
    Authentication,

    /// <summary>The request breaks a business or validation rule; retrying the same request cannot succeed.</summary>
    Validation,

    /// <summary>6240: the DisplayName is used by another customer, vendor or employee (inactive ones too).</summary>
    DuplicateName,

    /// <summary>6140: the document number is taken.</summary>
    DuplicateDocumentNumber,

    /// <summary>6200 or 6210: the transaction is dated on or before the company's closing date.</summary>
    ClosedPeriod,

    /// <summary>5010: the object changed since it was read; re-read and re-apply.</summary>
    StaleObject,

    /// <summary>610 or 404: the object does not exist or is inactive.</summary>
    NotFound,

    /// <summary>5xx, timeouts, dropped connections: the same request (same requestid) may be retried.</summary>
    Transient,
}

public sealed record QboErrorDetail(string Code, string Message, string? Detail, string? Element);

/// <summary>A QuickBooks fault in the platform's taxonomy.</summary>
public sealed class QboException(QboErrorKind kind, HttpStatusCode? status, IReadOnlyList<QboErrorDetail> errors, string? faultType, Exception? inner = null)
    : Exception(Describe(kind, status, errors), inner)
{
    public QboErrorKind Kind { get; } = kind;
    public HttpStatusCode? Status { get; } = status;
    public IReadOnlyList<QboErrorDetail> Errors { get; } = errors;
    public string? FaultType { get; } = faultType;
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the same request may be sent again (with the same requestid).</summary>
    public bool IsRetryable => Kind is QboErrorKind.Throttled or QboErrorKind.Transient or QboErrorKind.StaleObject;

    /// <summary>The realm's authorisation expired or was revoked: its work waits for a reconnection rather than failing.</summary>
    public bool NeedsReauthorization => Kind == QboErrorKind.Authentication && FirstCode == "reauthorization-required";

    public string? FirstCode => Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>Whether any error names <paramref name="word"/> in its element, detail or message (e.g. which reference QuickBooks refused).</summary>
    public bool Mentions(string word) =>
        Errors.Any(e => (e.Element ?? string.Empty).Contains(word, StringComparison.OrdinalIgnoreCase) ||
                        (e.Detail ?? string.Empty).Contains(word, StringComparison.OrdinalIgnoreCase) ||
                        e.Message.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static string Describe(QboErrorKind kind, HttpStatusCode? status, IReadOnlyList<QboErrorDetail> errors) =>
        $"QuickBooks {kind}{(status is null ? "" : $" (HTTP {(int)status})")}: " +
        (errors.Count == 0 ? "no fault detail" : string.Join("; ", errors.Select(e => $"{e.Code} {e.Message}{(e.Detail is null ? "" : " — " + e.Detail)}")));
}
