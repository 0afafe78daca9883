using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QuoteToCash.CrmIngest.Domain;

public enum SignatureVerdict
{
    Valid,
    Missing,
    Stale,
    Invalid,
}

/// <summary>
/// HubSpot's v3 request signature: Base64 HMAC-SHA256, keyed with the app's client secret, over
/// method + the public URI HubSpot called + the raw body + the millisecond timestamp header. Requests
/// older than five minutes are refused. The legacy v1 (SHA-256 of secret + body) and v2 (SHA-256 of secret + method +
/// URI + body) hex signatures in <c>X-HubSpot-Signature</c> have no timestamp, so a captured request can be replayed: the
/// intake checks them only for a connection that opted in, when a request carries no v3 headers. Pure.
/// </summary>
public static class HubSpotSignature
{
    public const string SignatureHeader = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";
    public const string LegacySignatureHeader = "X-HubSpot-Signature";
    public const string LegacyVersionHeader = "X-HubSpot-Signature-Version";
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>The v1 or v2 signature: lower-case hex SHA-256; null for any other version.</summary>
    public static string? ComputeLegacy(string version, string clientSecret, string method, string uri, ReadOnlySpan<byte> body)
    {
        var prefix = version switch
        {
            "v1" => Encoding.UTF8.GetBytes(clientSecret),
            "v2" => Encoding.UTF8.GetBytes(clientSecret + method + uri),
            _ => null,
        };
        if (prefix is null)
            return null;
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(SHA256.HashData(message));
    }

    public static SignatureVerdict VerifyLegacy(string clientSecret, string? version, string method, string uri, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(version))
            return SignatureVerdict.Missing;
        var expected = ComputeLegacy(version.Trim().ToLowerInvariant(), clientSecret, method, uri, body);
        if (expected is null)
            return SignatureVerdict.Invalid;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant()))
            ? SignatureVerdict.Valid
            : SignatureVerdict.Invalid;
    }

    public static string Compute(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        var prefix = Encoding.UTF8.GetBytes(method + uri);
        var suffix = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[prefix.Length + body.Length + suffix.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        suffix.CopyTo(message, prefix.Length + body.Length);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), message));
    }

    public static SignatureVerdict Verify(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string? timestamp, string? signature,
        DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
            return SignatureVerdict.Missing;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
            return SignatureVerdict.Invalid;
        var sent = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        if (now - sent > MaxAge || sent - now > MaxAge)
            return SignatureVerdict.Stale;
        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return SignatureVerdict.Invalid;
        }
        var expected = Convert.FromBase64String(Compute(clientSecret, method, uri, body, timestamp));
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureVerdict.Valid : SignatureVerdict.Invalid;
    }
}
