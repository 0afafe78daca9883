using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;
using QuoteToCash.Sandbox.Salesforce.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Apis;

/// <summary>
/// <c>POST /services/data/vXX.X/tooling/sobjects/CustomField</c> with
/// <c>{"FullName":"Opportunity.My_Field__c","Metadata":{"label","type":"Text"|"Number"|"Date"|"Checkbox","length","precision","scale"}}</c>:
/// 201 <c>{"id","success":true,"errors":[]}</c>; an existing name is 400 DUPLICATE_DEVELOPER_NAME. Declarations are kept in the saved state.
/// </summary>
public static class ToolingCustomField
{
    private static int _sequence;

    public static IResult Create(SalesforceStore store, JsonObject? body)
    {
        // Salesforce reads these keys case-insensitively.
        var fullName = Property(body, "FullName")?.GetValue<string>();
        var metadata = Property(body, "Metadata") as JsonObject;
        if (string.IsNullOrWhiteSpace(fullName) || metadata is null || fullName.Split('.') is not [var objectName, var fieldName])
            return ApiResult.BadRequest(new SfError("INVALID_FIELD", "FullName must be '<Object>.<Field>__c' and Metadata is required.", ["FullName"]));
        if (!fieldName.EndsWith("__c", StringComparison.Ordinal) || fieldName.Length > 43 || !fieldName[..^3].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return ApiResult.BadRequest(new SfError("FIELD_INTEGRITY_EXCEPTION", $"Invalid custom field name '{fieldName}': letters, digits and underscores, ending in __c.", ["FullName"]));
        if (Schema.Resolve(objectName) is not { } type)
            return ApiResult.BadRequest(new SfError("INVALID_TYPE", $"sObject type '{objectName}' is not supported.", ["FullName"]));
        var label = metadata["label"]?.GetValue<string>() ?? fieldName[..^3].Replace('_', ' ');
        var declared = metadata["type"]?.GetValue<string>();
        var field = declared switch
        {
            "Text" => new FieldDef(fieldName, label, "string", Length: metadata["length"]?.GetValue<int>() is int n and > 0 and <= 255 ? n : 255),
            "Number" or "Currency" => new FieldDef(fieldName, label, declared == "Currency" ? "currency" : "double"),
            "Date" => new FieldDef(fieldName, label, "date"),
            "Checkbox" => new FieldDef(fieldName, label, "boolean", Nillable: false, DefaultedOnCreate: true),
            _ => null,
        };
        if (field is null)
            return ApiResult.BadRequest(new SfError("INVALID_TYPE", $"Custom field type '{declared}' is not supported here (Text, Number, Currency, Date, Checkbox).", ["Metadata"]));
        if (!store.DeclareCustomField(type, field))
            return ApiResult.BadRequest(new SfError("DUPLICATE_DEVELOPER_NAME", $"There is already a field named {fieldName} on {type.Name}.", ["FullName"]));
        var id = "00N" + SalesforceIdSuffix(Interlocked.Increment(ref _sequence));
        return new ApiResult(StatusCodes.Status201Created, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
    }

    private static JsonNode? Property(JsonObject? body, string name) =>
        body?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string SalesforceIdSuffix(int sequence) => ("Q2" + sequence.ToString("D10", System.Globalization.CultureInfo.InvariantCulture))[..12] + "AAA";
}
