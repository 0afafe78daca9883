namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>
/// A QuickBooks TimeActivity: time an employee (NameOf "Employee", EmployeeRef) or vendor worked, in whole Hours and
/// Minutes, for a customer and a service item, Billable (needs CustomerRef and HourlyRate) or NotBillable.
/// </summary>
public sealed record QboTimeActivity : QboEntity
{
    public const string Billable = "Billable";
    public const string NotBillable = "NotBillable";

    public DateOnly? TxnDate { get; init; }
    public string? NameOf { get; init; }
    public QboRef? EmployeeRef { get; init; }
    public QboRef? VendorRef { get; init; }
    public QboRef? CustomerRef { get; init; }
    public QboRef? ItemRef { get; init; }
    public string? BillableStatus { get; init; }
    public bool? Taxable { get; init; }
    public decimal? HourlyRate { get; init; }
    public int? Hours { get; init; }
    public int? Minutes { get; init; }
    public string? Description { get; init; }
}
