using QuoteToCash.AccountingSync.Domain.Reconciliation;

namespace QuoteToCash.AccountingSync.Tests.Reconciliation;

public class IdPagesTests
{
    [Fact]
    public void Ids_go_in_pages_of_at_most_a_thousand()
    {
        var ids = Enumerable.Range(1, 2_345).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var pages = IdPages.Split(ids, 1000, int.MaxValue);

        Assert.Equal([1000, 1000, 345], pages.Select(p => p.Count));
        Assert.Equal("1001", pages[1][0]);
    }

    [Fact]
    public void A_page_also_stops_before_its_query_text_grows_too_long()
    {
        var ids = Enumerable.Range(100_000, 1_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var perId = Uri.EscapeDataString("'100000', ").Length;

        var pages = IdPages.Split(ids, 1000, 6000);

        Assert.All(pages, p => Assert.True(p.Count * perId <= 6000));
        Assert.Equal(ids, pages.SelectMany(p => p));
        Assert.Equal(6000 / perId, pages[0].Count);
    }

    [Fact]
    public void Repeated_ids_are_asked_for_once_and_no_ids_make_no_pages()
    {
        Assert.Equal([["7", "8"]], IdPages.Split(["7", "8", "7"], 1000, 6000));
        Assert.Empty(IdPages.Split([], 1000, 6000));
    }
}
