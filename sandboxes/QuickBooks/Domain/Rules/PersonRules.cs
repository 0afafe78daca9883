using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>
/// Employee and Vendor: the people and firms time is recorded for. Their DisplayName shares one namespace with the
/// customers' (QBO: "unique across all other customer, employee, and vendor objects"), inactive records included.
/// </summary>
public static class PersonRules
{
    /// <summary>What a masked SSN or tax identifier reads back as.</summary>
    public const string MaskedIdentifier = "XXX-XX-XXXX";

    private static readonly EntityKind[] SharedNameLists = [EntityKind.Customer, EntityKind.Vendor, EntityKind.Employee];
    private static readonly string[] Genders = ["Male", "Female"];

    /// <summary>6240 when a customer, vendor or employee other than this one (active or not) already has the name.</summary>
    public static void RequireUniqueDisplayName(Operation op, EntityKind kind, string? id, string displayName)
    {
        foreach (var list in SharedNameLists)
        {
            if (op.Realm.Table(list).Values.Any(e => !(list == kind && e.Text("Id") == id) && NameListRules.SameName(e.Text("DisplayName"), displayName)))
                throw Faults.DuplicateName();
        }
    }

    public static void Employee(Operation op, JsonObject entity, JsonObject? existing)
    {
        Fields.Strip(entity, "V4IDPseudonym");
        // At least one of the person's names; DisplayName alone is not enough for an employee.
        var given = Fields.TrimmedText(entity, "GivenName");
        var family = Fields.TrimmedText(entity, "FamilyName");
        if (given is null && family is null)
            throw Faults.RequiredParameterMissing("GivenName");
        var displayName = Fields.TrimmedText(entity, "DisplayName");
        if (displayName is null)
        {
            displayName = string.Join(' ', new[] { given, Fields.TrimmedText(entity, "MiddleName"), family }.Where(p => !string.IsNullOrEmpty(p)));
            entity.Set("DisplayName", displayName);
        }
        Fields.NameCharacters(entity, "DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "PrintOnCheckName");
        Fields.MaxLength(entity, "DisplayName", 500);
        foreach (var part in new[] { "GivenName", "MiddleName", "FamilyName", "PrintOnCheckName", "EmployeeNumber", "SSN" })
            Fields.MaxLength(entity, part, 100);
        Fields.MaxLength(entity, "Title", 16);
        Fields.MaxLength(entity, "Suffix", 16);
        RequireUniqueDisplayName(op, EntityKind.Employee, existing?.Text("Id"), displayName);

        Email(entity, "PrimaryEmailAddr");
        foreach (var date in new[] { "HiredDate", "ReleasedDate", "BirthDate" })
            Fields.Date(op, entity, date, defaultToday: false);
        if (entity.Get("Gender") is not null)
            Fields.Enumeration(entity, "Gender", Genders, null);

        Fields.Default(entity, "BillableTime", false);
        var billRate = Fields.Amount(entity, "BillRate", "BillRate");
        if (billRate is not null && entity.Bool("BillableTime") != true)
            throw Faults.BusinessValidation("BillRate can only be set for an employee whose time is billable (BillableTime true).", "BillRate");
        if (billRate < 0)
            throw Faults.BusinessValidation("BillRate cannot be negative.", "BillRate");
        if (Fields.Amount(entity, "CostRate", "CostRate") < 0)
            throw Faults.BusinessValidation("CostRate cannot be negative.", "CostRate");
        MaskIdentifier(entity, "SSN");

        Fields.Default(entity, "Active", true);
        Fields.Default(entity, "Organization", false);
        Fields.Default(entity, "PrintOnCheckName", displayName.Length <= 100 ? displayName : displayName[..100]);
    }

    public static void Vendor(Operation op, JsonObject entity, JsonObject? existing)
    {
        Fields.Strip(entity, "Balance");
        var displayName = Fields.TrimmedText(entity, "DisplayName");
        if (displayName is null)
        {
            // As for customers: the name parts make the DisplayName when it is not given.
            var parts = new[] { "Title", "GivenName", "MiddleName", "FamilyName", "Suffix" }
                .Select(p => entity.Text(p)?.Trim()).Where(p => !string.IsNullOrEmpty(p)).ToList();
            if (parts.Count == 0)
                throw Faults.RequiredParameterMissing("DisplayName");
            displayName = string.Join(' ', parts);
            entity.Set("DisplayName", displayName);
        }
        Fields.NameCharacters(entity, "DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "PrintOnCheckName");
        Fields.MaxLength(entity, "DisplayName", 500);
        foreach (var part in new[] { "GivenName", "MiddleName", "FamilyName", "CompanyName", "PrintOnCheckName", "AcctNum" })
            Fields.MaxLength(entity, part, 100);
        Fields.MaxLength(entity, "Title", 16);
        Fields.MaxLength(entity, "Suffix", 16);
        RequireUniqueDisplayName(op, EntityKind.Vendor, existing?.Text("Id"), displayName);

        Email(entity, "PrimaryEmailAddr");
        Fields.Reference(op, entity, "TermRef", EntityKind.Term, "TermRef");
        if (Fields.Amount(entity, "BillRate", "BillRate") < 0)
            throw Faults.BusinessValidation("BillRate cannot be negative.", "BillRate");
        MaskIdentifier(entity, "TaxIdentifier");
        Fields.Default(entity, "Vendor1099", false);
        Fields.Default(entity, "Active", true);
        Fields.Default(entity, "CurrencyRef", Fields.UsDollar());
        Fields.Default(entity, "PrintOnCheckName", displayName.Length <= 100 ? displayName : displayName[..100]);
        entity.Set("Balance", Json.Number(existing?.Decimal("Balance", "Balance") ?? 0m));
    }

    /// <summary>An e-mail address object ({"Address": …}) must hold an at sign and a dot, as QBO requires.</summary>
    public static void Email(JsonObject entity, string property)
    {
        if (entity.Get(property) is null)
            return;
        if (entity.Object(property) is not { } email)
            throw Faults.InvalidProperty(property);
        var address = Fields.TrimmedText(email, "Address");
        if (address is null)
            return;
        Fields.MaxLength(email, "Address", 100);
        if (!IsEmailAddress(address))
            throw Faults.InvalidEmail(property + ".Address", address);
    }

    public static bool IsEmailAddress(string address)
    {
        var at = address.IndexOf('@');
        return at > 0 && at == address.LastIndexOf('@') && address.IndexOf('.', at) > at + 1 && !address.EndsWith('.') && !address.Any(char.IsWhiteSpace);
    }

    /// <summary>Identifiers QBO never reads back in clear: whatever is sent is kept as the mask.</summary>
    private static void MaskIdentifier(JsonObject entity, string property)
    {
        if (Fields.TrimmedText(entity, property) is not null)
            entity.Set(property, MaskedIdentifier);
        else
            entity.RemoveAny(property);
    }
}
