using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>Customer, Item, Term, Class, Department and Account: required names, unique names, references, hierarchy.</summary>
public static class NameListRules
{
    private static readonly string[] ItemTypes = ["Service", "NonInventory", "Inventory", "Category", "Group"];
    private static readonly string[] TermTypes = ["STANDARD", "DATE_DRIVEN"];
    private static readonly string[] PaymentMethodTypes = ["CREDIT_CARD", "NON_CREDIT_CARD"];

    public static void Customer(Operation op, JsonObject entity, JsonObject? existing)
    {
        Fields.Strip(entity, "Balance", "BalanceWithJobs", "FullyQualifiedName", "Level");
        string[] nameParts = ["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"];
        var displayName = Fields.TrimmedText(entity, "DisplayName");
        if (displayName is null)
        {
            // QBO derives DisplayName from the person's name when it is not given.
            var parts = nameParts.Select(p => entity.Text(p)?.Trim()).Where(p => !string.IsNullOrEmpty(p)).ToList();
            if (parts.Count == 0)
                throw Faults.RequiredParameterMissing("DisplayName");
            displayName = string.Join(' ', parts);
            entity.Set("DisplayName", displayName);
        }
        Fields.NameCharacters(entity, "DisplayName", "GivenName", "MiddleName", "FamilyName");
        Fields.MaxLength(entity, "DisplayName", 500);
        foreach (var part in new[] { "GivenName", "MiddleName", "FamilyName", "CompanyName" })
            Fields.MaxLength(entity, part, 100);
        Fields.MaxLength(entity, "Title", 16);
        Fields.MaxLength(entity, "Suffix", 16);
        Fields.MaxLength(entity, "Notes", 2000);

        // Unique across all customers, vendors and employees, inactive ones included (and those created earlier in the same batch).
        var id = existing?.Text("Id");
        PersonRules.RequireUniqueDisplayName(op, EntityKind.Customer, id, displayName);

        var parent = Fields.Reference(op, entity, "ParentRef", EntityKind.Customer, "ParentRef");
        if (parent is not null)
        {
            if (parent.Text("Id") == id)
                throw Faults.BusinessValidation("A customer cannot be its own parent.", "ParentRef");
            var level = (int)(parent.Decimal("Level", "Level") ?? 0) + 1;
            if (level > 4)
                throw Faults.BusinessValidation("Sub-customers can be nested at most 4 levels deep.", "ParentRef");
            entity.Set("Level", level);
            entity.Set("FullyQualifiedName", parent.Text("FullyQualifiedName") + ":" + displayName);
            Fields.Default(entity, "Job", true);
            Fields.Default(entity, "BillWithParent", false);
        }
        else
        {
            entity.Set("Level", 0);
            entity.Set("FullyQualifiedName", displayName);
            Fields.Default(entity, "Job", false);
            Fields.Default(entity, "BillWithParent", false);
        }
        Fields.Reference(op, entity, "SalesTermRef", EntityKind.Term, "SalesTermRef");
        var taxCode = Fields.Reference(op, entity, "DefaultTaxCodeRef", EntityKind.TaxCode, "DefaultTaxCodeRef", withName: false);
        Fields.Default(entity, "Taxable", taxCode is not null);
        Fields.Default(entity, "Active", true);
        Fields.Default(entity, "PrintOnCheckName", displayName);
        Fields.Default(entity, "PreferredDeliveryMethod", "Print");
        Fields.Default(entity, "CurrencyRef", Fields.UsDollar());
        var balance = existing?.Decimal("Balance", "Balance") ?? 0m;
        entity.Set("Balance", Json.Number(balance));
        entity.Set("BalanceWithJobs", Json.Number(existing?.Decimal("BalanceWithJobs", "BalanceWithJobs") ?? balance));
    }

    public static void Item(Operation op, JsonObject entity, JsonObject? existing)
    {
        Fields.Strip(entity, "FullyQualifiedName", "Level");
        var name = Fields.TrimmedText(entity, "Name") ?? throw Faults.RequiredParameterMissing("Name");
        Fields.NameCharacters(entity, "Name");
        Fields.MaxLength(entity, "Name", 100);
        Fields.MaxLength(entity, "Description", 4000);
        Fields.MaxLength(entity, "Sku", 100);
        RequireUniqueName(op, EntityKind.Item, existing, name);

        if (entity.Text("Type") is null)
            throw Faults.RequiredParameterMissing("Type");
        Fields.Enumeration(entity, "Type", ItemTypes, null);
        var type = entity.Text("Type");
        var sells = type is "Service" or "NonInventory" or "Inventory";
        Fields.Reference(op, entity, "IncomeAccountRef", EntityKind.Account, "IncomeAccountRef", required: sells);
        Fields.Reference(op, entity, "ExpenseAccountRef", EntityKind.Account, "ExpenseAccountRef", required: type == "Inventory");
        Fields.Reference(op, entity, "AssetAccountRef", EntityKind.Account, "AssetAccountRef", required: type == "Inventory");
        if (type == "Inventory")
        {
            if (entity.Get("QtyOnHand") is null)
                throw Faults.RequiredParameterMissing("QtyOnHand");
            Fields.Date(op, entity, "InvStartDate", defaultToday: false);
            if (entity.Get("InvStartDate") is null)
                throw Faults.RequiredParameterMissing("InvStartDate");
            entity.Set("TrackQtyOnHand", true);
        }
        else
        {
            entity.Set("TrackQtyOnHand", false);
        }
        Fields.Reference(op, entity, "SalesTaxCodeRef", EntityKind.TaxCode, "SalesTaxCodeRef", withName: false);
        Fields.Reference(op, entity, "ClassRef", EntityKind.Class, "ClassRef");
        var price = Fields.Amount(entity, "UnitPrice", "UnitPrice");
        if (price is null)
            entity.Set("UnitPrice", 0);
        Fields.Amount(entity, "PurchaseCost", "PurchaseCost");
        Fields.Default(entity, "Active", true);
        Fields.Default(entity, "Taxable", false);
        entity.Set("FullyQualifiedName", name);
    }

    public static void Term(Operation op, JsonObject entity, JsonObject? existing)
    {
        var name = Fields.TrimmedText(entity, "Name") ?? throw Faults.RequiredParameterMissing("Name");
        Fields.MaxLength(entity, "Name", 31);
        RequireUniqueName(op, EntityKind.Term, existing, name);
        Fields.Enumeration(entity, "Type", TermTypes, "STANDARD");
        if (entity.Text("Type") == "DATE_DRIVEN")
        {
            if (entity.Get("DayOfMonthDue") is null)
                throw Faults.RequiredParameterMissing("DayOfMonthDue");
        }
        else
        {
            Fields.Default(entity, "DueDays", 0);
        }
        Fields.Default(entity, "Active", true);
    }

    public static void PaymentMethod(Operation op, JsonObject entity, JsonObject? existing)
    {
        var name = Fields.TrimmedText(entity, "Name") ?? throw Faults.RequiredParameterMissing("Name");
        Fields.MaxLength(entity, "Name", 31);
        RequireUniqueName(op, EntityKind.PaymentMethod, existing, name);
        Fields.Enumeration(entity, "Type", PaymentMethodTypes, "NON_CREDIT_CARD");
        Fields.Default(entity, "Active", true);
    }

    /// <summary>Class, Department and Account share the parent/child naming.</summary>
    public static void Hierarchical(Operation op, EntityKind kind, JsonObject entity, JsonObject? existing)
    {
        var subFlag = kind == EntityKind.Class ? "SubClass" : kind == EntityKind.Department ? "SubDepartment" : "SubAccount";
        Fields.Strip(entity, "FullyQualifiedName", subFlag);
        var name = Fields.TrimmedText(entity, "Name") ?? throw Faults.RequiredParameterMissing("Name");
        Fields.NameCharacters(entity, "Name");
        Fields.MaxLength(entity, "Name", 100);
        var parent = Fields.Reference(op, entity, "ParentRef", kind, "ParentRef");
        var id = existing?.Text("Id");
        if (parent is not null && parent.Text("Id") == id)
            throw Faults.BusinessValidation($"A {kind.Name.ToLowerInvariant()} cannot be its own parent.", "ParentRef");
        var fullName = parent is null ? name : parent.Text("FullyQualifiedName") + ":" + name;
        if (op.Realm.Table(kind).Values.Any(e => e.Text("Id") != id && SameName(e.Text("FullyQualifiedName"), fullName)))
            throw Faults.DuplicateName();
        entity.Set("FullyQualifiedName", fullName);
        entity.Set(subFlag, parent is not null);
        Fields.Default(entity, "Active", true);

        if (kind == EntityKind.Account)
        {
            Fields.Strip(entity, "Classification", "CurrentBalance", "CurrentBalanceWithSubAccounts");
            var type = entity.Text("AccountType") ?? throw Faults.RequiredParameterMissing("AccountType");
            if (!AccountTypes.IsKnown(type))
                throw Faults.InvalidEnumeration("AccountType", type);
            type = AccountTypes.Canonical(type);
            entity.Set("AccountType", type);
            entity.Set("Classification", AccountTypes.Classification(type));
            Fields.MaxLength(entity, "AcctNum", 20);
            Fields.Default(entity, "CurrencyRef", Fields.UsDollar());
            entity.Set("CurrentBalance", Json.Number(existing?.Decimal("CurrentBalance", "CurrentBalance") ?? 0m));
            entity.Set("CurrentBalanceWithSubAccounts", Json.Number(existing?.Decimal("CurrentBalanceWithSubAccounts", "CurrentBalanceWithSubAccounts") ?? 0m));
        }
    }

    private static void RequireUniqueName(Operation op, EntityKind kind, JsonObject? existing, string name)
    {
        var id = existing?.Text("Id");
        if (op.Realm.Table(kind).Values.Any(e => e.Text("Id") != id && SameName(e.Text("Name"), name)))
            throw Faults.DuplicateName();
    }

    /// <summary>Names compare trimmed and case-insensitively.</summary>
    public static bool SameName(string? a, string? b)
        => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
