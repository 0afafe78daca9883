using CsCheck;
using QuoteToCash.MasterData.Domain.Matching;

namespace QuoteToCash.MasterData.Tests.Domain.Matching;

/// <summary>Properties of normalization and scoring that must hold for any input, not only the examples.</summary>
public class NormalizationProperties
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzäöüéèçñøß";
    private static readonly string[] Suffixes = ["Inc", "Inc.", "LLC", "L.L.C.", "Ltd", "Limited", "GmbH", "S.A.", "Pty Ltd", "plc", "Corp.", "AG", "B.V."];

    private static readonly Gen<string> Word =
        Gen.Int[0, Letters.Length - 1].Array[3, 9].Select(ix => new string(ix.Select(i => Letters[i]).ToArray()))
            .Where(w => w is not "the" and not "and" && CompanyName.Normalize("qq " + w) == "qq " + CompanyName.Normalize(w));

    /// <summary>Company-like names: one to four words, none of them a legal form, an abbreviation, "the" or "and".</summary>
    private static readonly Gen<string> Name = Word.Array[1, 4].Select(words => string.Join(' ', words));

    private static readonly Gen<string> AnyText = Gen.String;

    private static readonly Gen<MatchProfile> Profile =
        Gen.Select(Name, Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 2], (name, domain, tax, street, country) =>
            Profiles.Of(name,
                domain: domain == 0 ? null : $"https://www.{name.Split(' ')[0]}{domain}.com",
                email: domain == 3 ? "ap@gmail.com" : null,
                taxId: tax == 0 ? null : $"GB {100000000 + name.Length * 7919 + tax}",
                street: street == 0 ? null : $"{street} High Street",
                postalCode: street == 0 ? null : "LS1 4AP",
                country: country switch { 0 => null, 1 => "GB", _ => "DE" }));

    [Fact]
    public void Normalizing_twice_changes_nothing() =>
        AnyText.Sample(text => CompanyName.Normalize(CompanyName.Normalize(text)) == CompanyName.Normalize(text));

    [Fact]
    public void Normalizing_names_twice_changes_nothing() =>
        Gen.Select(Name, Gen.OneOf(Suffixes), Gen.Bool).Sample(t =>
        {
            var name = (t.Item3 ? "The " : string.Empty) + t.Item1 + " & " + t.Item1 + " " + t.Item2;
            return CompanyName.Normalize(CompanyName.Normalize(name)) == CompanyName.Normalize(name);
        });

    [Fact]
    public void Case_does_not_matter() =>
        Gen.Select(Name, Gen.Bool.Array[40]).Sample(t =>
        {
            var mixed = new string(t.Item1.Select((c, i) => t.Item2[i % 40] ? char.ToUpperInvariant(c) : c).ToArray());
            return CompanyName.Normalize(mixed) == CompanyName.Normalize(t.Item1);
        });

    [Fact]
    public void Whitespace_between_words_does_not_matter() =>
        Gen.Select(Name, Gen.OneOf(" ", "  ", "\t", " \u00A0 ", "\n")).Sample(t =>
            CompanyName.Normalize("  " + t.Item1.Replace(" ", t.Item2, StringComparison.Ordinal) + t.Item2) == CompanyName.Normalize(t.Item1));

    [Fact]
    public void Punctuation_around_words_does_not_matter() =>
        Gen.Select(Name, Gen.OneOf(",", ".", ";", " -", "!", ")", " /")).Sample(t =>
            CompanyName.Normalize("(" + t.Item1.Replace(" ", t.Item2 + " ", StringComparison.Ordinal) + t.Item2) == CompanyName.Normalize(t.Item1));

    [Fact]
    public void Legal_forms_and_a_leading_the_do_not_matter() =>
        Gen.Select(Name, Gen.OneOf(Suffixes), Gen.Bool).Sample(t =>
            CompanyName.Normalize((t.Item3 ? "The " : string.Empty) + t.Item1 + " " + t.Item2) == CompanyName.Normalize(t.Item1));

    [Fact]
    public void Ampersand_and_and_are_the_same() =>
        Gen.Select(Name, Name).Sample(t =>
            CompanyName.Normalize(t.Item1 + " & " + t.Item2) == CompanyName.Normalize(t.Item1 + " and " + t.Item2));

    [Fact]
    public void Normalized_names_are_lower_case_words_separated_by_single_spaces() =>
        AnyText.Sample(text =>
        {
            var normalized = CompanyName.Normalize(text);
            return !normalized.Contains("  ", StringComparison.Ordinal) && normalized.Trim() == normalized &&
                   normalized.All(c => c == ' ' || char.IsLetterOrDigit(c)) && normalized == normalized.ToLowerInvariant();
        });

    [Fact]
    public void Email_domain_normalization_is_idempotent() =>
        Gen.Select(Word, Gen.OneOf("com", "co.uk", "de", "com.au"), Gen.OneOf("", "www.", "mail.", "https://")).Sample(t =>
        {
            var domain = EmailDomains.Normalize($"{t.Item3}{t.Item1}.{t.Item2}");
            return domain is null || EmailDomains.Normalize(domain) == domain;
        });

    [Fact]
    public void The_score_is_symmetric() =>
        Gen.Select(Profile, Profile).Sample(t =>
        {
            var policy = MatchingPolicy.Default;
            var forward = DuplicateScorer.Score(t.Item1, t.Item2, policy);
            var backward = DuplicateScorer.Score(t.Item2, t.Item1, policy);
            return forward.Score == backward.Score && forward.Reasons.SequenceEqual(backward.Reasons);
        });

    [Fact]
    public void The_score_is_between_zero_and_one() =>
        Gen.Select(Profile, Profile).Sample(t => DuplicateScorer.Score(t.Item1, t.Item2, MatchingPolicy.Default).Score is >= 0 and <= 1);

    [Fact]
    public void A_record_always_matches_itself() =>
        Profile.Sample(p => DuplicateScorer.Score(p, p, MatchingPolicy.Default).Score >= MatchingPolicy.Default.ReviewThreshold);

    [Fact]
    public void A_record_always_shares_blocking_keys_with_a_case_and_suffix_variant_of_itself() =>
        Gen.Select(Name, Gen.OneOf(Suffixes)).Sample(t =>
            BlockingKeys.For(Profiles.Of(t.Item1)).Intersect(BlockingKeys.For(Profiles.Of(t.Item1.ToUpperInvariant() + " " + t.Item2))).Any());
}
