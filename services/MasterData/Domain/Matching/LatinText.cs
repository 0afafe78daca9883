using System.Text;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>
/// Case and accent folding to plain lower-case ASCII where a Latin letter has an obvious base letter.
/// The service runs with invariant globalization, where <see cref="string.Normalize()"/> is not available,
/// so the Latin-1 and Latin Extended-A letters that European company names use are folded from a table.
/// </summary>
internal static class LatinText
{
    // Latin-1 Supplement (U+00C0..U+00FF) and Latin Extended-A (U+0100..U+017F), one entry per code point.
    private static readonly string[] Latin1 =
    [
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
    ];

    private const string ExtendedA =
        "aaaaaacccccccc" + "dddd" + "eeeeeeeeee" + "gggggggg" + "hhhh" + "iiiiiiiiii" + "\u0001\u0001" + "jj" + "kkk" +
        "llllllllll" + "nnnnnnnnn" + "oooooo" + "\u0002\u0002" + "rrrrrr" + "ssssssss" + "tttttt" + "uuuuuuuuuuuu" + "ww" + "yyy" +
        "zzzzzz" + "s";

    /// <summary>Appends the folded form of <paramref name="c"/>: lower case, accents removed; combining marks vanish.</summary>
    public static void AppendFolded(StringBuilder builder, char c)
    {
        if (c < 0x80)
        {
            builder.Append(char.ToLowerInvariant(c));
            return;
        }
        if (c is >= '\u0300' and <= '\u036F')
            return;
        if (c is >= '\u00C0' and <= '\u00FF')
        {
            builder.Append(Latin1[c - 0xC0]);
            return;
        }
        if (c is >= '\u0100' and <= '\u017F')
        {
            var folded = ExtendedA[c - 0x100];
            builder.Append(folded switch { '\u0001' => "ij", '\u0002' => "oe", _ => folded.ToString() });
            return;
        }
        builder.Append(c switch
        {
            '\u0218' or '\u0219' => 's',
            '\u021A' or '\u021B' => 't',
            _ => char.ToLowerInvariant(c),
        });
    }

    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            AppendFolded(builder, c);
        return builder.ToString();
    }
}
