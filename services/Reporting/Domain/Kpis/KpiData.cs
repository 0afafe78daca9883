using QuoteToCash.Reporting.Domain.ReadModels;

namespace QuoteToCash.Reporting.Domain.Kpis;

/// <summary>A tenant's read models at one moment, indexed for the KPI calculations.</summary>
public sealed class KpiData
{
    public KpiData(IReadOnlyList<DealFact> deals, IReadOnlyList<InvoiceFact> invoices, IReadOnlyList<CustomerFact> customers,
        IReadOnlyList<ExceptionFact> exceptions)
    {
        Deals = deals;
        Invoices = invoices;
        Customers = customers;
        Exceptions = exceptions;
        DealsByFlow = deals.GroupBy(d => d.FlowId).ToDictionary(g => g.Key, g => g.First());
        InvoicesByFlow = invoices.GroupBy(i => i.FlowId).ToDictionary(g => g.Key, g => (IReadOnlyList<InvoiceFact>)g.ToList());
    }

    public IReadOnlyList<DealFact> Deals { get; }
    public IReadOnlyList<InvoiceFact> Invoices { get; }
    public IReadOnlyList<CustomerFact> Customers { get; }
    public IReadOnlyList<ExceptionFact> Exceptions { get; }
    public IReadOnlyDictionary<Guid, DealFact> DealsByFlow { get; }
    public IReadOnlyDictionary<Guid, IReadOnlyList<InvoiceFact>> InvoicesByFlow { get; }
}

/// <summary>The range and filters of one KPI question.</summary>
/// <param name="From">First day, inclusive.</param>
/// <param name="To">Last day, inclusive.</param>
/// <param name="AsOf">The moment of asking (for the answer's scope).</param>
public sealed record KpiQuery(DateOnly From, DateOnly To, string? BusinessUnit, string? Region, DateTimeOffset AsOf)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public bool Matches(DealFact? deal) =>
        (BusinessUnit is null || string.Equals(deal?.BusinessUnit, BusinessUnit, StringComparison.OrdinalIgnoreCase))
        && (Region is null || string.Equals(deal?.Region, Region, StringComparison.OrdinalIgnoreCase));

    public bool Contains(DateOnly day) => day >= From && day <= To;
}

/// <summary>Hourly cost rates for profitability: person, then role, then the default.</summary>
public sealed class CostRates
{
    public decimal? DefaultRate { get; set; }
    public Dictionary<string, decimal> People { get; set; } = [];
    public Dictionary<string, decimal> Roles { get; set; } = [];
    public DateTimeOffset? UpdatedAt { get; set; }

    public decimal? RateFor(string person, string? role) =>
        People.TryGetValue(person.ToLowerInvariant(), out var p) ? p
        : role is not null && Roles.TryGetValue(role.ToLowerInvariant(), out var r) ? r
        : DefaultRate;
}
