using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>
/// Problem+json answers for calls to a vendor that went wrong. None of them carries what the vendor sent: remote bodies
/// are logged where they were read, and the caller gets the status and what to do about it.
/// </summary>
public static class OutboundProblems
{
    /// <summary>400: the policy would not connect (host not allowed, forbidden address at connect time).</summary>
    public static ProblemHttpResult Refused(OutboundRefusedException exception) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"The {exception.Vendor} address is not allowed",
            detail: exception.Reason);

    /// <summary>
    /// A 4xx from the vendor is a 400 (what the caller gave was refused); a failure or an unusable success is a 502 (the
    /// vendor, not the caller, is at fault). <paramref name="refusedHint"/> tells the caller what to check after a refusal.
    /// </summary>
    public static ProblemHttpResult Answer(OutboundAnswerException exception, string refusedHint) => exception.Kind switch
    {
        OutboundAnswerKind.Refused => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
            title: $"{exception.Vendor} refused the {exception.Operation}",
            detail: $"{exception.Vendor} answered HTTP {(int)exception.Status}. {refusedHint}"),
        OutboundAnswerKind.Unusable => TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway,
            title: $"{exception.Vendor} gave an unusable answer to the {exception.Operation}",
            detail: $"The answer (HTTP {(int)exception.Status}) did not have the shape {exception.Vendor} documents, so nothing was stored. " +
                    "Check that the URL is the vendor's endpoint and try again."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway,
            title: $"{exception.Vendor} failed the {exception.Operation}",
            detail: $"{exception.Vendor} answered HTTP {(int)exception.Status}; nothing was stored. Try again later."),
    };

    /// <summary>502: the vendor could not be reached (connection refused, TLS failure, DNS).</summary>
    public static ProblemHttpResult Unreachable(string vendor, string operation) =>
        TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: $"{vendor} could not be reached for the {operation}",
            detail: "The connection failed; nothing was stored. Check the URL and try again later.");

    /// <summary>504: the vendor did not answer in time.</summary>
    public static ProblemHttpResult TimedOut(string vendor, string operation, TimeSpan timeout) =>
        TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: $"{vendor} did not answer the {operation} in time",
            detail: $"No answer within {timeout.TotalSeconds:0.#} s; nothing was stored. Try again later.");

    /// <summary>Whether an exception from <see cref="HttpClient"/> is its own timeout rather than the caller giving up.</summary>
    public static bool IsTimeout(Exception exception, CancellationToken callerToken) =>
        exception is TaskCanceledException or TimeoutException && !callerToken.IsCancellationRequested;

    /// <summary>A remote body shortened for a log line.</summary>
    public static string ForLog(string? body, int limit = 2000) =>
        body is null ? "" : body.Length <= limit ? body : body[..limit] + "…";
}
