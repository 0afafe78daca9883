using System.Text;

namespace QuoteToCash.ServiceDefaults.Validation;

/// <summary>
/// How long an identifier from outside may be. Keys end up in the store's indexes, which refuse keys of about 1,000
/// bytes (LiteDB); an ID is usually combined with a tenant and a source system into one key, so each part stays far
/// below that. Anything longer is refused at the edge, before the store is touched.
/// </summary>
public static class InputLimits
{
    /// <summary>The most characters an identifier (route ID, external ID, product key) may have.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>The most UTF-8 bytes an identifier may take (a 200-character ID of four-byte characters would not fit an index).</summary>
    public const int MaxKeyBytes = 400;

    /// <summary>True when <paramref name="key"/> is short enough for the store's indexes (null and empty are for the caller to judge).</summary>
    public static bool IsStorableKey(string? key) =>
        key is null || (key.Length <= MaxKeyLength && Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes);

    /// <summary>The problem with an identifier that is too long, or null.</summary>
    public static string? KeyProblem(string? key) =>
        IsStorableKey(key) ? null : $"Must be at most {MaxKeyLength} characters ({MaxKeyBytes} bytes in UTF-8).";

    /// <summary>Adds a field error to <paramref name="errors"/> when the identifier is too long; true when it was fine.</summary>
    public static bool CheckKey(IDictionary<string, string[]> errors, string field, string? key)
    {
        if (KeyProblem(key) is not { } problem)
            return true;
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, problem] : [problem];
        return false;
    }
}
