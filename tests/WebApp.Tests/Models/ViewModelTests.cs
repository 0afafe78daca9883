using System.Net;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;
using QuoteToCash.WebApp.Pages.Tenant.Customers;

namespace QuoteToCash.WebApp.Tests.Models;

/// <summary>What the pages compute before they render: SLA countdowns, failures in plain words, the customer form's changes, links.</summary>
public sealed class ViewModelTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T12:00:00Z");

    [Fact]
    public void An_sla_counts_down_warns_in_the_last_four_hours_and_says_how_far_past_it_is()
    {
        Assert.Equal(new SlaCountdown("due in 1 d 2 h", "ok"), Durations.Sla(Now.AddHours(26), Now));
        Assert.Equal(new SlaCountdown("due in 3 h 20 min", "soon"), Durations.Sla(Now.AddMinutes(200), Now));
        Assert.Equal(new SlaCountdown("overdue by 45 min", "breached"), Durations.Sla(Now.AddMinutes(-45), Now));
        Assert.Equal("done", Durations.Sla(Now.AddMinutes(-45), Now, closed: true).State);
    }

    [Fact]
    public void A_service_that_does_not_answer_is_named_and_the_rest_of_the_page_is_promised()
    {
        var down = new ApiResult<object>(null, null, ApiProblem.None, ServiceNames.For("/api/accounting/demo/exceptions"));
        Assert.True(down.ServiceDown);
        Assert.Equal("Accounting sync (the exception queue) is not answering", down.Headline);
        Assert.Contains("The rest of the page still works", down.Explanation, StringComparison.Ordinal);

        var badGateway = down with { Status = HttpStatusCode.BadGateway, Service = ServiceNames.For("/api/reports/demo/kpis/cash") };
        Assert.Equal("Reporting (KPIs and timelines) is not answering", badGateway.Headline);
    }

    [Fact]
    public void A_segregation_of_duties_refusal_reads_as_such_and_keeps_the_services_reason()
    {
        var refused = new ApiResult<object>(null, HttpStatusCode.Forbidden,
            new ApiProblem("Segregation of duties", "maria owns the deal and may not approve its invoice.", new Dictionary<string, string[]>()), "Billing rules");
        Assert.Equal("Segregation of duties: someone else must decide this", refused.Headline);
        Assert.Equal("maria owns the deal and may not approve its invoice.", refused.Explanation);

        var role = refused with { Problem = new ApiProblem("Not allowed", null, new Dictionary<string, string[]>()) };
        Assert.Equal("Your role does not allow this", role.Headline);
    }

    [Fact]
    public void The_customer_form_sends_only_what_changed()
    {
        var customer = new Customer(Guid.NewGuid(), "Draft", "Acme", "Acme Corp", null, null, null,
            new PostalAddress("1 Main St", null, "Austin", "TX", "78701", "US"), [new ContactPerson("Ann", "Lee", "ap@acme.test", null, true)], [], null,
            "Net 30", "Net 30", "USD", [], null, null, null, null, null, 1, DateTime.UtcNow, DateTime.UtcNow);
        var unchanged = new CustomerEdit
        {
            DisplayName = "Acme", LegalName = "Acme Corp", PaymentTerms = "Net 30", Currency = "USD", BillingEmail = "ap@acme.test", Line1 = "1 Main St",
            City = "Austin", PostalCode = "78701", Country = "US",
        };
        Assert.Empty(unchanged.ChangesFrom(customer));

        var edit = new CustomerEdit
        {
            DisplayName = "Acme", LegalName = "Acme Corporation ", PaymentTerms = "Net 30", Currency = "USD", BillingEmail = "billing@acme.test",
            Line1 = "1 Main St", City = "Austin", PostalCode = "78701", Country = "US",
        };
        var changes = edit.ChangesFrom(customer);
        Assert.Equal(["legalName", "contacts"], changes.Keys);
        Assert.Equal("Acme Corporation", changes["legalName"]);
        var contact = Assert.Single((List<ContactPerson>)changes["contacts"]!);
        Assert.Equal(new ContactPerson("Ann", "Lee", "billing@acme.test", null, true), contact);
    }

    [Fact]
    public void Record_links_fill_the_configured_templates_and_leave_out_what_they_cannot_address()
    {
        var links = new Extensions.WebAppOptions.LinkOptions();
        Assert.Equal("https://login.salesforce.com/006ABC", FlowJourney.CrmLink(links, "demo", "salesforce", "006ABC"));
        Assert.Null(FlowJourney.CrmLink(links, "demo", "hubspot", "42"));            // no portal known for the tenant
        links.HubSpotPortals["demo"] = "777";
        Assert.Equal("https://app.hubspot.com/contacts/777/record/0-3/42", FlowJourney.CrmLink(links, "demo", "hubspot", "42"));
        Assert.Null(FlowJourney.CrmLink(links, "demo", "generic", "D-1"));
        Assert.Equal("https://app.qbo.intuit.com/app/invoice?txnId=130", FlowJourney.QuickBooksLink(links, "demo", "130"));
    }

    [Fact]
    public void A_journey_gives_each_step_the_time_until_the_next()
    {
        var at = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        TimelineEntry Entry(string name, DateTime when) => new(name, when, null, null, null, null, null, null, null, null, [], null);
        var steps = FlowJourney.From(new Timeline(Guid.NewGuid(), "Deal", at, "InvoiceSent", at.AddHours(5),
            [Entry("InvoiceSent", at.AddHours(5)), Entry("DealWon", at), Entry("InvoicePosted", at.AddHours(2))]));
        Assert.Equal(["DealWon", "InvoicePosted", "InvoiceSent"], steps.Select(s => s.Event));
        Assert.Equal([TimeSpan.FromHours(2), TimeSpan.FromHours(3), null], steps.Select(s => s.Took));
        Assert.Equal("Invoice posted", FlowJourney.Words("InvoicePosted"));
    }
}
