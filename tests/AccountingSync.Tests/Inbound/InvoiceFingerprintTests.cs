using QuoteToCash.AccountingSync.Domain.Inbound;

namespace QuoteToCash.AccountingSync.Tests.Inbound;

/// <summary>
/// Contoso's £4,200 milestone invoice as the firm posted it (4 senior days at £1,050), and what someone in QuickBooks may
/// have done to it since.
/// </summary>
public class InvoiceFingerprintTests
{
    private static readonly InvoiceFingerprint Posted = new()
    {
        CustomerRef = "58",
        TxnDate = new DateOnly(2026, 3, 2),
        DueDate = new DateOnly(2026, 4, 1),
        Lines = [new FingerprintLine { ItemRef = "4", Amount = 4_200m, Quantity = 4m }, new FingerprintLine { ItemRef = "3", Amount = 300m, Quantity = 2m }],
        Total = 4_500m,
    };

    [Fact]
    public void The_invoice_as_posted_has_no_edits_even_when_quickbooks_writes_its_figures_differently()
    {
        var asQuickBooksHoldsIt = Posted with
        {
            Lines = [new FingerprintLine { ItemRef = "4", Amount = 4_200.00m, Quantity = 4.0m }, new FingerprintLine { ItemRef = "3", Amount = 300.0m, Quantity = 2m }],
            Total = 4_500.00m,
        };

        Assert.Empty(Posted.EditsIn(asQuickBooksHoldsIt));
        Assert.Equal(Posted.Key(), asQuickBooksHoldsIt.Key());
    }

    [Fact]
    public void A_changed_amount_shows_on_the_line_and_the_total()
    {
        var edited = Posted with
        {
            Lines = [new FingerprintLine { ItemRef = "4", Amount = 3_150m, Quantity = 3m }, Posted.Lines[1]],
            Total = 3_450m,
        };

        var edits = Posted.EditsIn(edited);

        Assert.Equal([InvoiceEditField.Total, InvoiceEditField.LineAmount, InvoiceEditField.LineQuantity], edits.Select(e => e.Field));
        Assert.Equal("total 4500.00 → 3450.00", edits[0].Describe());
        Assert.Equal("line 1 amount 4200.00 → 3150.00", edits[1].Describe());
        Assert.NotEqual(Posted.Key(), edited.Key());
    }

    [Fact]
    public void Customer_dates_and_lines_added_or_swapped_are_edits()
    {
        var edited = Posted with
        {
            CustomerRef = "61",
            TxnDate = new DateOnly(2026, 3, 5),
            DueDate = new DateOnly(2026, 4, 30),
            Lines = [.. Posted.Lines, new FingerprintLine { ItemRef = "9", Amount = 0m }],
        };

        var edits = Posted.EditsIn(edited);

        Assert.Equal([InvoiceEditField.Customer, InvoiceEditField.InvoiceDate, InvoiceEditField.DueDate, InvoiceEditField.LineCount], edits.Select(e => e.Field));
        Assert.Equal("customer 58 → 61", edits[0].Describe());
        Assert.Equal("due date 2026-04-01 → 2026-04-30", edits[2].Describe());

        var swapped = Posted with { Lines = [Posted.Lines[0] with { ItemRef = "5" }, Posted.Lines[1]] };
        Assert.Equal("line 1 product/service 4 → 5", Assert.Single(Posted.EditsIn(swapped)).Describe());
    }

    [Fact]
    public void An_item_or_quantity_the_platform_did_not_send_is_not_compared()
    {
        var postedWithoutItem = Posted with { Lines = [new FingerprintLine { Amount = 4_200m }, Posted.Lines[1]] };
        var quickBooks = Posted with { Lines = [new FingerprintLine { ItemRef = "1", Amount = 4_200m, Quantity = 1m }, Posted.Lines[1]] };

        Assert.Empty(postedWithoutItem.EditsIn(quickBooks));
    }
}
