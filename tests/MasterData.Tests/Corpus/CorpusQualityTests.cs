using System.Globalization;
using QuoteToCash.MasterData.Domain.Matching;
using QuoteToCash.MasterData.Infrastructure.Matching;
using QuoteToCash.MasterData.Tests.Infrastructure.Matching;

namespace QuoteToCash.MasterData.Tests.Corpus;

/// <summary>
/// Quality on the labelled corpus through the production path: every record filed under its blocking keys in
/// LiteDB, then each record resolved against the others (keys → candidates → score) at the default threshold.
/// Pairwise: a pair of records is predicted when either finds the other.
/// </summary>
public sealed class CorpusQualityTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryStore _store = new();

    [Fact]
    public async Task Duplicates_are_found_with_the_target_precision_and_recall()
    {
        var cancel = TestContext.Current.CancellationToken;
        var records = CompanyCorpus.Load();
        var finder = new DuplicateFinder(_store.Store);
        await _store.Store.CommitAsync((await finder.IndexAsync(records.Select(r => r.Profile).ToList(), cancel)).Writes, cancel);

        var predicted = new HashSet<(Guid, Guid)>();
        foreach (var record in records)
            foreach (var candidate in await finder.FindCandidatesAsync(record.Profile, MatchingPolicy.Default, cancel))
                predicted.Add(CompanyCorpus.Pair(record.Profile.CustomerId, candidate.CustomerId));

        var truth = CompanyCorpus.TruePairs(records);
        var truePositives = predicted.Count(truth.Contains);
        var precision = predicted.Count == 0 ? 0 : (double)truePositives / predicted.Count;
        var recall = (double)truePositives / truth.Count;

        var byId = records.ToDictionary(r => r.Profile.CustomerId);
        foreach (var (a, b) in predicted.Where(p => !truth.Contains(p)))
            output.WriteLine($"false positive: {Describe(byId[a])} ~ {Describe(byId[b])}");
        foreach (var (a, b) in truth.Where(p => !predicted.Contains(p)))
            output.WriteLine($"missed: {Describe(byId[a])} ~ {Describe(byId[b])}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{records.Count} records, {truth.Count} duplicate pairs; predicted {predicted.Count}, correct {truePositives}: precision {precision:0.000}, recall {recall:0.000}"));

        Assert.True(records.Count >= 300);
        Assert.True(precision >= 0.98, $"precision {precision:0.000}");
        Assert.True(recall >= 0.90, $"recall {recall:0.000}");
    }

    private static string Describe(CorpusRecord record) => $"{record.Id} {record.Profile.Name} [{record.Kind}]";

    public void Dispose() => _store.Dispose();
}
