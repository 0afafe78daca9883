using QuoteToCash.Contracts;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// A tenant's billing defaults: what a deal's billing terms leave out is taken from here, and where in each CRM the
/// terms are kept. <see cref="None"/> is what a tenant that has set nothing gets.
/// </summary>
public sealed record BillingDefaults
{
    public static BillingDefaults None { get; } = new();

    public BillingModel Model { get; init; } = BillingModel.FixedFee;

    public BillingPeriod Period { get; init; } = BillingPeriod.Monthly;

    /// <summary>For deals that name no payment terms; null leaves them to the customer's terms in master data.</summary>
    public string? PaymentTerms { get; init; }

    /// <summary>The tenant's standard hourly rates by role, each in one currency.</summary>
    public IReadOnlyList<TenantRate> RateCard { get; init; } = [];

    public CrmBillingFields HubSpot { get; init; } = CrmBillingFields.HubSpotDefaults;

    public CrmBillingFields Salesforce { get; init; } = CrmBillingFields.SalesforceDefaults;

    /// <summary>The tenant's rates that apply to a deal in this currency, as rate-card entries of the deal's terms.</summary>
    public IReadOnlyList<RateCardEntry> RatesIn(string currency) =>
        RateCard.Where(r => string.Equals(r.Currency, currency, StringComparison.OrdinalIgnoreCase))
            .Select(r => new RateCardEntry { Role = r.Role, Rate = r.Rate, Product = r.Product })
            .ToList();
}

/// <summary>One role's standard hourly rate in one currency; <paramref name="Product"/> is the CRM product whose item mapping bills it.</summary>
public sealed record TenantRate(string Role, decimal Rate, string Currency, string? Product = null);

/// <summary>
/// The names of the CRM fields (HubSpot deal properties, Salesforce Opportunity fields) crm-ingest reads a deal's
/// billing from. <see cref="Parameters"/> holds the older <c>key=value;…</c> form.
/// </summary>
public sealed record CrmBillingFields(string Model, string Terms, string PaymentTerms, string PurchaseOrder, string Parameters)
{
    public static CrmBillingFields HubSpotDefaults { get; } =
        new("q2c_billing_model", "q2c_billing_terms", "q2c_payment_terms", "q2c_purchase_order", "q2c_billing_parameters");

    public static CrmBillingFields SalesforceDefaults { get; } =
        new("Q2C_Billing_Model__c", "Q2C_Billing_Terms__c", "Q2C_Payment_Terms__c", "Q2C_Purchase_Order__c", "Q2C_Billing_Parameters__c");

    /// <summary>Every field name, for the reads that must request them from the CRM.</summary>
    public IReadOnlyList<string> All => [Model, Terms, PaymentTerms, PurchaseOrder, Parameters];
}
