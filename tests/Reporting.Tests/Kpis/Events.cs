using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;

namespace QuoteToCash.Reporting.Tests.Kpis;

/// <summary>Short builders of the events reporting consumes, for KPI scenarios.</summary>
public static class Events
{
    public const string Tenant = "kpi-firm";

    public static DateTimeOffset At(int year, int month, int day, int hour = 9) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    public static Guid Flow(string deal) => FlowId.For(Tenant, "hubspot", deal);

    public static Guid InvoiceOf(string deal, int n = 1) => DeterministicId.Create(Flow(deal), $"invoice-{n}");

    public static Guid CustomerOf(string name) => DeterministicId.Create(Guid.Empty, Tenant + ":" + name);

    public static DealWon Won(string deal, decimal amount, DateTimeOffset wonAt, BillingModel model = BillingModel.FixedFee, string region = "UK",
        string businessUnit = "Consulting", BillingTerms? billing = null, string? segment = null) => new()
    {
        TenantId = Tenant, FlowId = Flow(deal), SourceSystem = "hubspot", ExternalDealId = deal, DealName = "Deal " + deal,
        Customer = new CustomerSnapshot { ExternalId = "C-" + deal, LegalName = "Customer " + deal }, Currency = "GBP", Amount = amount,
        BillingModel = model, Billing = billing, BusinessUnit = businessUnit, Region = region, Segment = segment, WonAt = wonAt,
    };

    public static InvoiceDrafted Drafted(string deal, decimal total, DateOnly date, DateOnly due, bool approval = false, DateTimeOffset? draftedAt = null) => new()
    {
        TenantId = Tenant, FlowId = Flow(deal), InvoiceId = InvoiceOf(deal), CustomerId = CustomerOf(deal), Currency = "GBP", Lines = [], Total = total,
        InvoiceDate = date, DueDate = due, RequiresApproval = approval, DraftedAt = draftedAt,
    };

    public static InvoiceApprovalRecorded Decided(string deal, bool approved, DateTimeOffset requestedAt, DateTimeOffset decidedAt, string by = "maria") => new()
    {
        TenantId = Tenant, FlowId = Flow(deal), InvoiceId = InvoiceOf(deal), Decision = approved ? InvoiceApprovalRecorded.Approved : InvoiceApprovalRecorded.Rejected,
        DecidedBy = by, RequestedAt = requestedAt, DecidedAt = decidedAt,
    };

    public static InvoicePosted Posted(string deal, decimal total, DateOnly date, DateOnly due, DateTimeOffset? at = null) => new()
    {
        TenantId = Tenant, FlowId = Flow(deal), InvoiceId = InvoiceOf(deal), AccountingInvoiceId = "qbo-" + deal, DocNumber = "INV-" + deal, Total = total,
        Balance = total, PostedAt = at ?? new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero), InvoiceDate = date, DueDate = due,
    };

    public static InvoiceSent Sent(string deal, DateTimeOffset at) => new() { TenantId = Tenant, FlowId = Flow(deal), InvoiceId = InvoiceOf(deal), SentAt = at };

    public static PaymentReceived Paid(string deal, string paymentId, decimal amount, decimal remaining, DateTimeOffset at) => new()
    {
        TenantId = Tenant, FlowId = Flow(deal), InvoiceId = InvoiceOf(deal), AccountingPaymentId = paymentId, Amount = amount, RemainingBalance = remaining,
        Currency = "GBP", ReceivedAt = at,
    };

    public static CreditMemoPosted Credited(string deal, string memoId, decimal amount, decimal balanceAfter, DateTimeOffset at, bool writeOff = false) => new()
    {
        TenantId = Tenant, FlowId = Flow(deal), CreditMemoId = DeterministicId.Create(Flow(deal), memoId), InvoiceId = InvoiceOf(deal), AccountingCreditMemoId = memoId,
        AccountingInvoiceId = "qbo-" + deal, DocNumber = "CM-" + memoId, Amount = amount, AppliedAmount = amount, InvoiceBalance = balanceAfter, WriteOff = writeOff,
        PostedAt = at,
    };
}
