namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>
/// A QuickBooks Employee: the person time is recorded for. DisplayName is unique across customers, vendors and
/// employees, inactive ones included; QuickBooks needs a GivenName or a FamilyName.
/// </summary>
public sealed record QboEmployee : QboEntity
{
    public string? DisplayName { get; init; }
    public string? GivenName { get; init; }
    public string? MiddleName { get; init; }
    public string? FamilyName { get; init; }
    public QboEmail? PrimaryEmailAddr { get; init; }
    public bool? BillableTime { get; init; }
    public decimal? BillRate { get; init; }
    public string? EmployeeNumber { get; init; }
    public bool? Active { get; init; }
}
