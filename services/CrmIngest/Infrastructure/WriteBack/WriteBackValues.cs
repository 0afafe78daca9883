namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>The values the write-back uses: the invoice statuses and account standings the CRM picklists offer.</summary>
public static class WriteBackValues
{
    public const string Draft = "Draft";
    public const string AwaitingApproval = "Awaiting approval";
    public const string Posted = "Posted";
    public const string Sent = "Sent";
    public const string PartiallyPaid = "Partially paid";
    public const string Paid = "Paid";
    public const string Overdue = "Overdue";
    public const string Voided = "Voided";

    public static readonly IReadOnlyList<string> InvoiceStatuses = [Draft, AwaitingApproval, Posted, Sent, PartiallyPaid, Paid, Overdue, Voided];

    public const string Good = "Good";
    public const string PastDue30 = "Past due 30+";

    public static readonly IReadOnlyList<string> Standings = [Good, PastDue30];

    /// <summary>The status as the picklist spells it, or null when it is not one of them.</summary>
    public static string? Canonical(IReadOnlyList<string> allowed, string? value) =>
        allowed.FirstOrDefault(a => string.Equals(a, value?.Trim(), StringComparison.OrdinalIgnoreCase));
}
