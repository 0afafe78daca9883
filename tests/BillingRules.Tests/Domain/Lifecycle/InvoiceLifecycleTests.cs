using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Tests.Domain.Lifecycle;

/// <summary>How an invoice's status follows from what QuickBooks reports, and when the CRM is told.</summary>
public sealed class InvoiceLifecycleTests
{
    [Theory]
    [InlineData(InvoiceStatus.Posted, 13_500, false, InvoiceStatus.PartiallyPaid)]
    [InlineData(InvoiceStatus.Sent, 13_500, false, InvoiceStatus.PartiallyPaid)]
    [InlineData(InvoiceStatus.PartiallyPaid, 500, false, InvoiceStatus.PartiallyPaid)]
    [InlineData(InvoiceStatus.Overdue, 500, false, InvoiceStatus.Overdue)]
    [InlineData(InvoiceStatus.Overdue, 0, false, InvoiceStatus.Paid)]
    [InlineData(InvoiceStatus.Sent, 0, false, InvoiceStatus.Paid)]
    [InlineData(InvoiceStatus.PartiallyPaid, 0, true, InvoiceStatus.Credited)]
    [InlineData(InvoiceStatus.Posted, 100, true, InvoiceStatus.PartiallyPaid)]
    public void A_payment_leaves_the_invoice_paid_credited_partially_paid_or_still_overdue(InvoiceStatus before, int remaining, bool byCredit,
        InvoiceStatus after) =>
        Assert.Equal(after, InvoiceLifecycle.AfterPayment(before, remaining, byCredit));

    [Theory]
    [InlineData(InvoiceStatus.Posted, 100, InvoiceStatus.Overdue)]
    [InlineData(InvoiceStatus.Sent, 100, InvoiceStatus.Overdue)]
    [InlineData(InvoiceStatus.PartiallyPaid, 100, InvoiceStatus.Overdue)]
    [InlineData(InvoiceStatus.Paid, 0, InvoiceStatus.Paid)]
    [InlineData(InvoiceStatus.Credited, 0, InvoiceStatus.Credited)]
    [InlineData(InvoiceStatus.Voided, 0, InvoiceStatus.Voided)]
    [InlineData(InvoiceStatus.Posting, 100, InvoiceStatus.Posting)]
    [InlineData(InvoiceStatus.Sent, 0, InvoiceStatus.Sent)]
    public void Only_an_invoice_in_quickbooks_that_still_owes_becomes_overdue(InvoiceStatus before, int balance, InvoiceStatus after) =>
        Assert.Equal(after, InvoiceLifecycle.AfterDueDate(before, balance));

    [Theory]
    [InlineData(InvoiceStatus.Posted, InvoiceStatus.Sent)]
    [InlineData(InvoiceStatus.Paid, InvoiceStatus.Paid)]
    [InlineData(InvoiceStatus.PartiallyPaid, InvoiceStatus.PartiallyPaid)]
    [InlineData(InvoiceStatus.Overdue, InvoiceStatus.Overdue)]
    [InlineData(InvoiceStatus.Voided, InvoiceStatus.Voided)]
    public void Being_sent_moves_only_a_posted_invoice(InvoiceStatus before, InvoiceStatus after) =>
        Assert.Equal(after, InvoiceLifecycle.AfterSent(before));

    [Fact]
    public void The_crm_sees_each_status_in_its_own_words_and_nothing_before_quickbooks_has_the_invoice()
    {
        var paidOn = new DateOnly(2026, 3, 23);
        Assert.Equal(new CrmInvoiceStatus("Sent", 18_500m, null), InvoiceLifecycle.CrmView(InvoiceStatus.Sent, 18_500m, null));
        Assert.Equal(new CrmInvoiceStatus("Partially paid", 8_500m, null), InvoiceLifecycle.CrmView(InvoiceStatus.PartiallyPaid, 8_500m, null));
        Assert.Equal(new CrmInvoiceStatus("Paid", 0m, paidOn), InvoiceLifecycle.CrmView(InvoiceStatus.Paid, 0m, paidOn));
        Assert.Equal(new CrmInvoiceStatus("Paid", 0m, null), InvoiceLifecycle.CrmView(InvoiceStatus.Credited, 0m, paidOn));
        Assert.Equal(new CrmInvoiceStatus("Overdue", 100m, null), InvoiceLifecycle.CrmView(InvoiceStatus.Overdue, 100m, null));
        Assert.Equal(new CrmInvoiceStatus("Voided", 0m, null), InvoiceLifecycle.CrmView(InvoiceStatus.Voided, 18_500m, null));
        foreach (var status in new[] { InvoiceStatus.Drafted, InvoiceStatus.AwaitingApproval, InvoiceStatus.Posting, InvoiceStatus.Held, InvoiceStatus.Rejected, InvoiceStatus.Withdrawn })
            Assert.Null(InvoiceLifecycle.CrmView(status, 100m, null));
    }

    [Fact]
    public void The_crm_is_told_of_a_change_once_and_not_of_the_first_posting_which_crm_ingest_writes_itself()
    {
        var posted = new CrmInvoiceStatus("Posted", 18_500m, null);
        var sent = new CrmInvoiceStatus("Sent", 18_500m, null);
        Assert.False(InvoiceLifecycle.ShouldAnnounce(null, posted));
        Assert.True(InvoiceLifecycle.ShouldAnnounce(null, sent));
        Assert.True(InvoiceLifecycle.ShouldAnnounce(posted, sent));
        Assert.False(InvoiceLifecycle.ShouldAnnounce(sent, sent with { }));
        Assert.True(InvoiceLifecycle.ShouldAnnounce(posted, posted with { BalanceDue = 10_000m })); // a credit lowered the balance
        Assert.True(InvoiceLifecycle.ShouldAnnounce(new CrmInvoiceStatus("Overdue", 500m, null), new CrmInvoiceStatus("Overdue", 200m, null)));
        Assert.False(InvoiceLifecycle.ShouldAnnounce(sent, null));
    }

    [Theory]
    [InlineData(InvoiceStatus.Overdue, 100, true, true)]
    [InlineData(InvoiceStatus.PartiallyPaid, 100, true, true)]
    [InlineData(InvoiceStatus.Overdue, 100, false, false)]
    [InlineData(InvoiceStatus.Paid, 0, true, false)]
    [InlineData(InvoiceStatus.Credited, 0, true, false)]
    [InlineData(InvoiceStatus.Voided, 0, true, false)]
    public void An_invoice_counts_against_standing_while_it_owes_after_thirty_days_late(InvoiceStatus status, int balance, bool reached, bool late) =>
        Assert.Equal(late, InvoiceLifecycle.IsPastDue30(status, balance, reached));
}
