namespace QuoteToCash.Sandbox.Salesforce.Domain;

/// <summary>A field as describe returns it (the subset of attributes clients use).</summary>
public sealed record FieldDef(
    string Name,
    string Label,
    string Type,
    bool Nillable = true,
    bool Createable = true,
    bool Updateable = true,
    bool DefaultedOnCreate = false,
    bool Calculated = false,
    string? ReferenceTo = null,
    string? RelationshipName = null,
    IReadOnlyList<string>? PicklistValues = null,
    int Length = 0)
{
    /// <summary>Must be given on insert: not nillable, createable, with no default.</summary>
    public bool RequiredOnCreate => !Nillable && Createable && !DefaultedOnCreate;

    public bool IsNumber => Type is "currency" or "double" or "percent" or "int";

    public bool IsIdLike => Type is "id" or "reference";
}

/// <summary>A child relationship: the child object, its lookup field and the relationship name used in subqueries.</summary>
public sealed record ChildRelationship(string ChildSObject, string Field, string RelationshipName);

public sealed record SObjectType(
    string Name,
    string Label,
    string LabelPlural,
    string KeyPrefix,
    IReadOnlyList<FieldDef> StandardFields,
    bool Createable = true,
    bool Updateable = true,
    bool Deletable = true)
{
    private readonly Lock _gate = new();
    private IReadOnlyList<FieldDef> _customFields = [];

    public List<ChildRelationship> ChildRelationships { get; } = [];

    /// <summary>The standard fields, then the custom fields declared through the Tooling API.</summary>
    public IReadOnlyList<FieldDef> Fields => _customFields.Count == 0 ? StandardFields : [.. StandardFields, .. _customFields];

    /// <summary>
    /// Declares a custom field (a name ending in <c>__c</c>). Returns false when the object already has a field of that
    /// name. Declarations are sandbox-wide; <c>SalesforceStore.DeclareCustomField</c> records them in the saved state.
    /// </summary>
    public bool AddCustomField(FieldDef field)
    {
        lock (_gate)
        {
            if (Field(field.Name) is not null)
                return false;
            _customFields = [.. _customFields, field];
            return true;
        }
    }

    public FieldDef? Field(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public FieldDef? Relationship(string relationshipName) =>
        Fields.FirstOrDefault(f => f.RelationshipName is not null && string.Equals(f.RelationshipName, relationshipName, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The standard objects the sandbox knows, with the fields QuoteToCash reads and writes.</summary>
public static class Schema
{
    public static readonly IReadOnlyList<string> StandardStages =
    [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis",
        "Proposal/Price Quote", "Negotiation/Review", "Contract Signed", "Closed Won", "Closed Lost",
    ];

    private static IEnumerable<FieldDef> SystemFields(bool owner = true)
    {
        yield return new("Id", "Record ID", "id", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true, Length: 18);
        yield return new("IsDeleted", "Deleted", "boolean", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true);
        if (owner)
            yield return new("OwnerId", "Owner ID", "reference", Nillable: false, DefaultedOnCreate: true, ReferenceTo: "User", RelationshipName: "Owner", Length: 18);
        yield return new("CreatedDate", "Created Date", "datetime", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true);
        yield return new("CreatedById", "Created By ID", "reference", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true, ReferenceTo: "User", RelationshipName: "CreatedBy", Length: 18);
        yield return new("LastModifiedDate", "Last Modified Date", "datetime", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true);
        yield return new("LastModifiedById", "Last Modified By ID", "reference", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true, ReferenceTo: "User", RelationshipName: "LastModifiedBy", Length: 18);
        yield return new("SystemModstamp", "System Modstamp", "datetime", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true);
    }

    private static FieldDef Text(string name, string label, int length = 255, bool required = false) =>
        new(name, label, "string", Nillable: !required, Length: length);

    private static FieldDef ReadOnly(string name, string label, string type, bool nillable = true) =>
        new(name, label, type, Nillable: nillable, Createable: false, Updateable: false, DefaultedOnCreate: !nillable, Calculated: true);

    public static readonly SObjectType User = new("User", "User", "Users", "005",
    [
        .. SystemFields(owner: false),
        Text("Username", "Username", 80, required: true),
        Text("Name", "Full Name", 121),
        Text("FirstName", "First Name", 40),
        Text("LastName", "Last Name", 80, required: true),
        new("Email", "Email", "email", Nillable: false, Length: 128),
        new("IsActive", "Active", "boolean", Nillable: false, DefaultedOnCreate: true),
    ], Createable: false, Updateable: false, Deletable: false);

    public static readonly SObjectType Account = new("Account", "Account", "Accounts", "001",
    [
        .. SystemFields(),
        Text("Name", "Account Name", 255, required: true),
        Text("AccountNumber", "Account Number", 40),
        new("Type", "Account Type", "picklist", PicklistValues: ["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Installation Partner", "Technology Partner", "Other"]),
        new("Industry", "Industry", "picklist", PicklistValues: ["Agriculture", "Banking", "Consulting", "Education", "Finance", "Healthcare", "Manufacturing", "Retail", "Technology", "Other"]),
        Text("BillingStreet", "Billing Street"),
        Text("BillingCity", "Billing City", 40),
        Text("BillingState", "Billing State/Province", 80),
        Text("BillingPostalCode", "Billing Zip/Postal Code", 20),
        Text("BillingCountry", "Billing Country", 80),
        new("Phone", "Account Phone", "phone", Length: 40),
        new("Website", "Website", "url", Length: 255),
        new("Description", "Account Description", "textarea", Length: 32000),
        new("AnnualRevenue", "Annual Revenue", "currency"),
        new("NumberOfEmployees", "Employees", "int"),
    ]);

    public static readonly SObjectType Contact = new("Contact", "Contact", "Contacts", "003",
    [
        .. SystemFields(),
        new("AccountId", "Account ID", "reference", ReferenceTo: "Account", RelationshipName: "Account", Length: 18),
        Text("FirstName", "First Name", 40),
        Text("LastName", "Last Name", 80, required: true),
        ReadOnly("Name", "Full Name", "string", nillable: false),
        new("Email", "Email", "email", Length: 80),
        new("Phone", "Business Phone", "phone", Length: 40),
        Text("Title", "Title", 128),
        Text("MailingCity", "Mailing City", 40),
        Text("MailingCountry", "Mailing Country", 80),
    ]);

    public static readonly SObjectType Opportunity = new("Opportunity", "Opportunity", "Opportunities", "006",
    [
        .. SystemFields(),
        new("AccountId", "Account ID", "reference", ReferenceTo: "Account", RelationshipName: "Account", Length: 18),
        Text("Name", "Name", 120, required: true),
        new("StageName", "Stage", "picklist", Nillable: false, PicklistValues: StandardStages),
        new("Amount", "Amount", "currency"),
        new("Probability", "Probability (%)", "percent", DefaultedOnCreate: true),
        new("CloseDate", "Close Date", "date", Nillable: false),
        new("Type", "Opportunity Type", "picklist", PicklistValues: ["Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"]),
        new("LeadSource", "Lead Source", "picklist", PicklistValues: ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]),
        Text("NextStep", "Next Step"),
        new("Description", "Description", "textarea", Length: 32000),
        ReadOnly("IsClosed", "Closed", "boolean", nillable: false),
        ReadOnly("IsWon", "Won", "boolean", nillable: false),
        ReadOnly("ForecastCategory", "Forecast Category", "picklist", nillable: false),
        new("ForecastCategoryName", "Forecast Category", "picklist", DefaultedOnCreate: true, PicklistValues: ["Omitted", "Pipeline", "Best Case", "Commit", "Closed"]),
        new("Pricebook2Id", "Price Book ID", "reference", ReferenceTo: "Pricebook2", RelationshipName: "Pricebook2", Length: 18),
        ReadOnly("HasOpportunityLineItem", "Has Line Item", "boolean", nillable: false),
    ]);

    public static readonly SObjectType Product2 = new("Product2", "Product", "Products", "01t",
    [
        .. SystemFields(owner: false),
        Text("Name", "Product Name", 255, required: true),
        Text("ProductCode", "Product Code", 255),
        new("Description", "Product Description", "textarea", Length: 4000),
        new("IsActive", "Active", "boolean", Nillable: false, DefaultedOnCreate: true),
        new("Family", "Product Family", "picklist", PicklistValues: ["Services", "Subscriptions", "Hardware", "None"]),
    ]);

    public static readonly SObjectType Pricebook2 = new("Pricebook2", "Price Book", "Price Books", "01s",
    [
        .. SystemFields(owner: false),
        Text("Name", "Price Book Name", 255, required: true),
        new("IsActive", "Active", "boolean", Nillable: false, DefaultedOnCreate: true),
        ReadOnly("IsStandard", "Is Standard Price Book", "boolean", nillable: false),
        Text("Description", "Description"),
    ]);

    public static readonly SObjectType PricebookEntry = new("PricebookEntry", "Price Book Entry", "Price Book Entries", "01u",
    [
        .. SystemFields(owner: false),
        new("Pricebook2Id", "Price Book ID", "reference", Nillable: false, Updateable: false, ReferenceTo: "Pricebook2", RelationshipName: "Pricebook2", Length: 18),
        new("Product2Id", "Product ID", "reference", Nillable: false, Updateable: false, ReferenceTo: "Product2", RelationshipName: "Product2", Length: 18),
        ReadOnly("Name", "Product Name", "string"),
        ReadOnly("ProductCode", "Product Code", "string"),
        new("UnitPrice", "List Price", "currency", Nillable: false),
        new("IsActive", "Active", "boolean", Nillable: false, DefaultedOnCreate: true),
        new("UseStandardPrice", "Use Standard Price", "boolean", Nillable: false, DefaultedOnCreate: true),
    ]);

    public static readonly SObjectType OpportunityLineItem = new("OpportunityLineItem", "Opportunity Product", "Opportunity Product", "00k",
    [
        .. SystemFields(owner: false),
        new("OpportunityId", "Opportunity ID", "reference", Nillable: false, Updateable: false, ReferenceTo: "Opportunity", RelationshipName: "Opportunity", Length: 18),
        new("PricebookEntryId", "Price Book Entry ID", "reference", DefaultedOnCreate: true, Updateable: false, ReferenceTo: "PricebookEntry", RelationshipName: "PricebookEntry", Length: 18),
        new("Product2Id", "Product ID", "reference", DefaultedOnCreate: true, Updateable: false, ReferenceTo: "Product2", RelationshipName: "Product2", Length: 18),
        ReadOnly("ProductCode", "Product Code", "string"),
        ReadOnly("Name", "Opportunity Product Name", "string"),
        new("Quantity", "Quantity", "double", Nillable: false),
        new("UnitPrice", "Sales Price", "currency", DefaultedOnCreate: true),
        ReadOnly("ListPrice", "List Price", "currency"),
        new("TotalPrice", "Total Price", "currency", DefaultedOnCreate: true),
        new("Discount", "Discount", "percent"),
        new("ServiceDate", "Date", "date"),
        Text("Description", "Line Description"),
        new("SortOrder", "Sort Order", "int"),
    ]);

    public static readonly SObjectType OpportunityStage = new("OpportunityStage", "Opportunity Stage", "Opportunity Stages", "01J",
    [
        new("Id", "Picklist Value ID", "id", Nillable: false, Createable: false, Updateable: false, DefaultedOnCreate: true, Length: 18),
        ReadOnly("MasterLabel", "Master Label", "string", nillable: false),
        ReadOnly("ApiName", "Api Name", "string", nillable: false),
        ReadOnly("IsActive", "Is Active", "boolean", nillable: false),
        ReadOnly("SortOrder", "Sort Order", "int"),
        ReadOnly("IsClosed", "Closed", "boolean", nillable: false),
        ReadOnly("IsWon", "Won", "boolean", nillable: false),
        ReadOnly("ForecastCategory", "Forecast Type", "picklist", nillable: false),
        ReadOnly("ForecastCategoryName", "Forecast Category", "picklist", nillable: false),
        ReadOnly("DefaultProbability", "Probability (%)", "percent"),
        ReadOnly("Description", "Description", "string"),
        ReadOnly("CreatedDate", "Created Date", "datetime", nillable: false),
        ReadOnly("LastModifiedDate", "Last Modified Date", "datetime", nillable: false),
        ReadOnly("SystemModstamp", "System Modstamp", "datetime", nillable: false),
    ], Createable: false, Updateable: false, Deletable: false);

    public static readonly IReadOnlyList<SObjectType> All =
        [Account, Contact, Opportunity, OpportunityLineItem, Product2, Pricebook2, PricebookEntry, OpportunityStage, User];

    static Schema()
    {
        foreach (var child in All)
        {
            foreach (var field in child.Fields.Where(f => f.Type == "reference" && f.ReferenceTo is not null && f.Name is not ("OwnerId" or "CreatedById" or "LastModifiedById")))
            {
                var parent = Resolve(field.ReferenceTo!)!;
                parent.ChildRelationships.Add(new ChildRelationship(child.Name, field.Name, PluralRelationship(child, field)));
            }
        }
    }

    private static string PluralRelationship(SObjectType child, FieldDef field) => (child.Name, field.Name) switch
    {
        ("OpportunityLineItem", "OpportunityId") => "OpportunityLineItems",
        ("OpportunityLineItem", "PricebookEntryId") => "OpportunityLineItems",
        ("OpportunityLineItem", "Product2Id") => "OpportunityLineItems",
        ("Opportunity", "AccountId") => "Opportunities",
        ("Opportunity", "Pricebook2Id") => "Opportunities",
        ("Contact", "AccountId") => "Contacts",
        ("PricebookEntry", _) => "PricebookEntries",
        _ => child.LabelPlural.Replace(" ", "", StringComparison.Ordinal),
    };

    public static SObjectType? Resolve(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public static SObjectType? ByPrefix(string id) => All.FirstOrDefault(t => id.StartsWith(t.KeyPrefix, StringComparison.Ordinal));
}
