using System.Security.Cryptography;
using System.Text;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// The per-connection secret of a tenant's Salesforce Outbound Message endpoint. Salesforce neither signs Outbound
/// Messages nor lets the admin add headers, but the endpoint URL is free: the secret travels as the <c>token</c> query
/// parameter of <c>/webhooks/salesforce/{tenant}?token=…</c>. Only its SHA-256 is stored, so it is shown once, when it
/// is issued; presenting it is compared in constant time. Pure.
/// </summary>
public static class OutboundMessageToken
{
    /// <summary>The query parameter that carries the token.</summary>
    public const string QueryParameter = "token";

    /// <summary>A new token: 32 random bytes, Base64url without padding (43 characters, safe in a URL as is).</summary>
    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored instead of the token: Base64 of its SHA-256.</summary>
    public static string Hash(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="presented"/> is the token whose hash is <paramref name="storedHash"/>, in time independent of where they differ.</summary>
    public static bool Matches(string? presented, string? storedHash)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(storedHash) || presented.Length > 256)
            return false;
        byte[] expected;
        try
        {
            expected = Convert.FromBase64String(storedHash);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
    }

    /// <summary>The endpoint path and query an admin enters as the Outbound Message's endpoint URL (after the public host).</summary>
    public static string EndpointPath(string tenant, string token) => $"/webhooks/salesforce/{Uri.EscapeDataString(tenant)}?{QueryParameter}={token}";
}
