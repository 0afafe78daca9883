using QuoteToCash.Contracts;
using QuoteToCash.DemoHistory.Domain;

namespace QuoteToCash.DemoHistory.Tests;

public sealed class HistoryPlannerTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    private static HistoryPlan Plan(int seed = 12) => HistoryPlanner.Plan(seed, Today);

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        static string Fingerprint(HistoryPlan plan) => string.Join('\n', plan.Actions.Select(a => a switch
        {
            WinDeal w => $"{w.On} {w.Key} {w.Deal.Model} {w.Deal.Name} {w.Deal.Amount} {w.Deal.PaymentTerms} {w.Deal.Customer.Payer}",
            LogTime t => $"{t.On} {t.Key} {t.Hours} {t.Billable}",
            _ => $"{a.On} {a.Key}",
        }));

        Assert.Equal(Fingerprint(Plan(12)), Fingerprint(Plan(12)));
        Assert.NotEqual(Fingerprint(Plan(12)), Fingerprint(Plan(13)));
    }

    [Fact]
    public void It_covers_six_months_up_to_today_in_date_order_on_working_days()
    {
        var plan = Plan();

        Assert.Equal(Today, plan.Calendar.End);
        Assert.Equal(DayOfWeek.Monday, plan.Calendar.Start.DayOfWeek);
        Assert.InRange(Today.DayNumber - plan.Calendar.Start.DayNumber, 26 * 7, 26 * 7 + 6);
        Assert.All(plan.Actions, a => Assert.True(plan.Calendar.Contains(a.On), $"{a.Key} on {a.On}"));
        Assert.All(plan.Actions, a => Assert.True(HistoryCalendar.IsBusinessDay(a.On) || a.On == Today, $"{a.Key} on a {a.On.DayOfWeek}"));
        Assert.Equal(plan.Actions.Select(a => a.On).Order(), plan.Actions.Select(a => a.On));
        Assert.Equal(plan.Actions.Count, plan.Actions.Select(a => a.Key).Distinct().Count());
        // Deals are won across the whole period, not in one burst.
        var wins = plan.Actions.OfType<WinDeal>().Select(w => w.On).ToList();
        foreach (var month in Enumerable.Range(0, 6))
            Assert.Contains(wins, d => d >= plan.Calendar.Start.AddMonths(month) && d < plan.Calendar.Start.AddMonths(month + 1));
    }

    [Theory]
    [InlineData(HistoryPlan.HubSpotTenant, DemoCrm.HubSpot)]
    [InlineData(HistoryPlan.SalesforceTenant, DemoCrm.Salesforce)]
    public void Each_tenant_has_every_billing_model_and_a_spread_of_units_regions_and_segments(string tenant, DemoCrm crm)
    {
        var deals = Plan().Deals.Where(d => d.Tenant == tenant).ToList();

        Assert.All(deals, d => Assert.Equal(crm, d.Crm));
        foreach (var model in Enum.GetValues<BillingModel>())
            Assert.True(deals.Count(d => d.Model == model) >= 2, $"{tenant}: fewer than two {model} deals");
        Assert.True(deals.Select(d => d.BusinessUnit).Distinct().Count() >= 3);
        Assert.True(deals.Select(d => d.Region).Distinct().Count() >= 3);
        Assert.True(deals.Select(d => d.Segment).Distinct().Count() >= 3);
        Assert.True(deals.Select(d => d.Customer.Payer).Distinct().Count() == 4, "customers who pay on time, late, in part and slowly");
        Assert.Contains(deals, d => d.NeedsApproval);
        // Some invoices are still waiting for approval at the end: deals over the limits won in the last days, not yet approved.
        var approved = Plan().Actions.OfType<ApproveInvoices>().Select(a => a.DealKey).ToHashSet();
        Assert.Contains(deals, d => d.NeedsApproval && !approved.Contains(d.Key) && d.WonOn > Today.AddDays(-10));
        Assert.Contains(deals, d => d.Amount > DemoPolicy.MaxAmount && d.WonOn > Today.AddDays(-10));
        Assert.Contains(deals, d => d.Model == BillingModel.FixedFee && d.Plan.Count == 2);
    }

    [Fact]
    public void Project_events_come_after_the_win_and_time_is_billable_and_internal()
    {
        var plan = Plan();
        var won = plan.Actions.OfType<WinDeal>().ToDictionary(w => w.Deal.Key, w => w.On);

        foreach (var action in plan.Actions)
        {
            var deal = action switch
            {
                ReachMilestone m => m.DealKey, LogTime t => t.DealKey, ApproveInvoices a => a.DealKey, CreditInvoice c => c.DealKey,
                VoidInvoice v => v.DealKey, EditInvoiceInBooks e => e.DealKey, _ => null,
            };
            if (deal is not null)
                Assert.True(action.On >= won[deal], $"{action.Key} on {action.On} before the deal was won on {won[deal]}");
        }
        var time = plan.Actions.OfType<LogTime>().ToList();
        Assert.Contains(time, t => t.Billable);
        Assert.Contains(time, t => !t.Billable);
        Assert.All(time, t => Assert.Equal(DayOfWeek.Friday, t.On.DayOfWeek));
        Assert.All(time, t => Assert.InRange(t.Hours, 0.5m, 24m)); // the platform refuses an entry of more than a day
        Assert.All(time, t => Assert.Contains(t.Role, DemoCatalogue.Roles.Select(r => r.Role)));
        // Milestone plans are reached in their order, each once.
        foreach (var deal in plan.Deals.Where(d => d.Model == BillingModel.Milestones))
        {
            var reached = plan.Actions.OfType<ReachMilestone>().Where(m => m.DealKey == deal.Key).ToList();
            Assert.Equal(deal.Plan.Select(p => p.Id).Take(reached.Count), reached.Select(r => r.MilestoneId));
        }
    }

    [Fact]
    public void Master_data_gets_near_duplicates_a_draft_and_a_product_sold_before_it_is_mapped()
    {
        var plan = Plan();

        foreach (var tenant in new[] { HistoryPlan.HubSpotTenant, HistoryPlan.SalesforceTenant })
        {
            var customers = plan.Customers.Where(c => c.Tenant == tenant).ToList();
            var duplicates = customers.Where(c => c.DuplicateOf is not null).ToList();
            Assert.Equal(2, duplicates.Count);
            foreach (var duplicate in duplicates)
            {
                var original = customers.Single(c => c.Key == duplicate.DuplicateOf);
                Assert.NotEqual(original.Name, duplicate.Name);
                Assert.StartsWith(original.Name.Split(' ')[0], duplicate.Name, StringComparison.Ordinal);
                Assert.Equal((original.Street, original.City, original.Domain), (duplicate.Street, duplicate.City, duplicate.Domain));
                var firstOriginalDeal = plan.Deals.Where(d => d.Customer.Key == original.Key).Min(d => d.WonOn);
                Assert.True(plan.Deals.Single(d => d.Customer.Key == duplicate.Key).WonOn > firstOriginalDeal);
            }
            Assert.Single(customers, c => c.MissingAddress);
            // Finance merges one near-duplicate after its deal was won; the other stays in the review queue.
            var merge = Assert.Single(plan.Actions.OfType<MergeDuplicate>(), m => m.Tenant == tenant);
            Assert.Equal(duplicates[0].Key, merge.DuplicateKey);
            Assert.Equal(duplicates[0].DuplicateOf, merge.OriginalKey);
            Assert.True(merge.On > plan.Deals.Single(d => d.Customer.Key == merge.DuplicateKey).WonOn);

            var added = plan.Actions.OfType<AddProduct>().Single(a => a.Tenant == tenant);
            var mapped = plan.Actions.OfType<MapProduct>().Single(a => a.Tenant == tenant);
            Assert.True(mapped.On > added.On);
            Assert.Contains(plan.Actions.OfType<WinDeal>(), w => w.Deal.Tenant == tenant && w.On >= added.On && w.On < mapped.On
                && w.Deal.Lines.Any(l => l.Product == DemoCatalogue.DataMigration));
            Assert.Single(plan.Actions.OfType<CreditInvoice>(), c => plan.Deal(c.DealKey).Tenant == tenant);
            Assert.Single(plan.Actions.OfType<VoidInvoice>(), c => plan.Deal(c.DealKey).Tenant == tenant);
            Assert.Single(plan.Actions.OfType<EditInvoiceInBooks>(), c => plan.Deal(c.DealKey).Tenant == tenant);
        }
    }

    [Fact]
    public void The_calendar_starts_on_a_monday_and_steps_over_weekends()
    {
        var calendar = HistoryCalendar.Ending(new DateOnly(2026, 11, 29), 1); // a Sunday

        Assert.Equal(new DateOnly(2026, 11, 16), calendar.Start);
        Assert.DoesNotContain(calendar.Days(), d => d.DayOfWeek == DayOfWeek.Saturday);
        Assert.Contains(new DateOnly(2026, 11, 29), calendar.Days()); // the last day is played whatever day it is
        Assert.Equal(new DateOnly(2026, 11, 30), HistoryCalendar.AddBusinessDays(new DateOnly(2026, 11, 27), 1));
        Assert.Equal(new DateOnly(2026, 11, 30), HistoryCalendar.OnOrAfter(new DateOnly(2026, 11, 28)));
    }
}
