using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

public class PaymentTermsRulesTests
{
    private static readonly DateOnly InvoiceDate = new(2026, 3, 10);

    [Theory]
    [InlineData("Net 30", 30, "2026-04-09")]
    [InlineData("Net 15", 15, "2026-03-25")]
    [InlineData("Net 60", 60, "2026-05-09")]
    [InlineData("Due on receipt", 0, "2026-03-10")]
    [InlineData("Due upon receipt", 0, "2026-03-10")]
    [InlineData("Net 30 EOM", 30, "2026-04-30")]
    [InlineData("EOM", 0, "2026-03-31")]
    [InlineData("2% 10 Net 30", 30, "2026-04-09")]
    [InlineData("2/10 Net 30", 30, "2026-04-09")]
    [InlineData("1.5% 10 days, net 45", 45, "2026-04-24")]
    [InlineData("  net   45 ", 45, "2026-04-24")]
    [InlineData("NET30", 30, "2026-04-09")]
    [InlineData("Net 30 days", 30, "2026-04-09")]
    [InlineData("14 days", 14, "2026-03-24")]
    public void Terms_finance_writes_give_net_days_and_a_due_date(string terms, int netDays, string dueDate)
    {
        Assert.Equal(netDays, PaymentTermsRules.NetDays(terms));
        Assert.True(PaymentTermsRules.IsRecognised(terms));
        Assert.Equal(DateOnly.Parse(dueDate), PaymentTermsRules.DueDate(InvoiceDate, terms));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Net thirty")]
    [InlineData("Upon completion")]
    [InlineData("Net 30 after acceptance")]
    public void Terms_it_cannot_read_have_no_net_days_and_are_due_by_the_standard_net_30(string? terms)
    {
        Assert.Null(PaymentTermsRules.NetDays(terms));
        Assert.False(PaymentTermsRules.IsRecognised(terms));
        Assert.Equal(new DateOnly(2026, 4, 9), PaymentTermsRules.DueDate(InvoiceDate, terms));
    }

    [Theory]
    [InlineData("2028-02-03", "EOM", "2028-02-29")]
    [InlineData("2026-02-03", "EOM", "2026-02-28")]
    [InlineData("2026-12-31", "Net 30 EOM", "2027-01-30")]
    [InlineData("2026-01-31", "Net 30", "2026-03-02")]
    public void End_of_month_terms_count_from_the_last_day_of_the_invoices_month(string invoiceDate, string terms, string dueDate)
    {
        Assert.Equal(DateOnly.Parse(dueDate), PaymentTermsRules.DueDate(DateOnly.Parse(invoiceDate), terms));
        Assert.Equal(terms.Contains("EOM", StringComparison.Ordinal), PaymentTermsRules.IsEndOfMonth(terms));
    }
}
