using System.Text.Json;
using QuoteToCash.MasterData.Domain;

namespace QuoteToCash.MasterData.Apis;

/// <summary>Reads a PATCH body (a JSON object of field names and values) into typed field values, naming every bad field.</summary>
public static class CustomerPatch
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(allowIntegerValues: false) },
    };

    public static (List<KeyValuePair<CustomerField, object?>> Values, Dictionary<string, string[]> Errors) Read(JsonElement body, MasterDataPolicy policy)
    {
        var values = new List<KeyValuePair<CustomerField, object?>>();
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["Send a JSON object of the fields to change, e.g. {\"paymentTerms\": \"Net 30\"}."];
            return (values, errors);
        }
        foreach (var property in body.EnumerateObject())
        {
            var field = CustomerFields.Find(property.Name);
            if (field is null)
            {
                errors[property.Name] = [$"Not a field that can be changed. Changeable fields: {string.Join(", ", CustomerFields.All.Select(f => f.Name))}."];
                continue;
            }
            object? value;
            try
            {
                value = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.Deserialize(field.ValueType, Json);
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                errors[field.Name] = [$"Not a valid {Describe(field)}."];
                continue;
            }
            if (value is string text)
                value = text.Trim();
            if (field.Name == FieldNames.PaymentTerms && value is string terms && policy.KnownTerms(terms) is { } known)
                value = known;
            if (value is QuoteToCash.Contracts.PostalAddress address)
                value = PostalAddresses.NormalizeCountry(address);
            if (value is System.Collections.IEnumerable list and not string && field.Name == FieldNames.Contacts
                && list.Cast<object?>().Any(c => c is null))
            {
                errors[field.Name] = ["A contact cannot be null."];
                continue;
            }
            if (CustomerValidation.Problem(field, value, policy) is { } problem)
            {
                errors[field.Name] = [problem];
                continue;
            }
            values.Add(new(field, value));
        }
        return (values, errors);
    }

    private static string Describe(CustomerField field) => field.ValueType switch
    {
        var t when t == typeof(string) => "text value",
        var t when t.IsEnum => "value; use one of " + string.Join(", ", Enum.GetNames(field.ValueType)),
        var t when t == typeof(Guid?) => "customer ID",
        var t when t == typeof(QuoteToCash.Contracts.PostalAddress) => "address object (line1, line2, city, region, postalCode, country)",
        _ => "list of contacts (firstName, lastName, email, phone, isBillingContact)",
    };
}
