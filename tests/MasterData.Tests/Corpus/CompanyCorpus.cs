using System.Text;
using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain.Matching;

namespace QuoteToCash.MasterData.Tests.Corpus;

/// <summary>One labelled record of Corpus/companies.csv: records with the same group are the same company.</summary>
public sealed record CorpusRecord(string Id, string Group, string Kind, MatchProfile Profile);

/// <summary>
/// The labelled corpus: fictitious companies as CRMs hold them, with duplicate groups (suffix variants, typos,
/// "&amp;"/"and", a missing or extra "The", abbreviations, accents) and look-alikes that are not duplicates
/// (sister companies, subsidiaries abroad, one name in several countries, firms on free-mail addresses).
/// </summary>
public static class CompanyCorpus
{
    public const string Tenant = "corpus";

    public static IReadOnlyList<CorpusRecord> Load(string? path = null)
    {
        var lines = File.ReadAllLines(path ?? Path.Combine(AppContext.BaseDirectory, "Corpus", "companies.csv"));
        var header = ParseLine(lines[0]);
        int Column(string name) => Array.IndexOf(header, name);
        var records = new List<CorpusRecord>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = ParseLine(line);
            string? Field(string name) => fields[Column(name)] is { Length: > 0 } value ? value : null;
            var id = Field("id")!;
            var profile = MatchProfile.Of(new MatchSubject
            {
                TenantId = Tenant,
                CustomerId = new Guid(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(id))),
                LegalName = Field("legal_name")!,
                DisplayName = Field("display_name"),
                Domain = Field("domain"),
                ContactEmails = [Field("email")],
                TaxId = Field("tax_id"),
                BillingAddress = new PostalAddress
                {
                    Line1 = Field("line1"), City = Field("city"), PostalCode = Field("postal_code"), Country = Field("country"),
                },
            });
            records.Add(new CorpusRecord(id, Field("group")!, Field("kind")!, profile));
        }
        return records;
    }

    /// <summary>Unordered pairs of records that are the same company.</summary>
    public static HashSet<(Guid, Guid)> TruePairs(IReadOnlyList<CorpusRecord> records) =>
        records.GroupBy(r => r.Group)
            .SelectMany(g => g.SelectMany(a => g.Where(b => a.Profile.CustomerId.CompareTo(b.Profile.CustomerId) < 0)
                .Select(b => (a.Profile.CustomerId, b.Profile.CustomerId))))
            .ToHashSet();

    public static (Guid, Guid) Pair(Guid a, Guid b) => a.CompareTo(b) < 0 ? (a, b) : (b, a);

    private static string[] ParseLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString());
        return [.. fields];
    }
}
