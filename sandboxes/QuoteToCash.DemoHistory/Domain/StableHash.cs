using System.Text;

namespace QuoteToCash.DemoHistory.Domain;

/// <summary>A seed for <see cref="Random"/> from text that is the same in every process (string.GetHashCode is not): FNV-1a over UTF-8.</summary>
public static class StableHash
{
    public static int Of(params object[] parts)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(string.Join('|', parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture)))))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash & 0x7FFFFFFF);
    }
}
