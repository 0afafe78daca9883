using System.Net;

namespace QuoteToCash.WebApp.Gateway;

/// <summary>A problem+json answer (RFC 7807) as the pages show it: the title, the detail and any field errors.</summary>
public sealed record ApiProblem(string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static readonly ApiProblem None = new(null, null, new Dictionary<string, string[]>());
}

/// <summary>
/// One call to a service through the gateway: its value, or what went wrong in words a finance user can act on, naming
/// the service. A page shows the failure where the data would have been and still shows the rest.
/// </summary>
public sealed record ApiResult<T>(T? Value, HttpStatusCode? Status, ApiProblem Problem, string Service)
{
    public bool Ok => Status is { } s && (int)s is >= 200 and < 300 && Value is not null;

    /// <summary>True when the service (or the gateway) did not answer: unreachable, timed out, 502/503/504.</summary>
    public bool ServiceDown => Status is null or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public bool Forbidden => Status == HttpStatusCode.Forbidden;

    public bool NotFound => Status == HttpStatusCode.NotFound;

    /// <summary>What happened, in plain words (used as the failure's heading).</summary>
    public string Headline => Status switch
    {
        null or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable => $"{Service} is not answering",
        HttpStatusCode.GatewayTimeout => $"{Service} did not answer in time",
        HttpStatusCode.Forbidden when Problem.Title == "Segregation of duties" => "Segregation of duties: someone else must decide this",
        HttpStatusCode.Forbidden => "Your role does not allow this",
        HttpStatusCode.NotFound => Problem.Title ?? "Not found",
        HttpStatusCode.Conflict => Problem.Title ?? "This cannot be done now",
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => Problem.Title ?? "Some values need correcting",
        HttpStatusCode.TooManyRequests => "Too many requests: wait a few seconds and try again",
        _ => Problem.Title ?? $"{Service} answered with an error ({(int)Status.Value})",
    };

    /// <summary>The service's own explanation, or what to do next when it gave none.</summary>
    public string Explanation => Status switch
    {
        null => Problem.Detail ?? $"The gateway could not reach {Service}. The rest of the page still works; try again in a minute.",
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
            $"The gateway could not get an answer from {Service}. The rest of the page still works; try again in a minute, and check /health/ready if it lasts.",
        HttpStatusCode.Forbidden => Problem.Detail ?? "Ask an administrator for a role that may do this.",
        _ => Problem.Detail ?? string.Empty,
    };

    /// <summary>Every field error as "field: message" lines.</summary>
    public IEnumerable<string> FieldErrors => Problem.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"));
}
