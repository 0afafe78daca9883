namespace QuoteToCash.CrmIngest.Infrastructure.Salesforce;

/// <summary>An error Salesforce answered with (<c>[{"message","errorCode"}]</c>), or an OAuth error.</summary>
public sealed class SalesforceApiException(string message, System.Net.HttpStatusCode statusCode, string? errorCode)
    : HttpRequestException(message, null, statusCode)
{
    public string? ErrorCode { get; } = errorCode;
}
