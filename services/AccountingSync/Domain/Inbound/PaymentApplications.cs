namespace QuoteToCash.AccountingSync.Domain.Inbound;

/// <summary>How much of one QuickBooks payment is applied to one of our invoices (by QuickBooks invoice Id).</summary>
public sealed record AppliedAmount
{
    public string AccountingInvoiceId { get; init; } = string.Empty;
    public decimal Amount { get; init; }
}

/// <summary>A change in what a payment applies to one invoice: positive is money (or credit) received, negative is taken back.</summary>
public sealed record ApplicationChange(string AccountingInvoiceId, decimal Change, decimal NowApplied);

/// <summary>
/// The difference between what a payment applied to our invoices when we last saw it and what it applies now. Reporting the
/// difference rather than the whole amount is what makes a payment seen twice (webhook and CDC, or a re-delivery) publish
/// nothing the second time, and an increased payment publish only the increase.
/// </summary>
public static class PaymentApplications
{
    public static IReadOnlyList<ApplicationChange> Diff(IEnumerable<AppliedAmount> known, IEnumerable<AppliedAmount> now)
    {
        var before = Sum(known);
        var after = Sum(now);
        var changes = new List<ApplicationChange>();
        foreach (var id in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var change = after.GetValueOrDefault(id) - before.GetValueOrDefault(id);
            if (change != 0m)
                changes.Add(new ApplicationChange(id, change, after.GetValueOrDefault(id)));
        }
        return changes;
    }

    /// <summary>The amounts per invoice, lines to the same invoice added up; zero amounts (a voided payment's lines) apply nothing.</summary>
    public static List<AppliedAmount> Normalize(IEnumerable<AppliedAmount> lines) =>
        Sum(lines).Where(p => p.Value != 0m).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new AppliedAmount { AccountingInvoiceId = p.Key, Amount = p.Value }).ToList();

    private static Dictionary<string, decimal> Sum(IEnumerable<AppliedAmount> lines)
    {
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var line in lines)
            sums[line.AccountingInvoiceId] = sums.GetValueOrDefault(line.AccountingInvoiceId) + line.Amount;
        return sums;
    }
}
