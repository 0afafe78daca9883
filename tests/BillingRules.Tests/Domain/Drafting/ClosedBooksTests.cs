using QuoteToCash.BillingRules.Domain;
using static QuoteToCash.BillingRules.Tests.Domain.Drafting.ContosoBilling;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

public class ClosedBooksTests
{
    private static readonly DateOnly FebruaryClosed = new(2026, 2, 28);

    [Theory]
    [InlineData(ClosedBooksPolicy.MoveToFirstOpenDate)]
    [InlineData(ClosedBooksPolicy.HoldForFinance)]
    public void An_invoice_in_open_books_keeps_its_date(ClosedBooksPolicy policy)
    {
        Assert.Equal(new ClosedBooksDecision(false, new DateOnly(2026, 3, 1), null), ClosedBooks.Decide(new DateOnly(2026, 3, 1), FebruaryClosed, policy));
        Assert.Equal(new ClosedBooksDecision(false, new DateOnly(2026, 1, 15), null), ClosedBooks.Decide(new DateOnly(2026, 1, 15), null, policy));
    }

    [Theory]
    [InlineData("2026-02-28")]
    [InlineData("2026-02-10")]
    public void An_invoice_dated_in_closed_books_moves_to_the_first_open_day(string invoiceDate)
    {
        var decision = ClosedBooks.Decide(DateOnly.Parse(invoiceDate), FebruaryClosed, ClosedBooksPolicy.MoveToFirstOpenDate);

        Assert.False(decision.Hold);
        Assert.Equal(new DateOnly(2026, 3, 1), decision.InvoiceDate);
        Assert.Equal($"Invoice date moved from {DateOnly.Parse(invoiceDate):d MMM yyyy} to 1 Mar 2026: the books are closed up to 28 Feb 2026.", decision.Note);
    }

    [Fact]
    public void Held_for_finance_an_invoice_in_closed_books_keeps_its_date_and_waits()
    {
        var decision = ClosedBooks.Decide(new DateOnly(2026, 2, 10), FebruaryClosed, ClosedBooksPolicy.HoldForFinance);

        Assert.True(decision.Hold);
        Assert.Equal(new DateOnly(2026, 2, 10), decision.InvoiceDate);
        Assert.Equal("Held: the invoice date 10 Feb 2026 falls in closed books (closed up to 28 Feb 2026). Reopen the period or choose a later date.", decision.Note);
    }

    [Fact]
    public void Moving_a_draft_moves_its_due_date_by_its_terms_and_notes_why_once()
    {
        var due = GoLiveMilestone();
        due.BillOn = new DateOnly(2026, 2, 20);
        var context = Context();
        context.PaymentTerms = "Net 30 EOM";
        var draft = Assert.Single(InvoiceDrafter.Draft(due, context).Invoices);
        Assert.Equal(new DateOnly(2026, 3, 30), draft.DueDate);

        var decision = ClosedBooks.Decide(draft.InvoiceDate, FebruaryClosed, ClosedBooksPolicy.MoveToFirstOpenDate);
        ClosedBooks.Apply(draft, decision);
        ClosedBooks.Apply(draft, decision);

        Assert.Equal(new DateOnly(2026, 3, 1), draft.InvoiceDate);
        Assert.Equal(new DateOnly(2026, 4, 30), draft.DueDate);
        Assert.Single(draft.Notes, decision.Note);
    }

    [Fact]
    public void A_draft_with_terms_that_cannot_be_read_keeps_the_same_days_to_pay()
    {
        var draft = new InvoiceDraft { InvoiceDate = new DateOnly(2026, 2, 20), DueDate = new DateOnly(2026, 3, 7), PaymentTerms = "Upon completion" };

        ClosedBooks.Apply(draft, ClosedBooks.Decide(draft.InvoiceDate, FebruaryClosed, ClosedBooksPolicy.MoveToFirstOpenDate));

        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 16)), (draft.InvoiceDate, draft.DueDate));
    }

    [Fact]
    public void A_held_draft_keeps_its_dates()
    {
        var draft = Assert.Single(InvoiceDrafter.Draft(DepositInstalment(), Context()).Invoices);
        draft.InvoiceDate = new DateOnly(2026, 2, 27);
        draft.DueDate = new DateOnly(2026, 3, 29);

        ClosedBooks.Apply(draft, ClosedBooks.Decide(draft.InvoiceDate, FebruaryClosed, ClosedBooksPolicy.HoldForFinance));

        Assert.Equal((new DateOnly(2026, 2, 27), new DateOnly(2026, 3, 29)), (draft.InvoiceDate, draft.DueDate));
        Assert.Contains(draft.Notes, n => n.StartsWith("Held:", StringComparison.Ordinal));
    }
}
