using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.Domain;

public class QboQueryTests
{
    [Fact]
    public void Apostrophes_and_backslashes_are_escaped_with_a_backslash()
    {
        Assert.Equal(@"Bill\'s Windsurf Shop", QboQuery.Escape("Bill's Windsurf Shop"));
        Assert.Equal(@"C:\\Temp\\", QboQuery.Escape(@"C:\Temp\"));
        Assert.Equal("O’Brien", QboQuery.Escape("O’Brien"));
    }

    [Fact]
    public void A_query_reads_like_quickbooks_expects()
    {
        var query = QboQuery.From("Customer")
            .Where("DisplayName", "=", "Adam's Candy Shop")
            .Where("Active", "=", true)
            .OrderBy("MetaData.LastUpdatedTime", descending: true)
            .Page(1001, 1000);

        Assert.Equal(@"SELECT * FROM Customer WHERE DisplayName = 'Adam\'s Candy Shop' AND Active = true ORDERBY MetaData.LastUpdatedTime DESC STARTPOSITION 1001 MAXRESULTS 1000",
            query.ToString());
    }

    [Fact]
    public void In_lists_and_counts()
    {
        Assert.Equal("SELECT * FROM Invoice WHERE Id IN ('1', '2', '3')", QboQuery.From("Invoice").In("Id", ["1", "2", "3"]).ToString());
        Assert.Equal("SELECT COUNT(*) FROM Invoice WHERE TotalAmt > 100.50", QboQuery.Count("Invoice").Where("TotalAmt", ">", 100.50m).ToString());
    }

    [Fact]
    public void Dates_are_written_with_their_offset()
    {
        var since = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.FromHours(-7));
        Assert.Equal("SELECT * FROM Payment WHERE MetaData.LastUpdatedTime > '2026-11-01T08:00:00-07:00'",
            QboQuery.From("Payment").Where("MetaData.LastUpdatedTime", ">", since).ToString());
    }

    [Fact]
    public void Injection_through_names_or_operators_is_refused()
    {
        Assert.Throws<ArgumentException>(() => QboQuery.From("Customer; DROP"));
        Assert.Throws<ArgumentException>(() => QboQuery.From("Customer").Where("Name' OR '1'='1", "=", "x"));
        Assert.Throws<ArgumentException>(() => QboQuery.From("Customer").Where("Name", "OR", "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => QboQuery.From("Customer").Page(1, 1001));
    }
}
