using System.Text;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Domain;

namespace QuoteToCash.Sandbox.QuickBooks.Infrastructure;

/// <summary>A finished QBO response, kept as bytes so a requestid can replay it exactly.</summary>
public sealed record QboResult(int StatusCode, string ContentType, byte[] Body)
{
    public const string JsonContentType = "application/json;charset=UTF-8";
    public const string XmlContentType = "application/xml;charset=UTF-8";

    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>Writes a <see cref="QboResult"/> with QBO's headers.</summary>
public sealed class QboHttpResult(QboResult result) : IResult
{
    public QboResult Result { get; } = result;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Result.StatusCode;
        httpContext.Response.ContentType = Result.ContentType;
        httpContext.Response.Headers.CacheControl = "max-age=0, no-cache, no-store, must-revalidate, private";
        httpContext.Response.ContentLength = Result.Body.Length;
        await httpContext.Response.Body.WriteAsync(Result.Body, httpContext.RequestAborted);
    }
}

/// <summary>The bodies QBO answers with: entity envelopes, JSON faults, the gateway's auth faults, the XML throttle fault.</summary>
public static class QboResponses
{
    public static QboResult Ok(JsonObject body, QboClock clock)
    {
        body["time"] = clock.ResponseTime();
        return new QboResult(200, QboResult.JsonContentType, Json.Serialize(body));
    }

    public static QboResult Entity(string name, JsonNode entity, QboClock clock)
        => Ok(new JsonObject { [name] = entity }, clock);

    public static JsonObject FaultBody(QboException fault)
    {
        var errors = new JsonArray();
        foreach (var error in fault.Errors)
        {
            errors.Add(new JsonObject
            {
                ["Message"] = error.Message,
                ["Detail"] = error.Detail,
                ["code"] = error.Code,
                ["element"] = error.Element,
            });
        }
        return new JsonObject { ["Error"] = errors, ["type"] = fault.FaultType };
    }

    public static QboResult Fault(QboException fault, QboClock clock)
    {
        var body = new JsonObject { ["Fault"] = FaultBody(fault), ["time"] = clock.ResponseTime() };
        return new QboResult(fault.HttpStatus, QboResult.JsonContentType, Json.Serialize(body));
    }

    /// <summary>401 from Intuit's gateway: the lowercase envelope seen in client-library issues, with code "3200".</summary>
    public static QboResult AuthenticationFailed(string? detail, QboClock clock)
        => GatewayFault(401, "message=AuthenticationFailed; errorCode=003200; statusCode=401", "3200", detail, "AUTHENTICATION", clock);

    /// <summary>403 when the token belongs to another realm.</summary>
    public static QboResult AuthorizationFailed(QboClock clock)
        => GatewayFault(403, "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", "3100", null, "SERVICE", clock);

    private static QboResult GatewayFault(int status, string message, string code, string? detail, string type, QboClock clock)
    {
        var body = new JsonObject
        {
            ["warnings"] = null,
            ["intuitObject"] = null,
            ["fault"] = new JsonObject
            {
                ["error"] = new JsonArray(new JsonObject { ["message"] = message, ["detail"] = detail, ["code"] = code, ["element"] = null }),
                ["type"] = type,
            },
            ["report"] = null,
            ["queryResponse"] = null,
            ["batchItemResponse"] = new JsonArray(),
            ["attachableResponse"] = new JsonArray(),
            ["syncErrorResponse"] = null,
            ["requestId"] = null,
            ["time"] = clock.UtcNow.ToUnixTimeMilliseconds(),
            ["status"] = null,
            ["cdcresponse"] = new JsonArray(),
        };
        return new QboResult(status, QboResult.JsonContentType, Json.Serialize(body));
    }

    /// <summary>HTTP 429, always XML (QBO sends it so even when JSON was asked for), laid out as observed from QBO.</summary>
    public static QboResult Throttled(QboClock clock)
    {
        var text = $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <IntuitResponse time="{clock.ResponseTime()}" xmlns="http://schema.intuit.com/finance/v3">
              <Fault type="SERVICE">
                <Error code="3001">
                  <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
                  <Detail>The request limit was reached.  Try again later</Detail>
                </Error>
              </Fault>
            </IntuitResponse>
            """;
        return new QboResult(429, QboResult.XmlContentType, Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")));
    }

    /// <summary>What fault injection answers instead of processing the request.</summary>
    public static QboResult Injected(int status, QboClock clock)
    {
        if (status == 429)
            return Throttled(clock);
        if (status == 401)
            return AuthenticationFailed("Token expired", clock);
        var fault = new QboException(Faults.System, status, new QboError("10000",
            "An application error has occurred while processing your request",
            $"System Failure Error: injected by the QuickBooks sandbox (HTTP {status})"));
        return Fault(fault, clock);
    }
}
