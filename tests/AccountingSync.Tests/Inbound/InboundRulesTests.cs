using QuoteToCash.AccountingSync.Domain.Inbound;

namespace QuoteToCash.AccountingSync.Tests.Inbound;

/// <summary>Payments, voids, SyncTokens and deal markers as QuickBooks shows them to the firm.</summary>
public class InboundRulesTests
{
    private static AppliedAmount Applied(string invoice, decimal amount) => new() { AccountingInvoiceId = invoice, Amount = amount };

    [Fact]
    public void A_new_payment_is_received_in_full_and_the_same_payment_seen_again_is_nothing()
    {
        var first = PaymentApplications.Diff([], [Applied("130", 1_000m)]);
        var again = PaymentApplications.Diff([Applied("130", 1_000m)], [Applied("130", 1_000m)]);

        Assert.Equal([new ApplicationChange("130", 1_000m, 1_000m)], first);
        Assert.Empty(again);
    }

    [Fact]
    public void An_increased_payment_is_received_for_the_increase_and_a_removed_one_is_taken_back()
    {
        var increased = PaymentApplications.Diff([Applied("130", 1_000m)], [Applied("130", 1_500m), Applied("131", 200m)]);
        var voided = PaymentApplications.Diff([Applied("130", 1_500m)], PaymentApplications.Normalize([Applied("130", 0m)]));

        Assert.Equal([new ApplicationChange("130", 500m, 1_500m), new ApplicationChange("131", 200m, 200m)], increased);
        Assert.Equal([new ApplicationChange("130", -1_500m, 0m)], voided);
    }

    [Fact]
    public void Lines_to_the_same_invoice_add_up()
    {
        Assert.Equal([Applied("130", 700m)], PaymentApplications.Normalize([Applied("130", 500m), Applied("130", 200m), Applied("140", 0m)]));
    }

    [Fact]
    public void A_voided_invoice_has_zero_total_and_voided_note_both()
    {
        Assert.True(InvoiceLifecycle.IsVoided("Voided - deal:hubspot:9001", 0m));
        Assert.True(InvoiceLifecycle.IsVoided("Voided", 0m));
        Assert.False(InvoiceLifecycle.IsVoided("Voided by mistake? re-issue", 4_200m));
        Assert.False(InvoiceLifecycle.IsVoided("deal:hubspot:9001", 0m));
        Assert.False(InvoiceLifecycle.IsVoided(null, 0m));
    }

    [Fact]
    public void Older_sync_tokens_are_not_applied_over_newer_ones()
    {
        Assert.True(InvoiceLifecycle.IsNewer("3", null));
        Assert.True(InvoiceLifecycle.IsNewer("3", 2));
        Assert.False(InvoiceLifecycle.IsNewer("3", 3));
        Assert.False(InvoiceLifecycle.IsNewer("2", 3));
        Assert.Equal(12, InvoiceLifecycle.Token("12"));
        Assert.Null(InvoiceLifecycle.Token(null));
    }

    [Theory]
    [InlineData("deal:hubspot:9001 due:signing flow:abc invoice:def", "hubspot:9001")]
    [InlineData("Voided - deal:salesforce:006XYZ\nmore", "salesforce:006XYZ")]
    [InlineData("hand-made invoice", null)]
    [InlineData("deal:hubspot:", null)]
    [InlineData(null, null)]
    public void The_deal_comes_from_the_marker_billing_writes_in_the_private_note(string? note, string? deal) =>
        Assert.Equal(deal, QuoteToCash.AccountingSync.Domain.Exceptions.DealReference.FromNote(note));
}
