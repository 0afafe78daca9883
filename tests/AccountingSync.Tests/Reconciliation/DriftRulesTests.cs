using QuoteToCash.AccountingSync.Domain.Inbound;
using QuoteToCash.AccountingSync.Domain.Reconciliation;

namespace QuoteToCash.AccountingSync.Tests.Reconciliation;

/// <summary>Contoso's £4,200 invoice, £1,000 of it paid as far as the platform knows, against what QuickBooks holds.</summary>
public class DriftRulesTests
{
    private static readonly ExpectedInvoice Known = new(PostedInvoiceState.Open, 4_200m, 3_200m, "58");

    [Fact]
    public void An_invoice_quickbooks_holds_as_known_has_no_drift() =>
        Assert.Empty(DriftRules.Compare(Known, new ObservedInvoice(4_200.00m, 3_200.00m, false, "58")));

    [Fact]
    public void A_missing_invoice_drifts_unless_its_deletion_is_known()
    {
        Assert.Equal(DriftKind.Missing, Assert.Single(DriftRules.Compare(Known, null)).Kind);
        Assert.Empty(DriftRules.Compare(Known with { State = PostedInvoiceState.Deleted }, null));
    }

    [Fact]
    public void A_missed_payment_shows_as_a_lower_balance_and_a_removed_one_as_a_higher_balance()
    {
        var missed = Assert.Single(DriftRules.Compare(Known, new ObservedInvoice(4_200m, 0m, false, "58")));
        var removed = Assert.Single(DriftRules.Compare(Known, new ObservedInvoice(4_200m, 4_200m, false, "58")));

        Assert.Equal((DriftKind.BalanceLower, 3_200m, 0m), (missed.Kind, missed.ExpectedAmount, missed.ActualAmount));
        Assert.Equal(DriftKind.BalanceHigher, removed.Kind);
        Assert.Contains("a payment or credit was not received", missed.Describe());
    }

    [Fact]
    public void An_edited_total_and_another_customer_are_both_reported()
    {
        var drifts = DriftRules.Compare(Known, new ObservedInvoice(3_900m, 2_900m, false, "61"));

        Assert.Equal([DriftKind.TotalChanged, DriftKind.BalanceLower, DriftKind.CustomerChanged], drifts.Select(d => d.Kind));
        Assert.Equal("the total is 3,900.00 in QuickBooks but 4,200.00 was posted", drifts[0].Describe());
        Assert.Equal(("58", "61"), (drifts[2].ExpectedValue, drifts[2].ActualValue));
    }

    [Fact]
    public void A_void_is_a_status_drift_until_the_platform_knows_it()
    {
        var voided = new ObservedInvoice(0m, 0m, true, "58");

        Assert.Equal(DriftKind.StatusChanged, Assert.Single(DriftRules.Compare(Known, voided)).Kind);
        Assert.Empty(DriftRules.Compare(Known with { State = PostedInvoiceState.Voided, Balance = 0m }, voided));
    }
}
