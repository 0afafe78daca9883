namespace QuoteToCash.Sandbox.Salesforce.Domain;

/// <summary>Salesforce record ids: a 3-character key prefix, 12 more characters, and the 3-character case checksum of the 18-character form.</summary>
public static class SalesforceId
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>An 18-character id for the n-th record with this key prefix.</summary>
    public static string Create(string keyPrefix, long sequence)
    {
        var digits = new char[10];
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = Base62[(int)(sequence % 62)];
            sequence /= 62;
        }
        return To18(keyPrefix + "Q2" + new string(digits));
    }

    /// <summary>Adds the case-checksum suffix to a 15-character id.</summary>
    public static string To18(string id15)
    {
        var suffix = new char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var flags = 0;
            for (var i = 0; i < 5; i++)
            {
                var c = id15[(chunk * 5) + i];
                if (c is >= 'A' and <= 'Z')
                    flags |= 1 << i;
            }
            suffix[chunk] = SuffixAlphabet[flags];
        }
        return id15 + new string(suffix);
    }

    /// <summary>Accepts a 15- or 18-character id and returns the 18-character form, or null if it is not a well-formed id.</summary>
    public static string? Normalize(string? id)
    {
        if (id is null || (id.Length != 15 && id.Length != 18) || !id.All(char.IsAsciiLetterOrDigit))
            return null;
        var full = To18(id[..15]);
        return id.Length == 18 && !string.Equals(full[15..], id[15..], StringComparison.OrdinalIgnoreCase) ? null : full;
    }
}
