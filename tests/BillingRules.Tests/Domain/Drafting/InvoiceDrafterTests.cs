using System.Text.RegularExpressions;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Drafting.ContosoBilling;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

public class InvoiceDrafterTests
{
    [Fact]
    public void A_milestone_becomes_one_invoice_booked_to_its_item_dated_when_the_contract_says_and_due_by_the_terms()
    {
        var result = InvoiceDrafter.Draft(GoLiveMilestone(), Context());

        Assert.Empty(result.MissingProducts);
        var invoice = Assert.Single(result.Invoices);
        Assert.Equal(InvoiceDrafter.InvoiceIdFor(Flow, "milestone:m2", null), invoice.InvoiceId);
        Assert.Equal("milestone:m2", invoice.Key);
        Assert.Equal(ChargeKind.Milestone, invoice.Kind);
        Assert.Equal("GBP", invoice.Currency);
        Assert.Equal(new DateOnly(2026, 3, 16), invoice.InvoiceDate);
        Assert.Equal(new DateOnly(2026, 4, 15), invoice.DueDate);
        Assert.Equal("Net 30", invoice.PaymentTerms);
        Assert.Null(invoice.DocNumber);
        Assert.Null(invoice.PurchaseOrder);
        Assert.Equal(7_400m, invoice.Total);
        var line = Assert.Single(invoice.Lines);
        Assert.Equal("Milestone 2 of 3: Go-live", line.Description);
        Assert.Equal("21", line.ItemRef);
        Assert.Equal("sku:ERP-IMPL", line.ProductKey);
        Assert.Equal((1m, 7_400m, 0m, 7_400m), (line.Quantity, line.UnitPrice, line.DiscountPercent, line.Amount));
        Assert.Equal("TAX", line.TaxCodeRef);
        Assert.False(line.Manual);
    }

    [Fact]
    public void The_customer_memo_names_the_deal_and_the_charge()
    {
        var milestone = Assert.Single(InvoiceDrafter.Draft(GoLiveMilestone(), Context()).Invoices);
        var hours = Assert.Single(InvoiceDrafter.Draft(MarchTimeAndMaterials(), Context()).Invoices);

        Assert.Equal("Contoso ERP rollout, phase 1 — Milestone 2 of 3: Go-live", milestone.CustomerMemo);
        Assert.Equal("Contoso ERP rollout, phase 1 — Time and materials, 1–31 Mar 2026", hours.CustomerMemo);
    }

    [Fact]
    public void The_private_note_leads_back_to_the_deal_the_due_invoice_and_the_flow_and_keeps_the_contracts_notes()
    {
        var due = MarchTimeAndMaterials();
        var invoice = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices);

        var pattern = new Regex(@"^deal:hubspot:deal-9001 due:tm:2026-03-01 flow:(?<flow>[0-9a-f-]{36}) invoice:(?<invoice>[0-9a-f-]{36})\n");
        var match = pattern.Match(invoice.PrivateNote);
        Assert.True(match.Success, invoice.PrivateNote);
        Assert.Equal(Flow, Guid.Parse(match.Groups["flow"].Value));
        Assert.Equal(invoice.InvoiceId, Guid.Parse(match.Groups["invoice"].Value));
        Assert.EndsWith(due.Notes[0], invoice.PrivateNote);
        Assert.Equal(due.Notes[0], invoice.Notes[0]);
    }

    [Fact]
    public void The_source_system_is_written_in_lower_case_and_the_crms_deal_id_exactly()
    {
        var context = Context();
        context.SourceSystem = " HubSpot ";
        context.ExternalDealId = "Deal-ABC-42";

        var invoice = Assert.Single(InvoiceDrafter.Draft(GoLiveMilestone(), context).Invoices);

        Assert.StartsWith("deal:hubspot:Deal-ABC-42 due:milestone:m2 ", invoice.PrivateNote);
    }

    [Fact]
    public void A_taxable_customer_gets_the_mappings_tax_code_or_else_the_taxable_code()
    {
        var invoice = Assert.Single(InvoiceDrafter.Draft(MarchTimeAndMaterials(), Context()).Invoices);

        Assert.Equal(["TAX", "NON"], invoice.Lines.Select(l => l.TaxCodeRef));
    }

    [Fact]
    public void A_tax_exempt_customer_gets_the_exempt_code_on_every_line_whatever_the_item_says()
    {
        var context = Context();
        context.TaxExempt = true;
        context.ExemptCode = "4";
        context.Items["sku:CONSULT"].TaxCodeRef = "9";

        var invoice = Assert.Single(InvoiceDrafter.Draft(MarchTimeAndMaterials(), context).Invoices);

        Assert.All(invoice.Lines, l => Assert.Equal("4", l.TaxCodeRef));
    }

    [Fact]
    public void A_lines_item_mapping_wins_over_the_deals_class_and_department()
    {
        var milestone = Assert.Single(InvoiceDrafter.Draft(GoLiveMilestone(), Context()).Invoices).Lines.Single();
        var hours = Assert.Single(InvoiceDrafter.Draft(MarchTimeAndMaterials(), Context()).Invoices).Lines;

        Assert.Equal(("300", "2"), (milestone.ClassRef, milestone.DepartmentRef));
        Assert.Equal(("100", "2"), (hours[0].ClassRef, hours[0].DepartmentRef));
        Assert.Equal(("100", "7"), (hours[1].ClassRef, hours[1].DepartmentRef));
    }

    [Fact]
    public void Lines_naming_different_departments_are_pointed_out_because_QuickBooks_keeps_one_per_invoice()
    {
        var invoice = Assert.Single(InvoiceDrafter.Draft(MarchTimeAndMaterials(), Context()).Invoices);

        Assert.Contains(invoice.Notes, n => n.Contains("more than one department", StringComparison.Ordinal));
    }

    [Fact]
    public void The_service_date_is_the_first_day_of_the_period_and_the_description_shows_the_period()
    {
        var invoice = Assert.Single(InvoiceDrafter.Draft(MarchTimeAndMaterials(), Context()).Invoices);

        var consulting = invoice.Lines[0];
        Assert.Equal("Consulting, senior (1–31 Mar 2026)", consulting.Description);
        Assert.Equal(new DateOnly(2026, 3, 1), consulting.ServiceDate);
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), (consulting.ServiceFrom!.Value, consulting.ServiceTo!.Value));
        Assert.Equal("Travel to Leeds (9 Mar 2026)", invoice.Lines[1].Description);
        Assert.Equal(new DateOnly(2026, 3, 9), invoice.Lines[1].ServiceDate);
    }

    [Theory]
    [InlineData("2026-03-15", "2026-04-14", "Subscription (15 Mar – 14 Apr 2026)")]
    [InlineData("2025-12-15", "2026-01-14", "Subscription (15 Dec 2025 – 14 Jan 2026)")]
    [InlineData("2026-04-01", null, "Subscription (from 1 Apr 2026)")]
    public void Periods_across_months_and_years_are_written_in_full(string from, string? to, string description)
    {
        var due = new DueInvoice
        {
            Key = "subscription:2026-04-01",
            Kind = ChargeKind.Subscription,
            BillOn = new DateOnly(2026, 4, 1),
            Lines =
            [
                new ChargeLine
                {
                    Description = "Subscription", Product = "sku:CONSULT", Quantity = 1, UnitPrice = 500m, Amount = 500m,
                    ServiceFrom = DateOnly.Parse(from), ServiceTo = to is null ? null : DateOnly.Parse(to),
                },
            ],
        };

        var line = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices).Lines.Single();

        Assert.Equal(description, line.Description);
        Assert.Equal(DateOnly.Parse(from), line.ServiceDate);
    }

    [Fact]
    public void The_invoice_keeps_the_contracts_date_even_when_it_is_before_today()
    {
        var due = GoLiveMilestone();
        due.BillOn = Today.AddDays(-20);

        var invoice = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices);

        Assert.Equal(Today.AddDays(-20), invoice.InvoiceDate);
        Assert.Equal(Today.AddDays(10), invoice.DueDate);
    }

    [Theory]
    [InlineData("Net 60", "2026-05-15")]
    [InlineData("Due on receipt", "2026-03-16")]
    [InlineData("Net 30 EOM", "2026-04-30")]
    [InlineData("2% 10 Net 30", "2026-04-15")]
    public void The_due_date_follows_the_payment_terms(string terms, string dueDate)
    {
        var context = Context();
        context.PaymentTerms = terms;

        var invoice = Assert.Single(InvoiceDrafter.Draft(GoLiveMilestone(), context).Invoices);

        Assert.Equal(DateOnly.Parse(dueDate), invoice.DueDate);
        Assert.Equal(terms, invoice.PaymentTerms);
    }

    [Fact]
    public void Terms_that_cannot_be_read_take_the_tenants_standard_due_date_and_say_so()
    {
        var context = Context();
        context.PaymentTerms = "Net 30 after acceptance";
        context.StandardTerms = "Net 15";

        var invoice = Assert.Single(InvoiceDrafter.Draft(GoLiveMilestone(), context).Invoices);

        Assert.Equal(new DateOnly(2026, 3, 31), invoice.DueDate);
        Assert.Contains("Payment terms \"Net 30 after acceptance\" are not recognised; the due date follows the standard Net 15.", invoice.Notes);
    }

    [Fact]
    public void Without_terms_the_standard_terms_set_the_due_date()
    {
        var context = Context();
        context.PaymentTerms = null;

        var invoice = Assert.Single(InvoiceDrafter.Draft(GoLiveMilestone(), context).Invoices);

        Assert.Null(invoice.PaymentTerms);
        Assert.Equal(new DateOnly(2026, 4, 15), invoice.DueDate);
    }

    [Fact]
    public void Manual_lines_stay_marked_as_manual()
    {
        var due = MarchTimeAndMaterials(new ChargeLine { Description = "Extra workshop", Product = "sku:CONSULT", Quantity = 1, UnitPrice = 900m, Amount = 900m, Manual = true });

        var invoice = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices);

        Assert.Equal([false, false, true], invoice.Lines.Select(l => l.Manual));
        Assert.Equal(5_437.50m + 212.40m + 900m, invoice.Total);
    }

    [Fact]
    public void A_negative_total_is_pointed_out_as_a_credit()
    {
        var due = new DueInvoice
        {
            Key = "proration:2026-03-15:downgrade",
            Kind = ChargeKind.Proration,
            BillOn = new DateOnly(2026, 3, 15),
            Lines = [new ChargeLine { Description = "Seats removed mid-term", Product = "sku:CONSULT", Quantity = -2, UnitPrice = 45.5m, Amount = -91m }],
        };

        var invoice = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices);

        Assert.Equal(-91m, invoice.Total);
        Assert.Contains(invoice.Notes, n => n.StartsWith("The total is -91.00 GBP", StringComparison.Ordinal));
    }

    [Fact]
    public void A_due_invoice_without_lines_is_refused()
    {
        var due = GoLiveMilestone();
        due.Lines.Clear();

        Assert.Throws<ArgumentException>(() => InvoiceDrafter.Draft(due, Context()));
    }
}
