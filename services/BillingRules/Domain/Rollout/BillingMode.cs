namespace QuoteToCash.BillingRules.Domain;

/// <summary>How a tenant's invoices reach the books (BIL-6).</summary>
public enum BillingMode
{
    /// <summary>Drafted invoices are posted to the tenant's QuickBooks company.</summary>
    Live,
    /// <summary>Invoices are drafted but not posted; finance keeps invoicing by hand and compares (<see cref="ParallelRunDiff"/>).</summary>
    ParallelRun,
    /// <summary>Invoices are posted to a QuickBooks sandbox company.</summary>
    Sandbox,
}
