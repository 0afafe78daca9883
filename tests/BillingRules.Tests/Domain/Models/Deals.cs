using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

/// <summary>Deals of the consulting firm the model tests bill, in pounds, signed on Monday 2 March 2026.</summary>
internal static class Deals
{
    public const string Currency = "GBP";
    public static readonly DateOnly Signed = new(2026, 3, 2);

    public static DateOnly D(int month, int day, int year = 2026) => new(year, month, day);

    public static ContractLedger Start(BillingTerms terms, decimal value = 0m, IReadOnlyList<DealLine>? lines = null, string currency = Currency,
        DateOnly? signedOn = null, string name = "Contoso ERP rollout") =>
        BillingContract.Start(name, terms, lines ?? [], value, currency, signedOn ?? Signed);

    public static FeeInstalment Part(string id, decimal? percent = null, decimal? amount = null, InstalmentTrigger trigger = InstalmentTrigger.OnSigning,
        DateOnly? date = null, string? label = null) =>
        new() { Id = id, Percent = percent, Amount = amount, Trigger = trigger, Date = date, Label = label };

    public static RateCardEntry Rate(string role, decimal rate, string? person = null, string? product = null) =>
        new() { Role = role, Rate = rate, Person = person, Product = product };

    public static TimeEntry Time(string id, string person, string? role, DateOnly date, decimal hours, bool billable = true, decimal? rate = null) =>
        new(id, person, role, date, hours, billable, rate, null);

    /// <summary>Every invoice of an outcome, flattened to what a test compares: key, date, and each line's description and amount.</summary>
    public static IEnumerable<(string Key, DateOnly BillOn, decimal Total)> Summary(this ContractOutcome outcome) =>
        outcome.Due.Select(d => (d.Key, d.BillOn, d.Total));
}
