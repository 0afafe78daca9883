using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;

namespace QuoteToCash.Testing.Scenarios;

/// <summary>
/// The firm the tests bill for: a 25-consultant professional-services company on HubSpot and QuickBooks Online,
/// with a lean finance team. Its client Contoso Logistics buys a fixed-fee ERP rollout.
/// </summary>
public static class ConsultingFirm
{
    public const string Tenant = "harbour-pine";
    public const string Crm = "hubspot";
    public const string Currency = "GBP";

    public static CustomerSnapshot Contoso(string externalId = "company-4711") => new()
    {
        ExternalId = externalId,
        LegalName = "Contoso Logistics Ltd",
        Domain = "contoso-logistics.test",
        TaxId = "GB 123 4567 89",
        BillingAddress = new PostalAddress { Line1 = "10 King Street", City = "Leeds", PostalCode = "LS1 2HL", Country = "GB" },
        Contacts =
        [
            new ContactPerson { FirstName = "Priya", LastName = "Shah", Email = "priya.shah@contoso-logistics.test" },
            new ContactPerson { FirstName = "Accounts", LastName = "Payable", Email = "ap@contoso-logistics.test", IsBillingContact = true },
        ],
    };

    /// <summary>Contoso as a sales rep first enters it: no billing address and no billing contact yet.</summary>
    public static CustomerSnapshot ContosoIncomplete(string externalId = "company-4711") =>
        Contoso(externalId) with { BillingAddress = null, Contacts = [new ContactPerson { FirstName = "Priya", Email = "priya.shah@contoso-logistics.test" }] };

    public static Guid FlowOf(string externalDealId) => FlowId.For(Tenant, Crm, externalDealId);

    public static DealWon ErpRolloutWon(string externalDealId = "deal-9001", CustomerSnapshot? customer = null, DateTimeOffset? wonAt = null) => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf(externalDealId),
        SourceSystem = Crm,
        ExternalDealId = externalDealId,
        DealName = "Contoso ERP rollout, phase 1",
        Customer = customer ?? Contoso(),
        Currency = Currency,
        Amount = 18_500m,
        BillingModel = BillingModel.FixedFee,
        PaymentTerms = "Net 30",
        Lines = [new DealLine { Description = "ERP rollout, phase 1 (fixed fee)", Quantity = 1, UnitPrice = 18_500m }],
        WonAt = wonAt ?? new DateTimeOffset(2026, 3, 2, 8, 30, 0, TimeSpan.Zero),
    };

    public static DealLost ErpRolloutLost(string externalDealId = "deal-9001") => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf(externalDealId),
        ExternalDealId = externalDealId,
        LostAt = new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero),
    };

    public static CustomerReady ContosoReady(Guid flowId, Guid customerId) => new()
    {
        TenantId = Tenant,
        FlowId = flowId,
        CustomerId = customerId,
        DisplayName = "Contoso Logistics Ltd",
        AccountingCustomerRef = "58",
        PaymentTerms = "Net 30",
        Currency = Currency,
    };

    public static CustomerNeedsReview ContosoNeedsReview(Guid flowId, Guid customerId) => new()
    {
        TenantId = Tenant,
        FlowId = flowId,
        CustomerId = customerId,
        Reasons = ["missing billing address street", "missing billing contact email"],
    };
}
