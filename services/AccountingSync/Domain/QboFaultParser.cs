using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace QuoteToCash.AccountingSync.Domain;

/// <summary>Parses QuickBooks fault bodies, JSON or XML, into <see cref="QboException"/>. Pure.</summary>
public static class QboFaultParser
{
    private static readonly XNamespace Ns = "http://schema.intuit.com/finance/v3";

    public static QboException FromResponse(HttpStatusCode status, string? body, TimeSpan? retryAfter = null)
    {
        var (faultType, errors) = Parse(body);
        return new QboException(Classify(status, errors), status, errors, faultType) { RetryAfter = retryAfter };
    }

    /// <summary>A fault inside an HTTP 200 (batch items, or a 200 carrying a Fault element).</summary>
    public static QboException FromFault(JsonElement fault)
    {
        var (faultType, errors) = ParseJsonFault(fault);
        return new QboException(Classify(null, errors), null, errors, faultType);
    }

    public static QboErrorKind Classify(HttpStatusCode? status, IReadOnlyList<QboErrorDetail> errors)
    {
        var codes = errors.Select(e => e.Code.TrimStart('0')).ToHashSet();
        bool Has(params string[] any) => any.Any(codes.Contains);
        if (status == HttpStatusCode.TooManyRequests || Has("3001"))
            return QboErrorKind.Throttled;
        if (status == HttpStatusCode.Unauthorized || Has("100", "3200", "3100", "120"))
            return QboErrorKind.Authentication;
        if (Has("5010"))
            return QboErrorKind.StaleObject;
        if (Has("6240"))
            return QboErrorKind.DuplicateName;
        if (Has("6140"))
            return QboErrorKind.DuplicateDocumentNumber;
        // Intuit lists 6200 (closed) and 6210 (closed with a password); older answers carried the words under other codes.
        if (Has("6200", "6210") || errors.Any(e => e.Message.Contains("Account Period Closed", StringComparison.OrdinalIgnoreCase)
                                                  || (e.Detail ?? string.Empty).Contains("account period has closed", StringComparison.OrdinalIgnoreCase)))
            return QboErrorKind.ClosedPeriod;
        if (Has("610") || status == HttpStatusCode.NotFound)
            return QboErrorKind.NotFound;
        if (status is { } s && ((int)s >= 500 || s == HttpStatusCode.RequestTimeout))
            return QboErrorKind.Transient;
        if (status == HttpStatusCode.Forbidden)
            return QboErrorKind.Authentication;
        return QboErrorKind.Validation;
    }

    private static (string? Type, List<QboErrorDetail> Errors) Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return (null, []);
        var trimmed = body.TrimStart();
        try
        {
            if (trimmed.StartsWith('<'))
                return ParseXml(trimmed);
            using var document = JsonDocument.Parse(trimmed);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Fault", out var fault))
                return ParseJsonFault(fault);
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var oauthError))
                return (null, [new QboErrorDetail(oauthError.GetString() ?? "error", root.TryGetProperty("error_description", out var d) ? d.GetString() ?? "" : "", null, null)]);
        }
        catch (Exception exception) when (exception is JsonException or System.Xml.XmlException)
        {
        }
        return (null, [new QboErrorDetail("unparsed", body.Length > 500 ? body[..500] : body, null, null)]);
    }

    private static (string? Type, List<QboErrorDetail> Errors) ParseJsonFault(JsonElement fault)
    {
        var type = fault.TryGetProperty("type", out var t) ? t.GetString() : null;
        var errors = new List<QboErrorDetail>();
        if (fault.TryGetProperty("Error", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in list.EnumerateArray())
            {
                var code = error.TryGetProperty("code", out var c)
                    ? c.ValueKind == JsonValueKind.Number ? c.GetInt32().ToString(CultureInfo.InvariantCulture) : c.GetString() ?? ""
                    : "";
                errors.Add(new QboErrorDetail(code, Text(error, "Message") ?? "", Text(error, "Detail"), Text(error, "element")));
            }
        }
        return (type, errors);
    }

    private static (string? Type, List<QboErrorDetail> Errors) ParseXml(string body)
    {
        var document = XDocument.Parse(body);
        var fault = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Fault");
        if (fault is null)
            return (null, []);
        var errors = fault.Elements().Where(e => e.Name.LocalName == "Error").Select(e => new QboErrorDetail(
            e.Attribute("code")?.Value ?? "",
            e.Elements().FirstOrDefault(x => x.Name.LocalName == "Message")?.Value ?? "",
            e.Elements().FirstOrDefault(x => x.Name.LocalName == "Detail")?.Value,
            e.Attribute("element")?.Value)).ToList();
        return (fault.Attribute("type")?.Value, errors);
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
