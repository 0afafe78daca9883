namespace QuoteToCash.DemoHistory.Domain;

/// <summary>
/// One thing that happens on a day of the history, done by the CRM's user, finance in QuickBooks or an operator of the
/// platform. <see cref="Key"/> is unique in the plan and stable for a seed: the player records the keys it has done, so a
/// second run does not do them again.
/// </summary>
public abstract record DemoAction(DateOnly On, string Key)
{
    /// <summary>Who does it, for the log and docs/demo.md.</summary>
    public abstract string Actor { get; }
}

/// <summary>Operator: the tenant's billing policy (approval limits) and the CRM's custom deal fields, before the first deal.</summary>
public sealed record PrepareTenant(DateOnly On, string Tenant) : DemoAction(On, $"prepare:{Tenant}")
{
    public override string Actor => "operator";
}

/// <summary>Sales: the company (and billing contact) and the deal with its lines and terms, moved to won.</summary>
public sealed record WinDeal(DateOnly On, DemoDeal Deal) : DemoAction(On, $"win:{Deal.Key}")
{
    public override string Actor => "CRM";
}

/// <summary>The project tool: a milestone (or the completion) of a deal reached.</summary>
public sealed record ReachMilestone(DateOnly On, string DealKey, string MilestoneId, string Name) : DemoAction(On, $"milestone:{DealKey}:{MilestoneId}")
{
    public override string Actor => "project tool";
}

/// <summary>The project tool: a week's time of one person on a deal.</summary>
public sealed record LogTime(DateOnly On, string DealKey, string EntryId, string Person, string Role, decimal Hours, bool Billable, string Description)
    : DemoAction(On, $"time:{DealKey}:{EntryId}")
{
    public override string Actor => "project tool";
}

/// <summary>Finance: approves the deal's invoices that wait for approval.</summary>
public sealed record ApproveInvoices(DateOnly On, string DealKey) : DemoAction(On, $"approve:{DealKey}")
{
    public override string Actor => "finance";
}

/// <summary>
/// Finance: merges a near-duplicate company into the customer it duplicates, from master data's review queue (the other
/// near-duplicate is left there for finance to look at).
/// </summary>
public sealed record MergeDuplicate(DateOnly On, string Tenant, string DuplicateKey, string OriginalKey) : DemoAction(On, $"merge:{DuplicateKey}")
{
    public override string Actor => "finance";
}

/// <summary>Finance: a credit note on the deal's first invoice (a billing error found), through the platform.</summary>
public sealed record CreditInvoice(DateOnly On, string DealKey, decimal Amount, string Reason) : DemoAction(On, $"credit:{DealKey}")
{
    public override string Actor => "finance";
}

/// <summary>Finance in QuickBooks: voids the deal's first invoice (the customer cancelled before paying).</summary>
public sealed record VoidInvoice(DateOnly On, string DealKey) : DemoAction(On, $"void:{DealKey}")
{
    public override string Actor => "QuickBooks user";
}

/// <summary>Someone in QuickBooks edits the deal's first invoice by hand (its due date): the platform opens an exception.</summary>
public sealed record EditInvoiceInBooks(DateOnly On, string DealKey, int ExtraDays) : DemoAction(On, $"edit:{DealKey}")
{
    public override string Actor => "QuickBooks user";
}

/// <summary>Sales: a new product in the CRM's catalogue, not yet mapped to a QuickBooks item.</summary>
public sealed record AddProduct(DateOnly On, string Tenant, DemoProduct Product) : DemoAction(On, $"product:{Tenant}:{Product.Sku}")
{
    public override string Actor => "CRM";
}

/// <summary>Finance: creates the product's item in QuickBooks and maps the CRM product to it in master data.</summary>
public sealed record MapProduct(DateOnly On, string Tenant, DemoProduct Product) : DemoAction(On, $"map:{Tenant}:{Product.Sku}")
{
    public override string Actor => "finance";
}
