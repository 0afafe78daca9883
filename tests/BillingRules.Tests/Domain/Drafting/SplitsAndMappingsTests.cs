using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Drafting.ContosoBilling;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

public class SplitsAndMappingsTests
{
    /// <summary>March hours bought under two of Contoso's purchase orders: consulting under one, travel under the other.</summary>
    private static DueInvoice UnderTwoPurchaseOrders()
    {
        var due = MarchTimeAndMaterials(new ChargeLine { Description = "Consulting, junior", Product = "sku:CONSULT", Quantity = 12, UnitPrice = 95m, Amount = 1_140m, PurchaseOrder = " po-4500012345 " });
        due.PurchaseOrder = "PO-4500012345";
        due.Lines[1].PurchaseOrder = "PO-4500099999";
        return due;
    }

    [Fact]
    public void Lines_under_different_purchase_orders_become_separate_invoices_with_their_own_totals()
    {
        var result = InvoiceDrafter.Draft(UnderTwoPurchaseOrders(), Context());

        Assert.Equal(2, result.Invoices.Count);
        var (first, second) = (result.Invoices[0], result.Invoices[1]);
        Assert.Equal("PO-4500012345", first.PurchaseOrder);
        Assert.Equal(["Consulting, senior (1–31 Mar 2026)", "Consulting, junior"], first.Lines.Select(l => l.Description));
        Assert.Equal(5_437.50m + 1_140m, first.Total);
        Assert.Equal("PO-4500099999", second.PurchaseOrder);
        Assert.Equal(212.40m, Assert.Single(second.Lines).Amount);
        Assert.Equal(212.40m, second.Total);
        Assert.All(result.Invoices, i => Assert.Equal("tm:2026-03-01", i.Key));
        Assert.Contains("Split by purchase order: invoice 2 of 2 for tm:2026-03-01, purchase order PO-4500099999.", second.Notes);
        Assert.EndsWith(" po:PO-4500099999", second.PrivateNote.Split('\n')[0]);
    }

    [Fact]
    public void Split_invoices_have_distinct_ids_that_are_the_same_when_drafted_again()
    {
        var first = InvoiceDrafter.Draft(UnderTwoPurchaseOrders(), Context()).Invoices.Select(i => i.InvoiceId).ToList();
        var again = InvoiceDrafter.Draft(UnderTwoPurchaseOrders(), Context()).Invoices.Select(i => i.InvoiceId).ToList();

        Assert.Equal(2, first.Distinct().Count());
        Assert.Equal(first, again);
        Assert.Equal(
            [InvoiceDrafter.InvoiceIdFor(Flow, "tm:2026-03-01", "PO-4500012345"), InvoiceDrafter.InvoiceIdFor(Flow, "tm:2026-03-01", "PO-4500099999")],
            first);
        Assert.DoesNotContain(InvoiceDrafter.InvoiceIdFor(Flow, "tm:2026-03-01", null), first);
    }

    [Fact]
    public void One_purchase_order_for_every_line_is_no_split()
    {
        var due = MarchTimeAndMaterials();
        due.PurchaseOrder = "PO-4500012345";

        var invoice = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices);

        Assert.Equal("PO-4500012345", invoice.PurchaseOrder);
        Assert.Equal(InvoiceDrafter.InvoiceIdFor(Flow, "tm:2026-03-01", null), invoice.InvoiceId);
        Assert.DoesNotContain(invoice.Notes, n => n.StartsWith("Split", StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_without_a_purchase_order_next_to_lines_with_one_are_split_off()
    {
        var due = MarchTimeAndMaterials();
        due.Lines[1].PurchaseOrder = "PO-77";

        var result = InvoiceDrafter.Draft(due, Context());

        Assert.Equal([null, "PO-77"], result.Invoices.Select(i => i.PurchaseOrder));
        Assert.Equal(2, result.Invoices.Select(i => i.InvoiceId).Distinct().Count());
        Assert.Contains("Split by purchase order: invoice 1 of 2 for tm:2026-03-01, the lines without a purchase order.", result.Invoices[0].Notes);
    }

    [Fact]
    public void Invoice_ids_are_the_flows_invoice_operation_and_differ_by_flow_key_and_purchase_order()
    {
        var id = InvoiceDrafter.InvoiceIdFor(Flow, "milestone:m2", null);

        Assert.Equal(FlowId.Operation(Flow, "invoice", "milestone:m2"), id);
        Assert.Equal(id, InvoiceDrafter.InvoiceIdFor(Flow, "milestone:m2", "  "));
        Assert.NotEqual(id, InvoiceDrafter.InvoiceIdFor(Flow, "milestone:m3", null));
        Assert.NotEqual(id, InvoiceDrafter.InvoiceIdFor(FlowId.For("harbour-pine", "hubspot", "deal-9002"), "milestone:m2", null));
        Assert.Equal(InvoiceDrafter.InvoiceIdFor(Flow, "milestone:m2", "PO-1"), InvoiceDrafter.InvoiceIdFor(Flow, "milestone:m2", " po-1 "));
        Assert.NotEqual(id, InvoiceDrafter.InvoiceIdFor(Flow, "milestone:m2", "PO-1"));
    }

    [Fact]
    public void An_unmapped_product_holds_the_whole_due_invoice_for_mapping()
    {
        var due = MarchTimeAndMaterials(
            new ChargeLine { Description = "Data migration", Product = "sku:MIGRATION", Quantity = 1, UnitPrice = 2_000m, Amount = 2_000m },
            new ChargeLine { Description = "Data migration, rework", Product = "sku:MIGRATION", Quantity = 1, UnitPrice = 400m, Amount = 400m });

        var result = InvoiceDrafter.Draft(due, Context());

        Assert.Empty(result.Invoices);
        Assert.Equal(["sku:MIGRATION"], result.MissingProducts);
    }

    [Fact]
    public void A_line_without_a_product_is_missing_when_the_tenant_has_no_default_item()
    {
        var due = MarchTimeAndMaterials(new ChargeLine { Description = "Expenses", Quantity = 1, UnitPrice = 80m, Amount = 80m });
        due.Lines[0].Product = "sku:OLD-RATE";

        var result = InvoiceDrafter.Draft(due, Context());

        Assert.Empty(result.Invoices);
        Assert.Equal(["sku:OLD-RATE", InvoiceDrafter.NoProduct], result.MissingProducts);
        Assert.Equal("(no product)", InvoiceDrafter.NoProduct);
    }

    [Fact]
    public void A_mapping_without_an_item_counts_as_missing()
    {
        var context = Context();
        context.Items["sku:TRAVEL"].ItemRef = " ";

        var result = InvoiceDrafter.Draft(MarchTimeAndMaterials(), context);

        Assert.Equal(["sku:TRAVEL"], result.MissingProducts);
    }

    [Fact]
    public void The_tenants_default_item_books_unmapped_products_and_lines_without_one_and_says_so()
    {
        var context = Context();
        context.DefaultItem = Services;
        var due = MarchTimeAndMaterials(
            new ChargeLine { Description = "Data migration", Product = "sku:MIGRATION", Quantity = 1, UnitPrice = 2_000m, Amount = 2_000m },
            new ChargeLine { Description = "Expenses", Quantity = 1, UnitPrice = 80m, Amount = 80m });

        var result = InvoiceDrafter.Draft(due, context);

        Assert.Empty(result.MissingProducts);
        var invoice = Assert.Single(result.Invoices);
        Assert.Equal(["22", "23", "1", "1"], invoice.Lines.Select(l => l.ItemRef));
        Assert.Equal(["sku:CONSULT", "sku:TRAVEL", "sku:MIGRATION", null], invoice.Lines.Select(l => l.ProductKey));
        Assert.Equal(("TAX", "100", "2"), (invoice.Lines[2].TaxCodeRef, invoice.Lines[2].ClassRef, invoice.Lines[2].DepartmentRef));
        Assert.Contains("\"Data migration\": product sku:MIGRATION has no item mapping; booked to the default item Services.", invoice.Notes);
        Assert.Contains("\"Expenses\": no product; booked to the default item Services.", invoice.Notes);
    }

    [Fact]
    public void A_mapped_product_is_never_booked_to_the_default_item()
    {
        var context = Context();
        context.DefaultItem = Services;

        var invoice = Assert.Single(InvoiceDrafter.Draft(GoLiveMilestone(), context).Invoices);

        Assert.Equal("21", invoice.Lines.Single().ItemRef);
        Assert.DoesNotContain(invoice.Notes, n => n.Contains("default item", StringComparison.Ordinal));
    }
}
