using System.Security.Cryptography;
using System.Text;

namespace QuoteToCash.Sandbox.HubSpot.Domain;

/// <summary>HubSpot's webhook request signatures.</summary>
public static class WebhookSignature
{
    /// <summary>v1: hex SHA-256 of clientSecret + body.</summary>
    public static string V1(string clientSecret, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret + body)));

    /// <summary>v3: base64 HMAC-SHA256, keyed with the client secret, of method + URI + body + timestamp (epoch ms).</summary>
    public static string V3(string clientSecret, string method, string uri, string body, long timestampMs) =>
        Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(clientSecret),
            Encoding.UTF8.GetBytes(method + uri + body + timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture))));
}
