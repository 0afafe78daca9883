namespace QuoteToCash.Sandbox.QuickBooks.Domain;

/// <summary>What the sandbox knows about one QBO entity type.</summary>
/// <param name="Name">The canonical name, as QBO writes it in JSON ("CreditMemo").</param>
/// <param name="IsTransaction">Transactions share one Id sequence, are deleted for real and can be voided.</param>
/// <param name="IsNameList">Name-list entities are never deleted: they are made inactive with Active=false.</param>
/// <param name="Writable">False for entities the Accounting API only reads (TaxCode, TaxRate, CompanyInfo, Preferences).</param>
/// <param name="InChangeDataCapture">CDC does not support TaxCode, TaxRate and TimeActivity.</param>
public sealed record EntityKind(string Name, bool IsTransaction, bool IsNameList, bool Writable, bool InChangeDataCapture)
{
    public static readonly EntityKind Customer = new("Customer", false, true, true, true);
    public static readonly EntityKind Item = new("Item", false, true, true, true);
    public static readonly EntityKind Invoice = new("Invoice", true, false, true, true);
    public static readonly EntityKind Payment = new("Payment", true, false, true, true);
    public static readonly EntityKind CreditMemo = new("CreditMemo", true, false, true, true);
    public static readonly EntityKind RefundReceipt = new("RefundReceipt", true, false, true, true);
    public static readonly EntityKind Term = new("Term", false, true, true, true);
    public static readonly EntityKind TaxCode = new("TaxCode", false, true, false, false);
    public static readonly EntityKind TaxRate = new("TaxRate", false, true, false, false);
    public static readonly EntityKind Class = new("Class", false, true, true, true);
    public static readonly EntityKind Department = new("Department", false, true, true, true);
    public static readonly EntityKind Account = new("Account", false, true, true, true);
    public static readonly EntityKind PaymentMethod = new("PaymentMethod", false, true, true, true);
    public static readonly EntityKind Employee = new("Employee", false, true, true, true);
    public static readonly EntityKind Vendor = new("Vendor", false, true, true, true);
    /// <summary>Time worked by an employee or vendor: a transaction (TxnDate, deleted for real), but not in CDC.</summary>
    public static readonly EntityKind TimeActivity = new("TimeActivity", true, false, true, false);
    public static readonly EntityKind CompanyInfo = new("CompanyInfo", false, false, false, false);
    public static readonly EntityKind Preferences = new("Preferences", false, false, false, false);

    public static IReadOnlyList<EntityKind> All { get; } =
        [Customer, Item, Invoice, Payment, CreditMemo, RefundReceipt, Term, TaxCode, TaxRate, Class, Department, Account, PaymentMethod, Employee, Vendor,
         TimeActivity, CompanyInfo, Preferences];

    /// <summary>Finds a kind by its name or its URL segment ("creditmemo"), whatever the casing.</summary>
    public static EntityKind? Find(string? name)
        => name is null ? null : All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Name-list entities hide inactive records from queries unless the query filters on Active.</summary>
    public bool HasActiveFlag => IsNameList;

    /// <summary>The sequence an Id is drawn from: one for all transactions, one per list.</summary>
    public string Sequence => IsTransaction ? "Transaction" : Name;

    public override string ToString() => Name;
}
