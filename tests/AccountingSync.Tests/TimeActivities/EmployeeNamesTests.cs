using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.TimeActivities;

public sealed class EmployeeNamesTests
{
    [Theory]
    [InlineData("Priya Shah", "Priya", null, "Shah")]
    [InlineData("  Priya   Anjali  Shah ", "Priya", "Anjali", "Shah")]
    [InlineData("Jan van der Berg", "Jan", "van der", "Berg")]
    [InlineData("Cher", "Cher", null, null)]
    public void A_person_is_split_into_the_name_parts_QuickBooks_requires(string person, string given, string? middle, string? family) =>
        Assert.Equal((given, middle, family), EmployeeNames.Split(person));

    [Fact]
    public void Name_parts_longer_than_QuickBooks_allows_are_cut()
    {
        var (given, _, family) = EmployeeNames.Split(new string('a', 120) + " " + new string('b', 101));
        Assert.Equal((100, 100), (given.Length, family!.Length));
    }

    [Theory]
    [InlineData(3.75, 3, 45)]
    [InlineData(0.33, 0, 20)]
    [InlineData(7.999, 8, 0)]
    [InlineData(0, 0, 0)]
    [InlineData(1.0083, 1, 0)]
    [InlineData(1.0084, 1, 1)]
    public void Decimal_hours_become_whole_hours_and_minutes_to_the_nearest_minute(decimal hours, int wholeHours, int minutes) =>
        Assert.Equal((wholeHours, minutes), EmployeeNames.Duration(hours));

    [Fact]
    public void Negative_time_is_not_time() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EmployeeNames.Duration(-0.5m));

    [Fact]
    public void The_suffix_is_the_same_for_the_same_tenant_and_person_and_differs_between_tenants()
    {
        var first = EmployeeNames.WithSuffix("harbour-pine", "Sam Ortiz");
        Assert.Equal(first, EmployeeNames.WithSuffix("harbour-pine", "Sam Ortiz"));
        Assert.Equal(first[^5..], EmployeeNames.WithSuffix("harbour-pine", "sam  ORTIZ")[^5..]);
        Assert.Matches(@"^Sam Ortiz \(Q2C [0-9a-f]{4}\)$", first);
        Assert.NotEqual(first, EmployeeNames.WithSuffix("other-firm", "Sam Ortiz"));
        Assert.Equal(EmployeeNames.Key("Sam Ortiz"), EmployeeNames.Key("  sam   ORTIZ "));
    }

    [Fact]
    public void Hours_read_as_finance_reads_them() => Assert.Equal("3:45", EmployeeNames.Format(3.75m));
}
