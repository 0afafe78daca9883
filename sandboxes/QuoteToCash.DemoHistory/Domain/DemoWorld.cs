using QuoteToCash.Contracts;

namespace QuoteToCash.DemoHistory.Domain;

/// <summary>The CRM a demo tenant works in.</summary>
public enum DemoCrm
{
    HubSpot,
    Salesforce,
}

/// <summary>How a customer pays its invoices (see <see cref="PaymentBehaviour"/>).</summary>
public enum PayerProfile
{
    /// <summary>Pays in full within the terms.</summary>
    OnTime,
    /// <summary>Pays in full, weeks after the due date.</summary>
    Late,
    /// <summary>Pays about half within the terms and the rest late.</summary>
    Partial,
    /// <summary>Pays months late, or not within the history at all.</summary>
    Slow,
}

/// <summary>
/// A customer company in the CRM. <see cref="DuplicateOf"/> names the customer it is a slightly differently spelled copy
/// of (same address and domain), entered again by another salesperson: master data should ask finance to review it.
/// A customer without a street is a draft for master data (missing fields).
/// </summary>
public sealed record DemoCustomer(string Key, string Tenant, string Name, string Domain, string Street, string City, string State, string Zip,
    string BillingEmail, string Segment, PayerProfile Payer, string? DuplicateOf = null)
{
    public bool MissingAddress => Street.Length == 0;
}

/// <summary>A line of a deal: a catalogue product and a quantity (at the catalogue price).</summary>
public sealed record DemoLine(DemoProduct Product, decimal Quantity)
{
    public decimal Amount => Product.UnitPrice * Quantity;
}

/// <summary>A milestone or fee part of the deal's plan: a share of the contract value.</summary>
public sealed record DemoMilestone(string Id, string Name, decimal Percent);

/// <summary>Who works on a project, in which role, and how many hours a week (billable, then internal).</summary>
public sealed record DemoAssignment(string Person, string Role, decimal WeeklyHours, decimal WeeklyInternalHours);

/// <summary>
/// A deal as the salesperson enters it in the CRM and wins it on <see cref="WonOn"/>, with its billing terms (the
/// tenant's q2c_* deal fields), business unit, region and segment. Projects run from the win for
/// <see cref="ProjectWeeks"/> weeks with the <see cref="Team"/> logging time every Friday.
/// </summary>
public sealed record DemoDeal
{
    public required string Key { get; init; }
    public required string Tenant { get; init; }
    public required DemoCrm Crm { get; init; }
    public required string Name { get; init; }
    public required DemoCustomer Customer { get; init; }
    public required BillingModel Model { get; init; }
    public required DateOnly WonOn { get; init; }
    public required IReadOnlyList<DemoLine> Lines { get; init; }
    public required string PaymentTerms { get; init; }
    public required string BusinessUnit { get; init; }
    public required string Region { get; init; }
    public string Segment => Customer.Segment;
    /// <summary>Fixed fee parts (empty: the whole fee on signing) or the milestone plan.</summary>
    public IReadOnlyList<DemoMilestone> Plan { get; init; } = [];
    public decimal RetainerDeposit { get; init; }
    public decimal RetainerThreshold { get; init; }
    public decimal SubscriptionSeats { get; init; }
    public int? SubscriptionMonths { get; init; }
    public IReadOnlyList<DemoAssignment> Team { get; init; } = [];
    public int ProjectWeeks { get; init; }

    /// <summary>The contract value the CRM shows as the deal's amount (a subscription: one month; T&amp;M: nothing fixed).</summary>
    public decimal Amount => Model switch
    {
        BillingModel.TimeAndMaterials => 0m,
        BillingModel.Retainer => RetainerDeposit,
        BillingModel.Subscription => DemoCatalogue.Support.UnitPrice * SubscriptionSeats,
        _ => Lines.Sum(l => l.Amount),
    };

    /// <summary>The value of the q2c_billing_model field.</summary>
    public string ModelField => Model switch
    {
        BillingModel.FixedFee => "fixed_fee",
        BillingModel.Milestones => "milestones",
        BillingModel.TimeAndMaterials => "time_and_materials",
        BillingModel.Retainer => "retainer",
        _ => "subscription",
    };

    /// <summary>True when billing needs finance's approval under the demo's policy (terms longer than Net 45).</summary>
    public bool NeedsApproval => DemoPolicy.NetDays(PaymentTerms) > DemoPolicy.MaxNetDays;

    public DateOnly ProjectEnd => WonOn.AddDays(7 * ProjectWeeks);
}

/// <summary>The billing policy the history sets on both tenants before the first deal.</summary>
public static class DemoPolicy
{
    /// <summary>Terms longer than this wait for approval.</summary>
    public const int MaxNetDays = 45;

    /// <summary>Invoices above this amount wait for approval.</summary>
    public const decimal MaxAmount = 60_000m;

    public static int NetDays(string terms) =>
        terms.StartsWith("Net ", StringComparison.Ordinal) && int.TryParse(terms.AsSpan(4), out var days) ? days : 0;
}
