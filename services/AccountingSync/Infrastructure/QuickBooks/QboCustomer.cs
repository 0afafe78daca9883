using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboCustomer : QboEntity
{
    public string? DisplayName { get; init; }
    public string? CompanyName { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public QboEmail? PrimaryEmailAddr { get; init; }
    public QboPhone? PrimaryPhone { get; init; }
    public QboAddress? BillAddr { get; init; }
    public QboAddress? ShipAddr { get; init; }
    public QboRef? SalesTermRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public QboRef? ParentRef { get; init; }
    public bool? Job { get; init; }
    public bool? BillWithParent { get; init; }
    public bool? Taxable { get; init; }
    public QboRef? DefaultTaxCodeRef { get; init; }
    /// <summary>QuickBooks' standard exemption reason, "1" to "15" (see <see cref="Domain.TaxExemptionReasons"/>).</summary>
    public string? TaxExemptionReasonId { get; init; }
    /// <summary>The resale or exemption certificate number.</summary>
    public string? ResaleNum { get; init; }
    public string? Notes { get; init; }
    public bool? Active { get; init; }
    public decimal? Balance { get; init; }
}
