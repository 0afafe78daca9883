using QuoteToCash.AccountingSync.Domain.Outbound;

namespace QuoteToCash.AccountingSync.Tests.Outbound;

public sealed class OutboundOrderTests
{
    [Theory]
    [InlineData(InvoiceProgress.Unknown)]
    [InlineData(InvoiceProgress.Posted)]
    public void What_needs_an_invoice_in_QuickBooks_or_one_accounting_sync_never_queued_goes_now(InvoiceProgress progress)
    {
        var decision = OutboundOrder.AfterInvoice("The credit memo", progress, "1042");

        Assert.Equal((true, (HoldReason?)null, (string?)null), (decision.Go, decision.Hold, decision.Explanation));
    }

    [Fact]
    public void What_needs_an_invoice_still_on_its_way_waits_for_it_and_says_so()
    {
        var decision = OutboundOrder.AfterInvoice("The e-mail of the invoice", InvoiceProgress.OnItsWay, "1042");

        Assert.Equal((false, HoldReason.WaitingForInvoice), (decision.Go, decision.Hold));
        Assert.Equal("The e-mail of the invoice waits for invoice 1042, which is still on its way to QuickBooks; it goes by itself once the invoice is posted.",
            decision.Explanation);
    }

    [Fact]
    public void What_needs_a_refused_invoice_waits_for_its_retry_instead_of_failing_too()
    {
        var decision = OutboundOrder.AfterInvoice("The refund", InvoiceProgress.Refused, null);

        Assert.Equal((false, HoldReason.WaitingForInvoice), (decision.Go, decision.Hold));
        Assert.Contains("invoice (not yet numbered), which QuickBooks refused", decision.Explanation);
        Assert.Contains("once that invoice's exception is retried", decision.Explanation);
    }

    [Fact]
    public void Held_operations_are_released_in_the_order_they_were_held_whatever_order_they_are_read_in()
    {
        var held = new[] { ("credit memo", 30L), ("e-mail", 10L), ("refund", 20L) };

        Assert.Equal(["e-mail", "refund", "credit memo"], OutboundOrder.ReleaseOrder(held, h => h.Item2).Select(h => h.Item1));
    }

    [Fact]
    public void An_invoices_subject_is_its_id_without_dashes_so_every_writer_and_reader_agrees()
    {
        var id = Guid.Parse("2c7e5a10-8d44-4b8e-9f0e-6a3b1c2d4e5f");

        Assert.Equal("invoice:2c7e5a108d444b8e9f0e6a3b1c2d4e5f", OutboundOrder.InvoiceSubject(id));
    }
}
