namespace QuoteToCash.Sandbox.HubSpot.Domain;

/// <summary>One CRM object type as the v3 API names it.</summary>
/// <param name="Name">Path name, e.g. "deals".</param>
/// <param name="Singular">Name used in webhook subscription types and association type names, e.g. "deal".</param>
/// <param name="TypeId">HubSpot object type id, e.g. "0-3".</param>
/// <param name="AssociationKey">Key of this type inside a v3 "associations" object ("line items" has a space on HubSpot).</param>
/// <param name="LastModifiedProperty">Contacts use "lastmodifieddate", the others "hs_lastmodifieddate".</param>
/// <param name="FirstId">First id handed out; above 2^31 so that receivers cannot get away with 32-bit ids.</param>
public sealed record ObjectType(
    string Name,
    string Singular,
    string TypeId,
    string AssociationKey,
    string LastModifiedProperty,
    IReadOnlyList<string> DefaultProperties,
    IReadOnlyList<string> SearchableProperties,
    long FirstId)
{
    public static readonly ObjectType Contacts = new("contacts", "contact", "0-1", "contacts", "lastmodifieddate",
        ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
        ["firstname", "lastname", "email", "phone", "company"], 51_000_000_001);

    public static readonly ObjectType Companies = new("companies", "company", "0-2", "companies", "hs_lastmodifieddate",
        ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
        ["name", "domain", "website", "phone"], 31_000_000_001);

    public static readonly ObjectType Deals = new("deals", "deal", "0-3", "deals", "hs_lastmodifieddate",
        ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"],
        ["dealname"], 41_000_000_001);

    public static readonly ObjectType Products = new("products", "product", "0-7", "products", "hs_lastmodifieddate",
        ["createdate", "description", "hs_lastmodifieddate", "hs_object_id", "name", "price"],
        ["name", "description", "hs_sku"], 71_000_000_001);

    public static readonly ObjectType LineItems = new("line_items", "line_item", "0-8", "line items", "hs_lastmodifieddate",
        ["createdate", "hs_lastmodifieddate", "hs_object_id", "hs_product_id", "name", "price", "quantity"],
        ["name", "hs_sku"], 61_000_000_001);

    public static readonly IReadOnlyList<ObjectType> All = [Contacts, Companies, Deals, Products, LineItems];

    /// <summary>Accepts the plural, the singular or the type id, as HubSpot does ("deals", "deal", "0-3").</summary>
    public static ObjectType? Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        var key = name.Trim().ToLowerInvariant();
        return All.FirstOrDefault(t => t.Name == key || t.Singular == key || t.TypeId == key
            || (t == LineItems && (key == "lineitems" || key == "lineitem" || key == "line items")));
    }
}
