using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.Contracts.AccountingSync;

namespace QuoteToCash.AccountingSync.Tests.Domain;

/// <summary>The consulting firm closed February's books on 28 Feb 2026; invoices dated into it are moved or held.</summary>
public class ClosedBooksRuleTests
{
    private static readonly DateOnly Closing = new(2026, 2, 28);
    private static readonly DateOnly Today = new(2026, 3, 2);

    [Fact]
    public void An_invoice_after_the_closing_date_or_in_a_company_without_one_is_posted_as_asked()
    {
        var open = ClosedBooksRule.Decide(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), Closing, ClosedBooksPolicy.HoldForFinance, Today);
        var noClosingDate = ClosedBooksRule.Decide(new DateOnly(2025, 1, 1), null, null, ClosedBooksPolicy.HoldForFinance, Today);

        Assert.Equal(new ClosedBooksDecision(ClosedBooksAction.Post, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), null), open);
        Assert.Equal(ClosedBooksAction.Post, noClosingDate.Action);
    }

    [Fact]
    public void An_invoice_on_the_closing_date_is_held_for_finance_when_the_command_says_so()
    {
        var decision = ClosedBooksRule.Decide(Closing, new DateOnly(2026, 3, 30), Closing, ClosedBooksPolicy.HoldForFinance, Today);

        Assert.Equal(ClosedBooksAction.Hold, decision.Action);
        Assert.Contains("closed through 2026-02-28", decision.Note);
        Assert.Contains("held for finance", decision.Note);
    }

    [Fact]
    public void Moving_to_the_first_open_day_keeps_the_payment_period()
    {
        var decision = ClosedBooksRule.Decide(new DateOnly(2026, 2, 15), new DateOnly(2026, 3, 17), Closing, ClosedBooksPolicy.MoveToFirstOpenDate, Today);

        Assert.Equal((ClosedBooksAction.Move, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), (decision.Action, decision.InvoiceDate, decision.DueDate));
        Assert.Contains("posted on 2026-03-01, the first open day", decision.Note);
        Assert.Contains("moved by the same 14 day(s) to 2026-03-31", decision.Note);
    }

    [Fact]
    public void An_invoice_without_a_date_is_judged_by_today()
    {
        var held = ClosedBooksRule.Decide(null, null, new DateOnly(2026, 3, 31), ClosedBooksPolicy.HoldForFinance, Today);
        var moved = ClosedBooksRule.Decide(null, null, new DateOnly(2026, 3, 31), ClosedBooksPolicy.MoveToFirstOpenDate, Today);
        var open = ClosedBooksRule.Decide(null, null, Closing, ClosedBooksPolicy.HoldForFinance, Today);

        Assert.Equal(ClosedBooksAction.Hold, held.Action);
        Assert.Equal((ClosedBooksAction.Move, new DateOnly(2026, 4, 1), (DateOnly?)null), (moved.Action, moved.InvoiceDate, moved.DueDate));
        Assert.Equal((ClosedBooksAction.Post, (DateOnly?)null), (open.Action, open.InvoiceDate));
    }
}
