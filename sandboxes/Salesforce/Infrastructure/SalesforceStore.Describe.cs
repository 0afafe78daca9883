using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

public sealed partial class SalesforceStore
{
    public static JsonObject DescribeGlobal(string version) => new()
    {
        ["encoding"] = "UTF-8",
        ["maxBatchSize"] = 200,
        ["sobjects"] = new JsonArray(Schema.All.Select(t => (JsonNode)Summary(t, version)).ToArray()),
    };

    public static JsonObject BasicInfo(SObjectType type, string version) => new()
    {
        ["objectDescribe"] = Summary(type, version),
        ["recentItems"] = new JsonArray(),
    };

    public static JsonObject Describe(SObjectType type, string version)
    {
        var body = Summary(type, version);
        body["fields"] = new JsonArray(type.Fields.Select(f => (JsonNode)DescribeField(f)).ToArray());
        body["childRelationships"] = new JsonArray(type.ChildRelationships.Select(r => (JsonNode)new JsonObject
        {
            ["cascadeDelete"] = (type.Name, r.ChildSObject) is ("Opportunity", "OpportunityLineItem") or ("Account", "Opportunity") or ("Account", "Contact"),
            ["childSObject"] = r.ChildSObject,
            ["deprecatedAndHidden"] = false,
            ["field"] = r.Field,
            ["relationshipName"] = r.RelationshipName,
        }).ToArray());
        body["recordTypeInfos"] = new JsonArray();
        return body;
    }

    private static JsonObject Summary(SObjectType type, string version) => new()
    {
        ["activateable"] = false,
        ["createable"] = type.Createable,
        ["custom"] = false,
        ["customSetting"] = false,
        ["deletable"] = type.Deletable,
        ["keyPrefix"] = type.KeyPrefix,
        ["label"] = type.Label,
        ["labelPlural"] = type.LabelPlural,
        ["layoutable"] = type.Createable,
        ["name"] = type.Name,
        ["queryable"] = true,
        ["retrieveable"] = true,
        ["searchable"] = type.Createable,
        ["triggerable"] = type.Createable,
        ["undeletable"] = type.Deletable,
        ["updateable"] = type.Updateable,
        ["urls"] = new JsonObject
        {
            ["sobject"] = $"/services/data/v{version}/sobjects/{type.Name}",
            ["describe"] = $"/services/data/v{version}/sobjects/{type.Name}/describe",
            ["rowTemplate"] = $"/services/data/v{version}/sobjects/{type.Name}/{{ID}}",
        },
    };

    private static JsonObject DescribeField(FieldDef field) => new()
    {
        ["name"] = field.Name,
        ["label"] = field.Label,
        ["type"] = field.Type,
        ["soapType"] = field.Type switch
        {
            "id" or "reference" => "tns:ID",
            "boolean" => "xsd:boolean",
            "currency" or "double" or "percent" => "xsd:double",
            "int" => "xsd:int",
            "date" => "xsd:date",
            "datetime" => "xsd:dateTime",
            _ => "xsd:string",
        },
        ["length"] = field.Length,
        ["nillable"] = field.Nillable,
        ["createable"] = field.Createable,
        ["updateable"] = field.Updateable,
        ["defaultedOnCreate"] = field.DefaultedOnCreate,
        ["calculated"] = field.Calculated,
        ["custom"] = false,
        ["filterable"] = true,
        ["sortable"] = field.Type != "textarea",
        ["groupable"] = field.Type is not ("textarea" or "currency" or "double" or "percent"),
        ["idLookup"] = field.Name == "Id",
        ["nameField"] = field.Name == "Name",
        ["unique"] = false,
        ["externalId"] = false,
        ["precision"] = field.Type is "currency" or "double" or "percent" ? 18 : 0,
        ["scale"] = field.Type is "currency" or "double" or "percent" ? 2 : 0,
        ["digits"] = field.Type == "int" ? 9 : 0,
        ["referenceTo"] = new JsonArray(field.ReferenceTo is null ? [] : [JsonValue.Create(field.ReferenceTo)]),
        ["relationshipName"] = field.RelationshipName,
        ["restrictedPicklist"] = field.Name == "StageName",
        ["picklistValues"] = new JsonArray((field.PicklistValues ?? []).Select(v => (JsonNode)new JsonObject
        {
            ["active"] = true,
            ["defaultValue"] = false,
            ["label"] = v,
            ["validFor"] = null,
            ["value"] = v,
        }).ToArray()),
    };
}
