namespace QuoteToCash.Sandbox.HubSpot.Domain;

/// <summary>The HubSpot-defined properties a new portal starts with (a working subset of the real catalogue).</summary>
public static class StandardProperties
{
    public static string DefaultGroup(ObjectType type) => type.Singular.Replace("_", "", StringComparison.Ordinal) + "information";

    public static List<PropertyGroup> Groups(ObjectType type) =>
    [
        new() { Name = DefaultGroup(type), Label = type.Singular switch
        {
            "contact" => "Contact information",
            "company" => "Company information",
            "deal" => "Deal information",
            "product" => "Product information",
            _ => "Line item information",
        }, DisplayOrder = 0 },
    ];

    public static List<PropertyDefinition> For(ObjectType type, DateTimeOffset now)
    {
        var group = DefaultGroup(type);
        var list = new List<PropertyDefinition>();
        void Add(string name, string label, string kind, string field, bool readOnly = false, bool calculated = false, List<PropertyOption>? options = null)
            => list.Add(new PropertyDefinition
            {
                Name = name, Label = label, Type = kind, FieldType = field, GroupName = group, HubspotDefined = true,
                ReadOnlyValue = readOnly, Calculated = calculated, Options = options ?? [], CreatedAt = now, UpdatedAt = now,
                DisplayOrder = list.Count,
            });

        Add("hs_object_id", "Record ID", "number", "number", readOnly: true);
        Add("createdate", "Create Date", "datetime", "date");
        Add(type.LastModifiedProperty, "Last Modified Date", "datetime", "date", readOnly: true);
        Add("hubspot_owner_id", "Owner", "enumeration", "select");

        switch (type.Singular)
        {
            case "contact":
                Add("email", "Email", "string", "text");
                Add("firstname", "First Name", "string", "text");
                Add("lastname", "Last Name", "string", "text");
                Add("phone", "Phone Number", "string", "phonenumber");
                Add("company", "Company Name", "string", "text");
                Add("jobtitle", "Job Title", "string", "text");
                Add("address", "Street Address", "string", "text");
                Add("city", "City", "string", "text");
                Add("zip", "Postal Code", "string", "text");
                Add("country", "Country/Region", "string", "text");
                Add("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", options: Options(
                    "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"));
                break;
            case "company":
                Add("name", "Company name", "string", "text");
                Add("domain", "Company Domain Name", "string", "text");
                Add("website", "Website URL", "string", "text");
                Add("phone", "Phone Number", "string", "phonenumber");
                Add("address", "Street Address", "string", "text");
                Add("address2", "Street Address 2", "string", "text");
                Add("city", "City", "string", "text");
                Add("state", "State/Region", "string", "text");
                Add("zip", "Postal Code", "string", "text");
                Add("country", "Country/Region", "string", "text");
                Add("industry", "Industry", "enumeration", "select", options: Options(
                    "ACCOUNTING", "COMPUTER_SOFTWARE", "CONSTRUCTION", "FINANCIAL_SERVICES", "INFORMATION_TECHNOLOGY_AND_SERVICES", "MANAGEMENT_CONSULTING", "MARKETING_AND_ADVERTISING"));
                Add("description", "Description", "string", "textarea");
                Add("numberofemployees", "Number of Employees", "number", "number");
                Add("annualrevenue", "Annual Revenue", "number", "number");
                Add("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", options: Options(
                    "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"));
                break;
            case "deal":
                Add("dealname", "Deal Name", "string", "text");
                Add("amount", "Amount", "number", "number");
                Add("dealstage", "Deal Stage", "enumeration", "radio");
                Add("pipeline", "Pipeline", "enumeration", "select");
                Add("closedate", "Close Date", "datetime", "date");
                Add("dealtype", "Deal Type", "enumeration", "radio", options: Options("newbusiness", "existingbusiness"));
                Add("description", "Deal Description", "string", "textarea");
                Add("deal_currency_code", "Currency", "enumeration", "select", options: Options("USD", "EUR", "GBP", "CAD", "AUD"));
                Add("hs_is_closed_won", "Is Closed Won", "bool", "booleancheckbox", readOnly: true, calculated: true, options: BoolOptions());
                Add("hs_is_closed_lost", "Is closed lost", "bool", "booleancheckbox", readOnly: true, calculated: true, options: BoolOptions());
                Add("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", readOnly: true, calculated: true, options: BoolOptions());
                Add("hs_deal_stage_probability", "Deal probability", "number", "number", readOnly: true, calculated: true);
                break;
            case "product":
                Add("name", "Name", "string", "text");
                Add("description", "Description", "string", "textarea");
                Add("price", "Unit price", "number", "number");
                Add("hs_sku", "SKU", "string", "text");
                Add("hs_cost_of_goods_sold", "Unit cost", "number", "number");
                Add("hs_recurring_billing_period", "Term", "string", "text");
                Add("recurringbillingfrequency", "Billing frequency", "enumeration", "select", options: BillingFrequencies());
                Add("hs_product_type", "Product type", "enumeration", "select", options: Options("inventory", "non_inventory", "service"));
                break;
            case "line_item":
                Add("name", "Name", "string", "text");
                Add("description", "Description", "string", "textarea");
                Add("price", "Unit price", "number", "number");
                Add("quantity", "Quantity", "number", "number");
                Add("amount", "Net price", "number", "number", readOnly: true, calculated: true);
                Add("discount", "Unit discount", "number", "number");
                Add("hs_discount_percentage", "Discount Percentage", "number", "number");
                Add("hs_product_id", "Product ID", "number", "number");
                Add("hs_sku", "SKU", "string", "text");
                Add("hs_cost_of_goods_sold", "Unit cost", "number", "number");
                Add("hs_recurring_billing_period", "Term", "string", "text");
                Add("recurringbillingfrequency", "Billing frequency", "enumeration", "select", options: BillingFrequencies());
                Add("hs_recurring_billing_start_date", "Billing start date", "date", "date");
                Add("hs_line_item_currency_code", "Currency", "enumeration", "select", options: Options("USD", "EUR", "GBP", "CAD", "AUD"));
                Add("hs_tax_rate_group_id", "Tax rate", "string", "text");
                Add("hs_position_on_quote", "Position on quote", "number", "number");
                break;
        }
        return list;
    }

    private static List<PropertyOption> Options(params string[] values) =>
        values.Select((v, i) => new PropertyOption { Label = v, Value = v, DisplayOrder = i }).ToList();

    private static List<PropertyOption> BoolOptions() =>
    [
        new() { Label = "True", Value = "true", DisplayOrder = 0 },
        new() { Label = "False", Value = "false", DisplayOrder = 1 },
    ];

    private static List<PropertyOption> BillingFrequencies() =>
        Options("weekly", "biweekly", "monthly", "quarterly", "per_six_months", "annually", "per_two_years", "per_three_years");
}
