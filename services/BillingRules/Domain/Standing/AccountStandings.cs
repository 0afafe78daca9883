namespace QuoteToCash.BillingRules.Domain.Standing;

/// <summary>
/// The account-standing rule: a customer is <see cref="PastDue30"/> while any of its invoices, on any of its deals, is
/// more than 30 days late, and <see cref="Good"/> when none is (paid, credited or voided). Pure, so every rule is a
/// unit test.
/// </summary>
public static class AccountStandings
{
    public const string Good = "Good";
    public const string PastDue30 = "Past due 30+";

    /// <summary>The standing the invoices say.</summary>
    public static string Of(IEnumerable<InvoiceLateness> invoices) => invoices.Any(i => i.PastDue30) ? PastDue30 : Good;

    /// <summary>
    /// Records that an invoice is (or is no longer) more than 30 days late and returns the customer's new standing when
    /// it changed, else null. A report older than the one already recorded for the invoice changes nothing, so a
    /// re-delivered or overtaken message never flips the standing back.
    /// </summary>
    public static string? Apply(CustomerStanding customer, Guid flowId, Guid invoiceId, string? docNumber, bool pastDue30, DateTime changedAt)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var invoice = customer.Invoices.Find(i => i.FlowId == flowId && i.InvoiceId == invoiceId);
        if (invoice is null)
        {
            invoice = new InvoiceLateness { FlowId = flowId, InvoiceId = invoiceId };
            customer.Invoices.Add(invoice);
        }
        else if (invoice.ChangedAt > changedAt)
            return null;
        invoice.PastDue30 = pastDue30;
        invoice.DocNumber = docNumber ?? invoice.DocNumber;
        invoice.ChangedAt = changedAt;

        var standing = Of(customer.Invoices);
        if (standing == customer.Standing)
            return null;
        customer.Standing = standing;
        customer.StandingSince = changedAt;
        return standing;
    }
}
