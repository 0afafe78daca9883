using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.Domain;

public sealed class CustomerNamesTests
{
    private static readonly Guid Contoso = Guid.Parse("4f2a9c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");

    [Fact]
    public void The_suffix_is_readable_and_derived_from_the_customer() =>
        Assert.Equal("Contoso Ltd (Q2C 4f2a)", CustomerNames.WithSuffix(" Contoso Ltd ", Contoso));

    [Fact]
    public void The_suffixed_name_stays_within_QuickBooks_length_limit()
    {
        var name = CustomerNames.WithSuffix(new string('A', 500), Contoso);
        Assert.Equal(CustomerNames.MaxDisplayNameLength, name.Length);
        Assert.EndsWith(" (Q2C 4f2a)", name);
    }

    [Fact]
    public void Characters_QuickBooks_refuses_in_names_are_replaced() =>
        Assert.Equal("Contoso - Leeds Depot", CustomerNames.Clean("Contoso : Leeds\tDepot"));
}
