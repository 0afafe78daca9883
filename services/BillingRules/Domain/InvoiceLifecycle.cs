namespace QuoteToCash.BillingRules.Domain;

/// <summary>What the CRM shows of one invoice: its status in the CRM's words, the balance due and the day it was paid.</summary>
public sealed record CrmInvoiceStatus(string Status, decimal BalanceDue, DateOnly? PaidDate);

/// <summary>
/// How an invoice's status follows from what QuickBooks reports, and how it reads in the CRM. Pure, so every rule is a
/// unit test. The saga keeps the last <see cref="CrmInvoiceStatus"/> it announced on each invoice and publishes
/// <c>InvoiceStatusChanged</c> only when <see cref="ShouldAnnounce"/> says the CRM's view changed.
/// </summary>
public static class InvoiceLifecycle
{
    public const string Posted = "Posted";
    public const string Sent = "Sent";
    public const string PartiallyPaid = "Partially paid";
    public const string Paid = "Paid";
    public const string Overdue = "Overdue";
    public const string Voided = "Voided";

    /// <summary>
    /// The invoice as the CRM shows it, or null while it is not in QuickBooks (drafted, awaiting approval, posting,
    /// held, rejected, withdrawn). An invoice settled by credit memos shows as Paid with nothing due and no paid date:
    /// the CRM has no word for credited, and nothing is owed.
    /// </summary>
    public static CrmInvoiceStatus? CrmView(InvoiceStatus status, decimal balance, DateOnly? paidOn) => status switch
    {
        InvoiceStatus.Posted => new CrmInvoiceStatus(Posted, balance, null),
        InvoiceStatus.Sent => new CrmInvoiceStatus(Sent, balance, null),
        InvoiceStatus.PartiallyPaid => new CrmInvoiceStatus(PartiallyPaid, balance, null),
        InvoiceStatus.Overdue => new CrmInvoiceStatus(Overdue, balance, null),
        InvoiceStatus.Paid => new CrmInvoiceStatus(Paid, 0m, paidOn),
        InvoiceStatus.Credited => new CrmInvoiceStatus(Paid, 0m, null),
        InvoiceStatus.Voided => new CrmInvoiceStatus(Voided, 0m, null),
        _ => null,
    };

    /// <summary>
    /// True when the CRM's view of the invoice changed since it was last announced. The first Posted is not announced:
    /// crm-ingest writes it from <c>InvoicePosted</c> itself. A later change of balance under the same status is (a
    /// second partial payment, a credit on an overdue invoice).
    /// </summary>
    public static bool ShouldAnnounce(CrmInvoiceStatus? announced, CrmInvoiceStatus? current) =>
        current is not null && current != announced && !(announced is null && current.Status == Posted);

    /// <summary>
    /// The status after QuickBooks reports a payment (or a credit memo applied) that leaves <paramref name="remaining"/>
    /// owed: settled in full it is Paid, or Credited when the last of it was settled by credit; otherwise an overdue
    /// invoice stays Overdue (paying part of it does not make it current) and any other becomes Partially paid.
    /// </summary>
    public static InvoiceStatus AfterPayment(InvoiceStatus current, decimal remaining, bool byCredit) =>
        remaining <= 0m
            ? byCredit ? InvoiceStatus.Credited : InvoiceStatus.Paid
            : current == InvoiceStatus.Overdue ? InvoiceStatus.Overdue : InvoiceStatus.PartiallyPaid;

    /// <summary>
    /// The status once a payment was taken back in QuickBooks: part paid while something is still paid, else Sent or
    /// Posted as it was before any payment. Whether it is overdue again is the due-date watch's to say.
    /// </summary>
    public static InvoiceStatus AfterReversal(bool somethingStillPaid, bool sent) =>
        somethingStillPaid ? InvoiceStatus.PartiallyPaid : sent ? InvoiceStatus.Sent : InvoiceStatus.Posted;

    /// <summary>The status once the due date has passed: an invoice still owing becomes Overdue; anything else is unchanged.</summary>
    public static InvoiceStatus AfterDueDate(InvoiceStatus current, decimal balance) =>
        (current is InvoiceStatus.Posted or InvoiceStatus.Sent or InvoiceStatus.PartiallyPaid) && balance > 0m ? InvoiceStatus.Overdue : current;

    /// <summary>The status once QuickBooks confirms the invoice was e-mailed: only a posted invoice becomes Sent (a payment may have come first).</summary>
    public static InvoiceStatus AfterSent(InvoiceStatus current) => current == InvoiceStatus.Posted ? InvoiceStatus.Sent : current;

    /// <summary>
    /// True while the invoice counts against the customer's standing: it was still owing more than 30 days after its
    /// due date, and it still owes (not paid, credited or voided since).
    /// </summary>
    public static bool IsPastDue30(InvoiceStatus status, decimal balance, bool pastDue30Reached) =>
        pastDue30Reached && balance > 0m && FlowStages.IsOpen(status);
}
