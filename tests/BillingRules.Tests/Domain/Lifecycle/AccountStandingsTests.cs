using QuoteToCash.BillingRules.Domain.Standing;

namespace QuoteToCash.BillingRules.Tests.Domain.Lifecycle;

/// <summary>The account-standing rule across a customer's invoices on all of its deals.</summary>
public sealed class AccountStandingsTests
{
    private static readonly Guid FlowA = Guid.Parse("0c2f7a8e-1111-4a55-9a3e-8b1f2d7c4e90");
    private static readonly Guid FlowB = Guid.Parse("0c2f7a8e-2222-4a55-9a3e-8b1f2d7c4e90");
    private static readonly Guid InvoiceA = Guid.Parse("5d1e0a3b-1111-4c55-9a3e-8b1f2d7c4e90");
    private static readonly Guid InvoiceB = Guid.Parse("5d1e0a3b-2222-4c55-9a3e-8b1f2d7c4e90");
    private static readonly DateTime May1 = new(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    private static CustomerStanding Customer() => new() { TenantId = "contoso-consulting", CustomerId = Guid.NewGuid(), CrmCompanyRef = "hubspot:4711" };

    [Fact]
    public void A_customer_is_good_until_an_invoice_is_more_than_thirty_days_late()
    {
        var customer = Customer();
        Assert.Equal(AccountStandings.Good, customer.Standing);

        Assert.Equal(AccountStandings.PastDue30, AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", pastDue30: true, May1));
        Assert.Equal((AccountStandings.PastDue30, May1), (customer.Standing, customer.StandingSince));
    }

    [Fact]
    public void Standing_is_past_due_while_any_invoice_on_any_deal_is_late_and_good_when_none_is()
    {
        var customer = Customer();
        Assert.Equal(AccountStandings.PastDue30, AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", true, May1));
        Assert.Null(AccountStandings.Apply(customer, FlowB, InvoiceB, "1043", true, May1.AddDays(1)));

        Assert.Null(AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", false, May1.AddDays(2))); // one paid, the other still late
        Assert.Equal(AccountStandings.PastDue30, customer.Standing);

        Assert.Equal(AccountStandings.Good, AccountStandings.Apply(customer, FlowB, InvoiceB, "1043", false, May1.AddDays(3)));
    }

    [Fact]
    public void A_report_that_is_not_news_changes_nothing()
    {
        var customer = Customer();
        Assert.Null(AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", false, May1)); // Good was the standing already
        AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", true, May1.AddDays(1));

        Assert.Null(AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", true, May1.AddDays(1)));
        Assert.Single(customer.Invoices);
    }

    [Fact]
    public void An_older_report_arriving_after_a_newer_one_does_not_flip_the_standing_back()
    {
        var customer = Customer();
        AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", true, May1);
        AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", false, May1.AddDays(5));

        Assert.Null(AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", true, May1));
        Assert.Equal(AccountStandings.Good, customer.Standing);
    }

    [Fact]
    public void The_same_invoice_number_on_two_deals_is_two_invoices()
    {
        var customer = Customer();
        AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", true, May1);
        AccountStandings.Apply(customer, FlowB, InvoiceA, "1042", true, May1);

        Assert.Null(AccountStandings.Apply(customer, FlowA, InvoiceA, "1042", false, May1.AddDays(1)));
        Assert.Equal(AccountStandings.PastDue30, customer.Standing);
    }
}
