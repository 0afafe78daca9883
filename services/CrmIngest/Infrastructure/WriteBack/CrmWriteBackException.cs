namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>A CRM refused a write-back for a reason a plain retry may not fix (missing field, unknown record); the message says what to do.</summary>
public sealed class CrmWriteBackException(string message, System.Net.HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public System.Net.HttpStatusCode? Status { get; } = status;
}
