namespace QuoteToCash.CrmIngest.Domain;

/// <summary>An Opportunity as crm-ingest needs it: the record (with its Account fields), the account, the people and the products.</summary>
public sealed record SalesforceOpportunity(
    SalesforceRecord Opportunity,
    SalesforceRecord? Account,
    IReadOnlyList<SalesforceRecord> Contacts,
    IReadOnlyList<SalesforceRecord> LineItems);
