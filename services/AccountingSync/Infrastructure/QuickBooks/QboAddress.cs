using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboAddress
{
    public string? Id { get; init; }
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? CountrySubDivisionCode { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
}
