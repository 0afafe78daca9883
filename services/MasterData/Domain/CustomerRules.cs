using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

/// <summary>Pure master-data rules: identity of a CRM customer, required billing fields (MD-3), CRM-owned field updates.</summary>
public static class CustomerRules
{
    public static string CrmReference(string sourceSystem, string externalId) => $"{sourceSystem.Trim().ToLowerInvariant()}:{externalId.Trim()}";

    /// <summary>The golden ID first given to a CRM customer; stable, so a redelivered command cannot create a second customer.</summary>
    public static Guid CustomerIdFor(string tenantId, string sourceSystem, string externalId) =>
        DeterministicId.Create("customer", tenantId, CrmReference(sourceSystem, externalId));

    /// <summary>The fields a billable customer still lacks, in finance language.</summary>
    public static List<string> MissingBillingFields(GoldenCustomer customer)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(customer.LegalName))
            missing.Add("legal name");
        var address = customer.BillingAddress;
        if (address is null || string.IsNullOrWhiteSpace(address.Line1))
            missing.Add("billing address street");
        if (address is null || string.IsNullOrWhiteSpace(address.City))
            missing.Add("billing address city");
        if (address is null || string.IsNullOrWhiteSpace(address.Country))
            missing.Add("billing address country");
        if (!customer.Contacts.Any(c => c.IsBillingContact && !string.IsNullOrWhiteSpace(c.Email)))
            missing.Add("billing contact email");
        return missing;
    }

    /// <summary>Applies the CRM-owned fields of a snapshot (identity, addresses, contacts) to the record.</summary>
    public static void ApplyCrmSnapshot(GoldenCustomer customer, CustomerSnapshot snapshot, string sourceSystem)
    {
        customer.LegalName = snapshot.LegalName.Trim();
        if (string.IsNullOrWhiteSpace(customer.DisplayName))
            customer.DisplayName = customer.LegalName;
        customer.Domain = snapshot.Domain;
        customer.TaxId ??= snapshot.TaxId;
        customer.BillingAddress = snapshot.BillingAddress ?? customer.BillingAddress;
        customer.ShippingAddress = snapshot.ShippingAddress ?? customer.ShippingAddress;
        if (snapshot.Contacts.Count > 0)
            customer.Contacts = snapshot.Contacts.ToList();
        var reference = CrmReference(sourceSystem, snapshot.ExternalId);
        if (!customer.CrmReferences.Contains(reference))
            customer.CrmReferences.Add(reference);
        if (snapshot.ParentExternalId is { } parent)
            customer.ParentCrmReference = CrmReference(sourceSystem, parent);
        customer.MissingFields = MissingBillingFields(customer);
        customer.Status = customer.MissingFields.Count == 0 ? CustomerStatus.Approved : CustomerStatus.Draft;
        customer.Revision++;
    }
}
