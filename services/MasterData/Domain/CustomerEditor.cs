using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

/// <summary>Who is changing a customer: a CRM's sync, or a person in finance.</summary>
public sealed record ChangeSource(string System, string Actor, FieldOwner Side)
{
    public const string FinanceSystem = "finance";

    public static ChangeSource Crm(string system) => new(system.Trim().ToLowerInvariant(), $"{system.Trim().ToLowerInvariant()}-sync", FieldOwner.Crm);

    public static ChangeSource Finance(string actor) => new(FinanceSystem, actor, FieldOwner.Finance);
}

/// <summary>One field change as history records it. Values are JSON; the tax ID is masked when shown.</summary>
public sealed class FieldChange
{
    public string Field { get; set; } = string.Empty;
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public string Source { get; set; } = string.Empty;
    public string Actor { get; set; } = string.Empty;
    public DateTime At { get; set; }
    public string? Reason { get; set; }
}

/// <summary>A change the record's owner did not make, held for finance to accept or reject.</summary>
public sealed record FieldConflict(CustomerField Field, object? CurrentValue, object? ProposedValue);

public sealed record EditOutcome(IReadOnlyList<FieldChange> Applied, IReadOnlyList<FieldConflict> Conflicts)
{
    public bool Changed => Applied.Count > 0;
}

/// <summary>
/// Applies field changes under field ownership. The owner's change is applied. Another side may fill a field the owner
/// left empty, but not overwrite the owner's value: that change is not applied and comes back as a conflict.
/// Every applied change is returned for the history.
/// </summary>
public static class CustomerEditor
{
    public static EditOutcome Apply(GoldenCustomer customer, IEnumerable<KeyValuePair<CustomerField, object?>> values, ChangeSource source,
        MasterDataPolicy policy, DateTime at, string? reason = null, bool overrideOwnership = false)
    {
        var applied = new List<FieldChange>();
        var conflicts = new List<FieldConflict>();
        foreach (var (field, value) in values)
        {
            var current = field.Get(customer);
            var before = field.Render(current);
            var after = field.Render(value);
            if (before == after)
                continue;
            if (!overrideOwnership && policy.OwnerOf(field) != source.Side && !CustomerFields.IsEmpty(current))
            {
                conflicts.Add(new FieldConflict(field, current, value));
                continue;
            }
            field.Set(customer, value);
            applied.Add(new FieldChange
            {
                Field = field.Name, OldValue = before, NewValue = after, Source = source.System, Actor = source.Actor, At = at, Reason = reason,
            });
        }
        return new EditOutcome(applied, conflicts);
    }

    /// <summary>The fields a CRM snapshot carries. Blank values are left out: a CRM that says nothing erases nothing.</summary>
    public static List<KeyValuePair<CustomerField, object?>> FromCrmSnapshot(CustomerSnapshot snapshot)
    {
        var values = new List<KeyValuePair<CustomerField, object?>>
        {
            new(CustomerFields.Get(FieldNames.LegalName), snapshot.LegalName?.Trim() ?? string.Empty),
        };
        void Add(string name, object? value)
        {
            if (!CustomerFields.IsEmpty(value))
                values.Add(new(CustomerFields.Get(name), value));
        }
        Add(FieldNames.Domain, snapshot.Domain?.Trim());
        Add(FieldNames.TaxId, snapshot.TaxId?.Trim());
        Add(FieldNames.BillingAddress, PostalAddresses.NormalizeCountry(snapshot.BillingAddress));
        Add(FieldNames.ShippingAddress, PostalAddresses.NormalizeCountry(snapshot.ShippingAddress));
        Add(FieldNames.Contacts, (snapshot.Contacts ?? []).Where(c => c is not null).ToList());
        return values;
    }
}
