using System.Text;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>
/// Decides whether an <c>Auth:SigningKey</c> may protect a real installation: not a value that was ever published
/// (repository defaults, the Kubernetes placeholder), not a placeholder text, and not guessable (too few distinct characters
/// or too little estimated entropy). Random keys (<c>openssl rand -base64 48</c>) pass.
/// </summary>
public static class SigningKeyPolicy
{
    /// <summary>Minimum key size in bytes (UTF-8) for HMAC-SHA256.</summary>
    public const int MinimumBytes = 32;

    /// <summary>Minimum estimated entropy of a key, in bits (character frequency × length).</summary>
    public const double MinimumEntropyBits = 128;

    /// <summary>Minimum number of distinct characters in a key.</summary>
    public const int MinimumDistinctCharacters = 8;

    /// <summary>Keys that appeared in this repository's files at some time: anyone can read them.</summary>
    public static readonly IReadOnlyList<string> PublishedKeys =
    [
        "quotetocash-local-dev-signing-key-change-me",
        "CHANGE-ME-to-a-random-signing-key-of-at-least-32-bytes",
    ];

    /// <summary>Fragments that mark a key as an example or placeholder rather than a generated secret.</summary>
    public static readonly IReadOnlyList<string> PlaceholderMarkers =
    [
        "change-me", "changeme", "change_me", "replace-me", "replaceme", "placeholder", "example", "signing-key", "not-a-secret", "insecure",
    ];

    /// <summary>Why the key must not be used outside Development, or null when it is acceptable.</summary>
    public static string? Weakness(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
            return "it is not set";
        if (Encoding.UTF8.GetByteCount(key) < MinimumBytes)
            return $"it is shorter than {MinimumBytes} bytes";
        if (PublishedKeys.Any(k => string.Equals(k, key.Trim(), StringComparison.OrdinalIgnoreCase)))
            return "it is a published default from the repository";
        var marker = PlaceholderMarkers.FirstOrDefault(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));
        if (marker is not null)
            return $"it is a placeholder (contains '{marker}')";
        if (key.Distinct().Count() < MinimumDistinctCharacters)
            return $"it has fewer than {MinimumDistinctCharacters} distinct characters";
        var bits = EstimatedEntropyBits(key);
        if (bits < MinimumEntropyBits)
            return $"its estimated entropy is {bits:0} bits, below {MinimumEntropyBits:0}";
        return null;
    }

    /// <summary>Shannon entropy of the key's characters times its length: an upper bound of its real strength.</summary>
    public static double EstimatedEntropyBits(string key)
    {
        if (key.Length == 0)
            return 0;
        var perCharacter = key.GroupBy(c => c)
            .Select(g => (double)g.Count() / key.Length)
            .Sum(p => -p * Math.Log2(p));
        return perCharacter * key.Length;
    }
}
