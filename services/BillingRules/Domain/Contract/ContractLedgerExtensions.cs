namespace QuoteToCash.BillingRules.Domain;

/// <summary>Issuing invoices against a ledger: each key once, the running total kept.</summary>
internal static class ContractLedgerExtensions
{
    public static bool IsIssued(this ContractLedger ledger, string key) => ledger.IssuedKeys.Contains(key, StringComparer.Ordinal);

    /// <summary>Adds the invoice to the outcome unless its key was issued before; records the key and the total.</summary>
    public static bool Issue(this ContractLedger ledger, DueInvoice invoice, ContractOutcome outcome)
    {
        if (ledger.IsIssued(invoice.Key))
            return false;
        invoice.PurchaseOrder ??= ledger.PurchaseOrder;
        ledger.IssuedKeys.Add(invoice.Key);
        ledger.Billed += invoice.Total;
        outcome.Due.Add(invoice);
        return true;
    }

    /// <summary>Marks a key as settled without an invoice (nothing left to bill for it), so it is not looked at again.</summary>
    public static void Settle(this ContractLedger ledger, string key)
    {
        if (!ledger.IsIssued(key))
            ledger.IssuedKeys.Add(key);
    }

    /// <summary>The invoice date for a contract event on <paramref name="day"/>: never before activation.</summary>
    public static DateOnly BillOn(this ContractLedger ledger, DateOnly day) =>
        ledger.ActivatedOn is { } activated && activated > day ? activated : day;

    /// <summary>The deal's product when all its product lines name the same one; null otherwise.</summary>
    public static string? SingleProduct(this ContractLedger ledger)
    {
        var products = ledger.Lines.Select(l => l.Product).Where(p => p is not null).Distinct(StringComparer.Ordinal).ToList();
        return products.Count == 1 ? products[0] : null;
    }
}
