namespace QuoteToCash.CrmIngest.Domain;

/// <summary>A HubSpot CRM v3 object: its ID, properties and associated object IDs.</summary>
public sealed record HubSpotObject(string Id, IReadOnlyDictionary<string, string?> Properties, IReadOnlyDictionary<string, IReadOnlyList<string>> Associations)
{
    public string? this[string property] => Properties.GetValueOrDefault(property);

    public IReadOnlyList<string> Associated(string objectType) =>
        Associations.GetValueOrDefault(objectType) ?? Associations.GetValueOrDefault(objectType.Replace('_', ' ')) ?? [];
}
