using QuoteToCash.Contracts;

namespace QuoteToCash.DemoHistory.Domain;

/// <summary>The history of one seed: its days, the customers and deals of both tenants, and every action in date order.</summary>
public sealed record HistoryPlan(int Seed, HistoryCalendar Calendar, IReadOnlyList<DemoCustomer> Customers, IReadOnlyList<DemoDeal> Deals,
    IReadOnlyList<DemoAction> Actions)
{
    public const string HubSpotTenant = "demo";
    public const string SalesforceTenant = "demo-sf";

    public DemoDeal Deal(string key) => Deals.First(d => d.Key == key);

    public IEnumerable<DemoAction> On(DateOnly day) => Actions.Where(a => a.On == day);
}

/// <summary>
/// Makes the history of a consulting firm for a seed (pure: the same seed and last day give the same plan). Both demo
/// tenants get about two dozen deals over the weeks, across the five billing models, business units, regions and
/// segments: fixed fees (some half on signing, half on completion, some on terms that need approval), milestone
/// projects, time-and-materials engagements and retainers with weekly time (billable and internal), monthly support
/// subscriptions; customers who pay on time, late, in part or hardly at all (payments are decided per invoice by
/// <see cref="PaymentBehaviour"/>); two near-duplicate companies and one without an address for master data's review;
/// a credit note, a voided invoice and an invoice edited by hand in QuickBooks; a new product sold before it is mapped.
/// </summary>
public static class HistoryPlanner
{
    public const int DefaultWeeks = 26;

    private static readonly string[] People = ["Ava Patel", "Ben Okafor", "Chloe Martin", "Diego Alvarez", "Emma Lindqvist", "Farid Haddad", "Grace Kim", "Hugo Silva"];

    private static readonly (string City, string State, string Zip, string Region)[] Places =
    [
        ("Seattle", "WA", "98101", "West"), ("Portland", "OR", "97201", "West"), ("San Diego", "CA", "92101", "West"),
        ("Denver", "CO", "80202", "Central"), ("Chicago", "IL", "60601", "Central"), ("Austin", "TX", "78701", "Central"),
        ("Boston", "MA", "02110", "East"), ("New York", "NY", "10001", "East"), ("Atlanta", "GA", "30303", "East"),
    ];

    private static readonly string[] Segments = ["Enterprise", "Mid-market", "Small business"];

    private static readonly string[][] CompanyNames =
    [
        [
            "Globex Corporation", "Initech Systems", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Acme Analytics", "Hooli Media",
            "Vandelay Imports", "Soylent Nutrition", "Tyrell Robotics", "Cyberdyne Labs", "Wonka Confectionery", "Gringotts Advisory", "Oscorp Materials",
        ],
        [
            "Northwind Traders", "Contoso Pharma", "Fabrikam Retail", "Tailspin Aviation", "Litware Software", "Adventure Works Cycles", "Proseware Learning",
            "Wingtip Toys", "Coho Winery", "Alpine Ski House", "Margie's Travel", "Lucerne Publishing", "Trey Research", "Woodgrove Bank",
        ],
    ];

    /// <summary>Near-duplicate spellings of the first two companies, entered later by another salesperson.</summary>
    private static readonly string[][] DuplicateNames = [["Globex Corp.", "Initech Systems Inc"], ["Northwind Traders Ltd", "Contoso Pharma Inc."]];

    private static readonly BillingModel[] ModelMix =
    [
        BillingModel.Subscription, BillingModel.FixedFee, BillingModel.TimeAndMaterials, BillingModel.Milestones, BillingModel.Retainer,
        BillingModel.FixedFee, BillingModel.TimeAndMaterials, BillingModel.Subscription, BillingModel.Milestones, BillingModel.FixedFee,
        BillingModel.TimeAndMaterials, BillingModel.Retainer, BillingModel.Subscription, BillingModel.FixedFee, BillingModel.Milestones,
        BillingModel.TimeAndMaterials, BillingModel.FixedFee, BillingModel.Subscription, BillingModel.Milestones, BillingModel.FixedFee,
    ];

    public static HistoryPlan Plan(int seed, DateOnly today, int weeks = DefaultWeeks)
    {
        var calendar = HistoryCalendar.Ending(today, weeks);
        var customers = new List<DemoCustomer>();
        var deals = new List<DemoDeal>();
        var actions = new List<DemoAction>();
        string[] tenants = [HistoryPlan.HubSpotTenant, HistoryPlan.SalesforceTenant];
        for (var t = 0; t < tenants.Length; t++)
        {
            var random = new Random(StableHash.Of(seed, tenants[t]));
            PlanTenant(random, calendar, tenants[t], t == 0 ? DemoCrm.HubSpot : DemoCrm.Salesforce, CompanyNames[t], DuplicateNames[t], customers, deals, actions);
        }
        var ordered = actions
            .Where(a => calendar.Contains(a.On))
            .OrderBy(a => a.On).ThenBy(Order).ThenBy(a => a.Key, StringComparer.Ordinal)
            .ToList();
        return new HistoryPlan(seed, calendar, customers, deals, ordered);
    }

    private static int Order(DemoAction action) => action switch
    {
        PrepareTenant => 0,
        AddProduct => 1,
        MapProduct => 2,
        WinDeal => 3,
        ReachMilestone => 4,
        LogTime => 5,
        ApproveInvoices => 6,
        _ => 7,
    };

    private static void PlanTenant(Random random, HistoryCalendar calendar, string tenant, DemoCrm crm, string[] names, string[] duplicateNames,
        List<DemoCustomer> customers, List<DemoDeal> deals, List<DemoAction> actions)
    {
        actions.Add(new PrepareTenant(calendar.Start, tenant));
        var totalWeeks = (calendar.End.DayNumber - calendar.Start.DayNumber) / 7;
        DateOnly Week(double at, int weekday = -1) =>
            HistoryCalendar.OnOrAfter(calendar.Start.AddDays((int)Math.Round(at * totalWeeks) * 7 + (weekday < 0 ? random.Next(0, 5) : weekday)));

        var own = new List<DemoCustomer>();
        for (var i = 0; i < names.Length; i++)
        {
            var place = Places[random.Next(Places.Length)];
            var payer = (i % 7) switch { 0 or 3 or 5 => PayerProfile.OnTime, 1 or 6 => PayerProfile.Late, 2 => PayerProfile.Partial, _ => PayerProfile.Slow };
            var slug = Slug(names[i]);
            own.Add(new DemoCustomer($"{tenant}:{slug}", tenant, names[i], slug + ".test", $"{random.Next(1, 900)} {Streets[random.Next(Streets.Length)]}",
                place.City, place.State, place.Zip, $"ap@{slug}.test", Segments[i % Segments.Length], payer));
        }
        // One company the salesperson entered without an address: a draft customer for master data.
        var draftPlace = Places[random.Next(Places.Length)];
        var draft = new DemoCustomer($"{tenant}:draft", tenant, tenant == HistoryPlan.HubSpotTenant ? "Blue Yonder Airlines" : "Graphic Design Institute",
            "draft-" + tenant + ".test", "", draftPlace.City, draftPlace.State, draftPlace.Zip, $"ap@draft-{tenant}.test", "Small business", PayerProfile.OnTime);
        customers.AddRange(own);
        customers.Add(draft);

        var mix = ModelMix.OrderBy(_ => random.Next()).ToList();
        // Every model at least three times, whatever the shuffle did to the order.
        var dealCount = mix.Count;
        var newProductWeek = 0.35;
        var mappedWeek = 0.52;
        actions.Add(new AddProduct(Week(newProductWeek, 0), tenant, DemoCatalogue.DataMigration));
        actions.Add(new MapProduct(Week(mappedWeek, 2), tenant, DemoCatalogue.DataMigration));
        var creditDone = false;
        var voidDone = false;
        var editDone = false;
        var net60 = 0;
        var parts = false;

        for (var i = 0; i < dealCount; i++)
        {
            var model = mix[i];
            var customer = own[i % own.Count];
            var wonOn = Week(0.02 + 0.93 * i / dealCount);
            var place = Places.First(p => p.City == customer.City);
            var deal = Shape(random, tenant, crm, $"{tenant}:d{i + 1:00}", customer, model, wonOn, place.Region);
            if (model == BillingModel.FixedFee && !parts)
            {
                // Half on signing, half on completion: at least one such fee per tenant.
                deal = deal with { Plan = [new DemoMilestone("signing", "On signing", 50m), new DemoMilestone("completion", "On completion", 50m)] };
                parts = true;
            }
            else if (model == BillingModel.FixedFee && deal.Plan.Count == 0 && net60 < 3)
            {
                deal = deal with { PaymentTerms = "Net 60" };
                net60++;
            }
            deals.Add(deal);
            AddDealActions(random, calendar, deal, actions);

            if (!creditDone && model is BillingModel.FixedFee && deal.Plan.Count == 0 && i >= 3)
            {
                actions.Add(new CreditInvoice(HistoryCalendar.AddBusinessDays(wonOn, 8), deal.Key, Math.Round(deal.Amount * 0.1m, 0),
                    "Two training days were billed but not delivered"));
                creditDone = true;
            }
            else if (!voidDone && model is BillingModel.Milestones && i >= 4)
            {
                voidDone = true;
                // A week after the first milestone was invoiced, before the customer pays it.
                var firstMilestone = HistoryCalendar.OnOrAfter(deal.WonOn.AddDays((int)Math.Round((deal.ProjectEnd.DayNumber - deal.WonOn.DayNumber) / (double)deal.Plan.Count)));
                actions.Add(new VoidInvoice(HistoryCalendar.AddBusinessDays(firstMilestone, 2), deal.Key));
            }
            else if (!editDone && model is BillingModel.Subscription && i >= 2)
            {
                editDone = true;
                actions.Add(new EditInvoiceInBooks(HistoryCalendar.AddBusinessDays(wonOn, 3), deal.Key, 15));
            }
        }

        // The new product sold twice before finance maps it: billed to the default item meanwhile.
        foreach (var (at, index) in new[] { (newProductWeek + 0.05, 6), (newProductWeek + 0.11, 9) })
        {
            var customer = own[index];
            var place = Places.First(p => p.City == customer.City);
            var deal = Shape(random, tenant, crm, $"{tenant}:migration{index}", customer, BillingModel.FixedFee, Week(at), place.Region) with
            {
                Name = $"{customer.Name}: data migration", Lines = [new DemoLine(DemoCatalogue.DataMigration, 1 + random.Next(0, 2))], Plan = [],
            };
            deals.Add(deal);
            AddDealActions(random, calendar, deal, actions);
        }

        // Later deals of near-duplicate companies, and of the company without an address.
        for (var d = 0; d < duplicateNames.Length; d++)
        {
            var original = own[d];
            var duplicate = original with
            {
                Key = $"{tenant}:dup{d + 1}", Name = duplicateNames[d], BillingEmail = $"accounts@{original.Domain}", DuplicateOf = original.Key,
            };
            customers.Add(duplicate);
            var place = Places.First(p => p.City == duplicate.City);
            var deal = Shape(random, tenant, crm, $"{tenant}:dup-deal{d + 1}", duplicate, BillingModel.FixedFee, Week(0.6 + 0.25 * d), place.Region) with { Plan = [] };
            deals.Add(deal);
            AddDealActions(random, calendar, deal, actions);
            // Finance merges the first of them a few days after its deal was won; the second stays in the review queue.
            if (d == 0)
            {
                var mergeOn = HistoryCalendar.AddBusinessDays(deal.WonOn, 3);
                actions.Add(new MergeDuplicate(mergeOn <= calendar.End ? mergeOn : calendar.End, tenant, duplicate.Key, original.Key));
            }
        }
        // Invoices still waiting for finance at the end: 60-day terms, and an implementation above the amount limit.
        foreach (var (index, daysBack) in new[] { (3, 2), (4, 6) })
        {
            var customer = own[index];
            var place = Places.First(p => p.City == customer.City);
            var wonOn = calendar.End.AddDays(-daysBack);
            while (!HistoryCalendar.IsBusinessDay(wonOn))
                wonOn = wonOn.AddDays(-1);
            var deal = Shape(random, tenant, crm, $"{tenant}:pending{index}", customer, BillingModel.FixedFee, wonOn, place.Region) with
            {
                Plan = [],
                PaymentTerms = daysBack == 2 ? "Net 60" : "Net 30",
                Name = daysBack == 2 ? $"{customer.Name}: strategy workshops" : $"{customer.Name}: ERP implementation",
                Lines = daysBack == 2 ? [new DemoLine(DemoCatalogue.Training, 4)] : [new DemoLine(DemoCatalogue.Implementation, 400)],
            };
            deals.Add(deal);
            actions.Add(new WinDeal(deal.WonOn, deal));
        }

        var draftDeal = Shape(random, tenant, crm, $"{tenant}:draft-deal", draft, BillingModel.FixedFee, Week(0.7), draftPlace.Region) with { Plan = [] };
        deals.Add(draftDeal);
        AddDealActions(random, calendar, draftDeal, actions);
    }

    private static readonly string[] Streets = ["Main St", "Market St", "Harbour Rd", "Elm St", "King St", "Park Ave", "Mill Rd", "Lake Dr"];

    private static DemoDeal Shape(Random random, string tenant, DemoCrm crm, string key, DemoCustomer customer, BillingModel model, DateOnly wonOn, string region)
    {
        var team = new List<DemoAssignment>();
        var people = People.OrderBy(_ => random.Next()).Take(3).ToList();
        DemoAssignment Member(int index, string role, int min, int max) =>
            new(people[index], role, min + random.Next(0, max - min + 1), random.Next(100) < 50 ? 1 + random.Next(0, 3) : 0);
        var terms = random.Next(100) < 25 ? "Net 15" : "Net 30";
        var deal = new DemoDeal
        {
            Key = key, Tenant = tenant, Crm = crm, Name = customer.Name, Customer = customer, Model = model, WonOn = wonOn, Lines = [], PaymentTerms = terms,
            BusinessUnit = "Delivery", Region = region,
        };
        switch (model)
        {
            case BillingModel.FixedFee:
                var product = random.Next(3) switch { 0 => DemoCatalogue.Training, 1 => DemoCatalogue.Implementation, _ => DemoCatalogue.Consulting };
                var quantity = product == DemoCatalogue.Training ? random.Next(2, 7) : random.Next(4, 13) * 10;
                team.Add(Member(0, product == DemoCatalogue.Consulting ? "consultant" : "senior", 8, 20));
                return deal with
                {
                    Name = $"{customer.Name}: {(product == DemoCatalogue.Training ? "training programme" : product == DemoCatalogue.Implementation ? "implementation" : "advisory project")}",
                    Lines = [new DemoLine(product, quantity)],
                    Plan = random.Next(100) < 50 ? [new DemoMilestone("signing", "On signing", 50m), new DemoMilestone("completion", "On completion", 50m)] : [],
                    Team = team, ProjectWeeks = random.Next(3, 9),
                };
            case BillingModel.Milestones:
                team.Add(Member(0, "senior", 12, 22));
                team.Add(Member(1, "consultant", 8, 20));
                return deal with
                {
                    Name = $"{customer.Name}: platform rollout",
                    Lines = [new DemoLine(DemoCatalogue.Implementation, random.Next(8, 21) * 10)],
                    Plan = [new DemoMilestone("design", "Design signed off", 30m), new DemoMilestone("build", "Build complete", 40m), new DemoMilestone("golive", "Go-live", 30m)],
                    Team = team, ProjectWeeks = random.Next(6, 13),
                };
            case BillingModel.TimeAndMaterials:
                team.Add(Member(0, "senior", 10, 22));
                if (random.Next(100) < 70)
                    team.Add(Member(1, "consultant", 8, 22));
                if (random.Next(100) < 30)
                    team.Add(Member(2, "pm", 4, 8));
                return deal with { Name = $"{customer.Name}: advisory hours", BusinessUnit = "Advisory", Team = team, ProjectWeeks = random.Next(6, 15) };
            case BillingModel.Retainer:
                var deposit = random.Next(8, 16) * 1000m;
                team.Add(Member(0, "senior", 5, 12));
                if (random.Next(100) < 50)
                    team.Add(Member(1, "consultant", 4, 10));
                return deal with
                {
                    Name = $"{customer.Name}: advisory retainer", BusinessUnit = "Advisory", RetainerDeposit = deposit, RetainerThreshold = Math.Round(deposit * 0.3m, 0),
                    Team = team, ProjectWeeks = 60,
                };
            default:
                return deal with
                {
                    Name = $"{customer.Name}: managed support", BusinessUnit = "Managed Services", SubscriptionSeats = random.Next(1, 4),
                    SubscriptionMonths = random.Next(100) < 50 ? 12 : null,
                };
        }
    }

    private static void AddDealActions(Random random, HistoryCalendar calendar, DemoDeal deal, List<DemoAction> actions)
    {
        actions.Add(new WinDeal(deal.WonOn, deal));
        if (deal.NeedsApproval)
            actions.Add(new ApproveInvoices(HistoryCalendar.AddBusinessDays(deal.WonOn, 2 + random.Next(0, 4)), deal.Key));
        var end = deal.ProjectEnd;
        if (deal.Model == BillingModel.Milestones)
        {
            for (var m = 0; m < deal.Plan.Count; m++)
            {
                var on = HistoryCalendar.OnOrAfter(deal.WonOn.AddDays((int)Math.Round((m + 1) * (end.DayNumber - deal.WonOn.DayNumber) / (double)deal.Plan.Count)));
                actions.Add(new ReachMilestone(on, deal.Key, deal.Plan[m].Id, deal.Plan[m].Name));
            }
        }
        else if (deal.Model is BillingModel.FixedFee or BillingModel.TimeAndMaterials && deal.Team.Count > 0)
        {
            // The project is complete: the fee's completion part, the last time period.
            actions.Add(new ReachMilestone(HistoryCalendar.OnOrAfter(end), deal.Key, "completion", "Project complete"));
        }

        // Every Friday of the project, each person logs the week: billable hours, and internal hours apart.
        for (var friday = deal.WonOn.AddDays(((int)DayOfWeek.Friday - (int)deal.WonOn.DayOfWeek + 7) % 7); friday <= end && friday <= calendar.End; friday = friday.AddDays(7))
        {
            foreach (var member in deal.Team)
            {
                var person = Slug(member.Person);
                // One entry holds at most a day's 24 hours (the platform refuses more): weekly time is kept under it.
                var hours = Math.Clamp(member.WeeklyHours + random.Next(-4, 5) / 2m, 1m, 24m);
                actions.Add(new LogTime(friday, deal.Key, $"{person}-{friday:yyyyMMdd}", member.Person, member.Role, hours, true, $"Week of {friday.AddDays(-4):d MMM}: project work"));
                if (member.WeeklyInternalHours > 0)
                    actions.Add(new LogTime(friday, deal.Key, $"{person}-{friday:yyyyMMdd}-internal", member.Person, member.Role, member.WeeklyInternalHours, false,
                        "Internal: status meetings and handover"));
            }
        }
    }

    public static string Slug(string name) =>
        new string(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-').Replace("--", "-", StringComparison.Ordinal);
}
