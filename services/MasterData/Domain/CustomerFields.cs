using System.Text.Json;
using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

/// <summary>
/// A field of the golden customer that can change: its API name, who owns it by default, how it is read from a
/// request, and how it is read from and written to the record. Values compare and appear in history as JSON.
/// </summary>
public sealed class CustomerField
{
    internal CustomerField(string name, FieldOwner defaultOwner, Type valueType, Func<GoldenCustomer, object?> get, Action<GoldenCustomer, object?> set)
    {
        Name = name;
        DefaultOwner = defaultOwner;
        ValueType = valueType;
        Get = get;
        Set = set;
    }

    public string Name { get; }
    public FieldOwner DefaultOwner { get; }
    public Type ValueType { get; }
    public Func<GoldenCustomer, object?> Get { get; }
    public Action<GoldenCustomer, object?> Set { get; }

    /// <summary>The value as history and comparisons see it (JSON; null for an empty value).</summary>
    public string? Render(object? value) => CustomerFields.IsEmpty(value) ? null : JsonSerializer.Serialize(value, ValueType, CustomerFields.Json);
}

/// <summary>The API names of the customer fields that can change.</summary>
public static class FieldNames
{
    public const string LegalName = "legalName";
    public const string DisplayName = "displayName";
    public const string Domain = "domain";
    public const string TaxId = "taxId";
    public const string TaxStatus = "taxStatus";
    public const string TaxExemptionReason = "taxExemptionReason";
    public const string TaxExemptionCertificate = "taxExemptionCertificate";
    public const string BillingAddress = "billingAddress";
    public const string ShippingAddress = "shippingAddress";
    public const string Contacts = "contacts";
    public const string PaymentTerms = "paymentTerms";
    public const string Currency = "currency";
    public const string ParentCustomerId = "parentCustomerId";
    public const string BillToPolicy = "billToPolicy";
}

public static class CustomerFields
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // History is read by people: names like "Müller & Söhne" stay readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>
    /// Defaults: the CRM owns identity (names, domain, tax ID, addresses) and contacts; finance owns the display name
    /// used in accounting, tax status and exemption, terms, currency and the account hierarchy.
    /// </summary>
    public static readonly IReadOnlyList<CustomerField> All =
    [
        new(FieldNames.LegalName, FieldOwner.Crm, typeof(string), c => c.LegalName, (c, v) => c.LegalName = (string?)v ?? string.Empty),
        new(FieldNames.DisplayName, FieldOwner.Finance, typeof(string), c => c.DisplayName, (c, v) => c.DisplayName = (string?)v ?? string.Empty),
        new(FieldNames.Domain, FieldOwner.Crm, typeof(string), c => c.Domain, (c, v) => c.Domain = (string?)v),
        new(FieldNames.TaxId, FieldOwner.Crm, typeof(string), c => c.TaxId, (c, v) => c.TaxId = (string?)v),
        new(FieldNames.TaxStatus, FieldOwner.Finance, typeof(TaxStatus), c => c.TaxStatus, (c, v) => c.TaxStatus = (TaxStatus?)v ?? TaxStatus.Taxable),
        new(FieldNames.TaxExemptionReason, FieldOwner.Finance, typeof(string), c => c.TaxExemptionReason, (c, v) => c.TaxExemptionReason = (string?)v),
        new(FieldNames.TaxExemptionCertificate, FieldOwner.Finance, typeof(string), c => c.TaxExemptionCertificate, (c, v) => c.TaxExemptionCertificate = (string?)v),
        new(FieldNames.BillingAddress, FieldOwner.Crm, typeof(PostalAddress), c => c.BillingAddress, (c, v) => c.BillingAddress = (PostalAddress?)v),
        new(FieldNames.ShippingAddress, FieldOwner.Crm, typeof(PostalAddress), c => c.ShippingAddress, (c, v) => c.ShippingAddress = (PostalAddress?)v),
        new(FieldNames.Contacts, FieldOwner.Crm, typeof(List<ContactPerson>), c => c.Contacts, (c, v) => c.Contacts = ((IEnumerable<ContactPerson>?)v ?? []).ToList()),
        new(FieldNames.PaymentTerms, FieldOwner.Finance, typeof(string), c => c.PaymentTerms, (c, v) => c.PaymentTerms = (string?)v),
        new(FieldNames.Currency, FieldOwner.Finance, typeof(string), c => c.Currency, (c, v) => c.Currency = (string?)v),
        new(FieldNames.ParentCustomerId, FieldOwner.Finance, typeof(Guid?), c => c.ParentCustomerId, (c, v) => c.ParentCustomerId = (Guid?)v),
        new(FieldNames.BillToPolicy, FieldOwner.Finance, typeof(BillToPolicy), c => c.BillToPolicy, (c, v) => c.BillToPolicy = (BillToPolicy?)v ?? BillToPolicy.BillSeparately),
    ];

    private static readonly Dictionary<string, CustomerField> ByName = All.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public static CustomerField? Find(string name) => ByName.GetValueOrDefault(name);

    public static CustomerField Get(string name) => ByName[name];

    /// <summary>Null, blank text, an empty list, or an address without any line counts as empty.</summary>
    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string text => string.IsNullOrWhiteSpace(text),
        System.Collections.ICollection collection => collection.Count == 0,
        PostalAddress address => string.IsNullOrWhiteSpace(address.Line1) && string.IsNullOrWhiteSpace(address.City)
                                 && string.IsNullOrWhiteSpace(address.PostalCode) && string.IsNullOrWhiteSpace(address.Country),
        _ => false,
    };
}
