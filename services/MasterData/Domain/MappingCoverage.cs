namespace QuoteToCash.MasterData.Domain;

public sealed record CurrencyCoverage(string Currency, decimal WonRevenue, decimal MappedRevenue, decimal DefaultItemRevenue, decimal MappedShare);

public sealed record UnmappedProduct(string ProductKey, string ProductName, string Currency, decimal Revenue, int Deals);

public sealed record CoverageReport(DateTime From, DateTime To, IReadOnlyList<CurrencyCoverage> ByCurrency, int DefaultItemUses,
    IReadOnlyList<UnmappedProduct> TopUnmapped);

/// <summary>How much of the won revenue lands on a deliberate accounting item: per currency, since amounts in different currencies do not add up.</summary>
public static class MappingCoverage
{
    public static CoverageReport Compute(IEnumerable<WonProductLine> lines, IReadOnlySet<string> mappedProducts, DateTime from, DateTime to, int top = 10)
    {
        var window = lines.Where(l => l.WonAt >= from && l.WonAt <= to).ToList();
        var byCurrency = window.GroupBy(l => l.Currency).OrderBy(g => g.Key).Select(g =>
        {
            var won = g.Sum(l => l.Revenue);
            var mapped = g.Where(l => mappedProducts.Contains(l.ProductKey)).Sum(l => l.Revenue);
            var viaDefault = g.Where(l => !mappedProducts.Contains(l.ProductKey) && l.UsedDefaultItem).Sum(l => l.Revenue);
            return new CurrencyCoverage(g.Key, won, mapped, viaDefault, won == 0m ? 1m : Math.Round(mapped / won, 4, MidpointRounding.AwayFromZero));
        }).ToList();
        var unmapped = window.Where(l => !mappedProducts.Contains(l.ProductKey))
            .GroupBy(l => (l.ProductKey, l.Currency))
            .Select(g => new UnmappedProduct(g.Key.ProductKey, g.First().ProductName, g.Key.Currency, g.Sum(l => l.Revenue), g.Select(l => l.FlowId).Distinct().Count()))
            .OrderByDescending(p => p.Revenue).ThenBy(p => p.ProductKey, StringComparer.Ordinal)
            .Take(top)
            .ToList();
        var defaultUses = window.Count(l => l.UsedDefaultItem && !mappedProducts.Contains(l.ProductKey));
        return new CoverageReport(from, to, byCurrency, defaultUses, unmapped);
    }
}
