using System.Globalization;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// The approval policy for non-standard invoices and the segregation of duties around approvals (BIL-3, BIL-4, CTL-3).
/// </summary>
public static class ApprovalRules
{
    /// <summary>
    /// Why <paramref name="draft"/> needs approval under <paramref name="policy"/>, in the order discount, terms, amount,
    /// manual lines; empty when it is standard. Terms are measured by the days the invoice actually gives
    /// (due date − invoice date) against <paramref name="standardTerms"/>.
    /// </summary>
    public static List<ApprovalReason> Evaluate(InvoiceDraft draft, ApprovalPolicy policy, string standardTerms)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(policy);
        var standard = string.IsNullOrWhiteSpace(standardTerms) ? "Net 30" : standardTerms.Trim();
        var reasons = new List<ApprovalReason>();
        if (DiscountReason(draft, policy) is { } discount)
            reasons.Add(discount);
        if (TermsReason(draft, policy, standard) is { } terms)
            reasons.Add(terms);
        if (AmountReason(draft, policy) is { } amount)
            reasons.Add(amount);
        if (ManualLineReason(draft, policy) is { } manual)
            reasons.Add(manual);
        return reasons;
    }

    /// <summary>
    /// An invoice's approver must be someone other than who asked for it and who owns the deal. People are compared
    /// by their identifiers (e-mail addresses) without case and surrounding spaces.
    /// </summary>
    public static SodDecision CanApprove(string approver, string? requester, string? dealOwner)
    {
        if (Person(approver) is not { } who)
            return SodDecision.Refuse("An approval must name its approver.");
        if (Same(who, requester))
            return SodDecision.Refuse($"{who} requested this invoice; another person must approve it.");
        if (Same(who, dealOwner))
            return SodDecision.Refuse($"{who} owns the deal; another person must approve its invoice.");
        return SodDecision.Allow;
    }

    /// <summary>
    /// A write-off's approver must be someone other than who asked for it and who approved the credit terms that led
    /// to it.
    /// </summary>
    public static SodDecision CanApproveWriteOff(string approver, string? requester, string? creditTermsApprover)
    {
        if (Person(approver) is not { } who)
            return SodDecision.Refuse("An approval must name its approver.");
        if (Same(who, requester))
            return SodDecision.Refuse($"{who} requested this write-off; another person must approve it.");
        if (Same(who, creditTermsApprover))
            return SodDecision.Refuse($"{who} approved the credit terms of this invoice; another person must approve its write-off.");
        return SodDecision.Allow;
    }

    private static ApprovalReason? DiscountReason(InvoiceDraft draft, ApprovalPolicy policy)
    {
        if (policy.MaxDiscountPercent is not { } limit)
            return null;
        var over = draft.Lines
            .Select(l => (Line: l, Discount: Math.Max(l.DiscountPercent, l.DealDiscountPercent)))
            .Where(x => x.Discount > limit)
            .OrderByDescending(x => x.Discount)
            .ToList();
        if (over.Count == 0)
            return null;
        var (line, discount) = over[0];
        return new ApprovalReason
        {
            Code = ApprovalReason.Discount,
            Message = over.Count == 1
                ? $"\"{line.Description}\" is discounted by {Percent(discount)}%; discounts above {Percent(limit)}% need approval."
                : $"{over.Count} lines are discounted by more than {Percent(limit)}%, the most by {Percent(discount)}% (\"{line.Description}\").",
            Standard = Percent(limit) + "%",
            Actual = Percent(discount) + "%",
            Difference = $"discount {Percent(discount)}% exceeds the {Percent(limit)}% limit by {Percent(discount - limit)} points",
        };
    }

    private static ApprovalReason? TermsReason(InvoiceDraft draft, ApprovalPolicy policy, string standard)
    {
        if (policy.MaxNetDays is not { } limit)
            return null;
        var terms = draft.PaymentTerms ?? standard;
        if (!PaymentTermsRules.IsRecognised(terms))
            return new ApprovalReason
            {
                Code = ApprovalReason.Terms,
                Message = $"Payment terms \"{terms}\" are not terms the policy can measure; the invoice is due {Day(draft.DueDate)}.",
                Standard = standard,
                Actual = terms,
                Difference = $"\"{terms}\" differs from the standard {standard}",
            };

        var days = draft.DueDate.DayNumber - draft.InvoiceDate.DayNumber;
        if (days <= limit)
            return null;
        var standardDays = PaymentTermsRules.DueDate(draft.InvoiceDate, standard).DayNumber - draft.InvoiceDate.DayNumber;
        var endOfMonth = PaymentTermsRules.IsEndOfMonth(terms) ? $" (due {Day(draft.DueDate)}, {days} days after the invoice date)" : string.Empty;
        return new ApprovalReason
        {
            Code = ApprovalReason.Terms,
            Message = $"The invoice is due {days} days after its date; terms beyond {limit} days need approval.",
            Standard = standard,
            Actual = terms,
            Difference = days > standardDays
                ? $"{terms} is {days - standardDays} days beyond the standard {standard}{endOfMonth}"
                : $"{terms} is {days - limit} days beyond the {limit}-day limit{endOfMonth}",
        };
    }

    private static ApprovalReason? AmountReason(InvoiceDraft draft, ApprovalPolicy policy)
    {
        if (policy.MaxAmount is not { } limit || draft.Total <= limit)
            return null;
        var currency = string.IsNullOrWhiteSpace(draft.Currency) ? "USD" : draft.Currency;
        return new ApprovalReason
        {
            Code = ApprovalReason.Amount,
            Message = $"The invoice totals {DraftMoney.Format(draft.Total, currency)}; invoices above {DraftMoney.Format(limit, currency)} need approval.",
            Standard = DraftMoney.Format(limit, currency),
            Actual = DraftMoney.Format(draft.Total, currency),
            Difference = $"amount {DraftMoney.Format(draft.Total, currency)} exceeds the {DraftMoney.Format(limit, currency)} limit by {DraftMoney.Format(draft.Total - limit, currency)}",
        };
    }

    private static ApprovalReason? ManualLineReason(InvoiceDraft draft, ApprovalPolicy policy)
    {
        if (!policy.ManualLinesNeedApproval)
            return null;
        var manual = draft.Lines.Where(l => l.Manual).ToList();
        if (manual.Count == 0)
            return null;
        var currency = string.IsNullOrWhiteSpace(draft.Currency) ? "USD" : draft.Currency;
        var count = manual.Count == 1 ? "1 manual line" : $"{manual.Count} manual lines";
        return new ApprovalReason
        {
            Code = ApprovalReason.ManualLine,
            Message = (manual.Count == 1 ? "A line was" : $"{manual.Count} lines were") + " added by hand: "
                + string.Join(", ", manual.Select(l => $"\"{l.Description}\"")) + ".",
            Standard = "no manual lines",
            Actual = count,
            Difference = $"{count} totalling {DraftMoney.Format(manual.Sum(l => l.Amount), currency)}",
        };
    }

    private static string? Person(string? identifier) => string.IsNullOrWhiteSpace(identifier) ? null : identifier.Trim();

    private static bool Same(string person, string? other) =>
        Person(other) is { } them && string.Equals(person, them, StringComparison.OrdinalIgnoreCase);

    private static string Percent(decimal percent) => percent.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Day(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
