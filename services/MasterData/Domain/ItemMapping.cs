namespace QuoteToCash.MasterData.Domain;

/// <summary>Where a CRM product's revenue goes in accounting: the item, income account, class, location and tax code.</summary>
public sealed class ItemTarget
{
    public string ItemRef { get; set; } = string.Empty;
    public string? IncomeAccountRef { get; set; }
    public string? ClassRef { get; set; }
    public string? DepartmentRef { get; set; }
    public string? TaxCodeRef { get; set; }

    /// <summary>A change of income account or tax code moves revenue or tax: it needs a second finance manager.</summary>
    public bool ImpactsRevenueComparedTo(ItemTarget current) =>
        !string.Equals(IncomeAccountRef, current.IncomeAccountRef, StringComparison.Ordinal)
        || !string.Equals(TaxCodeRef, current.TaxCodeRef, StringComparison.Ordinal)
        || !string.Equals(ItemRef, current.ItemRef, StringComparison.Ordinal);

    public bool SameAs(ItemTarget other) =>
        ItemRef == other.ItemRef && IncomeAccountRef == other.IncomeAccountRef && ClassRef == other.ClassRef
        && DepartmentRef == other.DepartmentRef && TaxCodeRef == other.TaxCodeRef;

    public ItemTarget Copy() => (ItemTarget)MemberwiseClone();
}

public sealed class ItemMappingVersion
{
    public int Version { get; set; }
    public ItemTarget Target { get; set; } = new();
    public string ChangedBy { get; set; } = string.Empty;
    public string? ApprovedBy { get; set; }
    public DateTime Changed { get; set; }
    public string? Note { get; set; }
}

public sealed class PendingMappingChange
{
    public ItemTarget Target { get; set; } = new();
    public string RequestedBy { get; set; } = string.Empty;
    public DateTime Requested { get; set; }
    public string? Note { get; set; }
}

/// <summary>A CRM product (by ID or SKU) mapped to its accounting item; versioned, with who changed what and when.</summary>
public sealed class ItemMapping
{
    public const string CollectionName = "item-mappings";

    public string TenantId { get; set; } = string.Empty;
    /// <summary>"id:{crm product id}" or "sku:{sku}".</summary>
    public string ProductKey { get; set; } = string.Empty;
    public string? ProductName { get; set; }
    public ItemTarget Target { get; set; } = new();
    public int Version { get; set; }
    public string ChangedBy { get; set; } = string.Empty;
    public DateTime Changed { get; set; }
    public PendingMappingChange? Pending { get; set; }
    public List<ItemMappingVersion> Versions { get; set; } = [];

    public static string KeyFor(string tenant, string productKey) => $"{tenant}|{productKey}";

    /// <summary>The key a product is mapped under: its CRM ID when it has one, else its SKU, else (a free-text line) its name.</summary>
    public static string ProductKeyOf(string? crmProductId, string? sku, string description) =>
        !string.IsNullOrWhiteSpace(crmProductId) ? $"id:{crmProductId.Trim()}"
        : !string.IsNullOrWhiteSpace(sku) ? $"sku:{sku.Trim().ToUpperInvariant()}"
        : $"name:{description.Trim().ToUpperInvariant()}";

    /// <summary>Applies a target as the next version.</summary>
    public void Apply(ItemTarget target, string changedBy, string? approvedBy, DateTime at, string? note)
    {
        Target = target.Copy();
        Version++;
        ChangedBy = changedBy;
        Changed = at;
        Pending = null;
        Versions.Add(new ItemMappingVersion { Version = Version, Target = target.Copy(), ChangedBy = changedBy, ApprovedBy = approvedBy, Changed = at, Note = note });
    }
}

/// <summary>QuickBooks' lists that mappings are checked against, as accounting-sync last reported them.</summary>
public sealed class AccountingReferenceData
{
    public const string CollectionName = "accounting-reference-data";

    public string TenantId { get; set; } = string.Empty;
    public List<ReferenceEntry> Items { get; set; } = [];
    public List<ReferenceEntry> IncomeAccounts { get; set; } = [];
    public List<ReferenceEntry> Classes { get; set; } = [];
    public List<ReferenceEntry> Departments { get; set; } = [];
    public List<ReferenceEntry> TaxCodes { get; set; } = [];
    public List<ReferenceEntry> Terms { get; set; } = [];
    public List<string> Currencies { get; set; } = [];
    public DateTime AsOf { get; set; }
}

public sealed class ReferenceEntry
{
    public string Id { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public bool Active { get; set; } = true;
}

/// <summary>One product line of a won deal, kept for the mapping coverage report.</summary>
public sealed class WonProductLine
{
    public const string CollectionName = "won-product-lines";

    public string TenantId { get; set; } = string.Empty;
    public Guid FlowId { get; set; }
    public string DealName { get; set; } = string.Empty;
    public string ProductKey { get; set; } = string.Empty;
    public string ProductName { get; set; } = string.Empty;
    public decimal Revenue { get; set; }
    public string Currency { get; set; } = string.Empty;
    public DateTime WonAt { get; set; }
    /// <summary>True when the product had no mapping and the tenant's default item took it.</summary>
    public bool UsedDefaultItem { get; set; }

    public static string KeyFor(Guid flowId, int line) => $"{flowId:N}-{line:D3}";
}

public static class ItemMappingRules
{
    /// <summary>What is wrong with a target against QuickBooks' lists, by field; empty when it is valid.</summary>
    public static Dictionary<string, string[]> Problems(ItemTarget target, AccountingReferenceData reference)
    {
        var problems = new Dictionary<string, string[]>();
        void Check(string field, string? id, List<ReferenceEntry> list, string what, bool required = false)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                if (required)
                    problems[field] = [$"Name the QuickBooks {what}."];
                return;
            }
            var entry = list.FirstOrDefault(e => e.Id == id);
            if (entry is null)
                problems[field] = [$"QuickBooks has no {what} with ID '{id}'."];
            else if (!entry.Active)
                problems[field] = [$"The QuickBooks {what} '{entry.Name}' is inactive."];
        }
        Check("itemRef", target.ItemRef, reference.Items, "item", required: true);
        Check("incomeAccountRef", target.IncomeAccountRef, reference.IncomeAccounts, "income account");
        Check("classRef", target.ClassRef, reference.Classes, "class");
        Check("departmentRef", target.DepartmentRef, reference.Departments, "location (department)");
        Check("taxCodeRef", target.TaxCodeRef, reference.TaxCodes, "tax code");
        return problems;
    }

    /// <summary>A line's revenue: quantity × unit price less its discount, in the deal's currency, to the cent.</summary>
    public static decimal LineRevenue(decimal quantity, decimal unitPrice, decimal discountPercent) =>
        Math.Round(quantity * unitPrice * (1m - discountPercent / 100m), 2, MidpointRounding.AwayFromZero);
}
