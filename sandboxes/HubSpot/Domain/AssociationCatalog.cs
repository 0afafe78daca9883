namespace QuoteToCash.Sandbox.HubSpot.Domain;

/// <summary>One HUBSPOT_DEFINED association type (ids from the official SDK's AssociationTypes enum).</summary>
/// <param name="IsPrimary">A primary type also implies the unlabeled type, and an object has at most one primary of it.</param>
/// <param name="PrimaryOwner">The object type whose single primary this is (a deal has one primary company).</param>
public sealed record AssociationType(
    int Id, ObjectType From, ObjectType To, string Name, int InverseId, bool IsPrimary, int? UnlabeledId, ObjectType? PrimaryOwner)
{
    public string? Label => IsPrimary ? "Primary" : null;

    /// <summary>The upper-case name used in associationChange webhooks, e.g. DEAL_TO_COMPANY.</summary>
    public string WebhookName => $"{From.Singular}_TO_{To.Singular}".ToUpperInvariant();
}

public static class AssociationCatalog
{
    public const string HubSpotDefined = "HUBSPOT_DEFINED";

    public static readonly IReadOnlyList<AssociationType> Types =
    [
        new(1, ObjectType.Contacts, ObjectType.Companies, "contact_to_company", 2, true, 279, ObjectType.Contacts),
        new(2, ObjectType.Companies, ObjectType.Contacts, "company_to_contact", 1, true, 280, ObjectType.Contacts),
        new(279, ObjectType.Contacts, ObjectType.Companies, "contact_to_company_unlabeled", 280, false, null, null),
        new(280, ObjectType.Companies, ObjectType.Contacts, "company_to_contact_unlabeled", 279, false, null, null),
        new(3, ObjectType.Deals, ObjectType.Contacts, "deal_to_contact", 4, false, null, null),
        new(4, ObjectType.Contacts, ObjectType.Deals, "contact_to_deal", 3, false, null, null),
        new(5, ObjectType.Deals, ObjectType.Companies, "deal_to_company", 6, true, 341, ObjectType.Deals),
        new(6, ObjectType.Companies, ObjectType.Deals, "company_to_deal", 5, true, 342, ObjectType.Deals),
        new(341, ObjectType.Deals, ObjectType.Companies, "deal_to_company_unlabeled", 342, false, null, null),
        new(342, ObjectType.Companies, ObjectType.Deals, "company_to_deal_unlabeled", 341, false, null, null),
        new(19, ObjectType.Deals, ObjectType.LineItems, "deal_to_line_item", 20, false, null, null),
        new(20, ObjectType.LineItems, ObjectType.Deals, "line_item_to_deal", 19, false, null, null),
    ];

    public static AssociationType? Find(int id) => Types.FirstOrDefault(t => t.Id == id);

    public static AssociationType? Find(ObjectType from, int id) => Types.FirstOrDefault(t => t.Id == id && t.From == from);

    /// <summary>The type the "default" association endpoints use: the unlabeled one where a primary exists.</summary>
    public static AssociationType? DefaultBetween(ObjectType from, ObjectType to)
    {
        var candidates = Types.Where(t => t.From == from && t.To == to && !t.IsPrimary).ToList();
        return candidates.FirstOrDefault(t => t.Name.EndsWith("_unlabeled", StringComparison.Ordinal)) ?? candidates.FirstOrDefault();
    }

    public static bool AreAssociable(ObjectType from, ObjectType to) => Types.Any(t => t.From == from && t.To == to);
}
