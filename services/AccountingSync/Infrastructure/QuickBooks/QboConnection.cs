namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public enum QboConnectionStatus
{
    Connected,

    /// <summary>QuickBooks refused the refresh token (revoked, expired, superseded): a person must reconnect the company.</summary>
    NeedsReauthorization,
}

/// <summary>A tenant's QuickBooks company and app credentials. Every secret is stored encrypted (Data Protection).</summary>
public sealed class QboConnection
{
    public const string CollectionName = "qbo-connections";

    public string TenantId { get; set; } = string.Empty;
    /// <summary>"sandbox" or "production" — informational; the base URL decides where calls go.</summary>
    public string Environment { get; set; } = "production";
    public string BaseUrl { get; set; } = string.Empty;
    public string TokenUrl { get; set; } = string.Empty;
    public string RealmId { get; set; } = string.Empty;
    public string ClientId { get; set; } = string.Empty;
    public string ProtectedClientSecret { get; set; } = string.Empty;
    public string ProtectedRefreshToken { get; set; } = string.Empty;
    public string? ProtectedAccessToken { get; set; }
    public DateTime? AccessTokenExpiresAt { get; set; }
    public DateTime? RefreshTokenExpiresAt { get; set; }
    public string? ProtectedVerifierToken { get; set; }
    public QboConnectionStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public int TokenRefreshes { get; set; }
    public DateTime Connected { get; set; }
    public DateTime Updated { get; set; }
}
