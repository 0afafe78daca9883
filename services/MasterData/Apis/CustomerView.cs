using System.Text.Json;
using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain;

namespace QuoteToCash.MasterData.Apis;

public sealed record CrossReferenceView(string System, string ExternalId);

/// <summary>A golden customer as the API shows it: the tax ID masked, no storage internals.</summary>
public sealed record CustomerView(
    Guid CustomerId,
    string TenantId,
    CustomerStatus Status,
    string DisplayName,
    string LegalName,
    string? Domain,
    string? TaxId,
    TaxStatus TaxStatus,
    string? TaxExemptionReason,
    string? TaxExemptionCertificate,
    PostalAddress? BillingAddress,
    PostalAddress? ShippingAddress,
    IReadOnlyList<ContactPerson> Contacts,
    IReadOnlyList<CrossReferenceView> CrossReferences,
    string? AccountingCustomerRef,
    Guid? ParentCustomerId,
    string? ParentCrmReference,
    BillToPolicy BillToPolicy,
    string? PaymentTerms,
    string? EffectivePaymentTerms,
    string? Currency,
    IReadOnlyList<string> MissingFields,
    string? ApprovedBy,
    DateTime? ApprovedAt,
    Guid? MergedInto,
    AccountingSyncState SyncState,
    string? SyncError,
    int Revision,
    DateTime Created,
    DateTime Updated)
{
    public static CustomerView From(GoldenCustomer customer, MasterDataPolicy policy) => new(
        customer.CustomerId, customer.TenantId, customer.Status, customer.DisplayName, customer.LegalName, customer.Domain,
        TaxIdentifier.Mask(customer.TaxId), customer.TaxStatus, customer.TaxExemptionReason, customer.TaxExemptionCertificate,
        customer.BillingAddress, customer.ShippingAddress, customer.Contacts.ToList(),
        customer.CrossReferences.Select(r => new CrossReferenceView(r.System, r.ExternalId)).ToList(), customer.AccountingReference(),
        customer.ParentCustomerId, customer.ParentCrmReference, customer.BillToPolicy, customer.PaymentTerms, policy.EffectiveTerms(customer),
        customer.Currency, customer.MissingFields.ToList(), customer.ApprovedBy, customer.ApprovedAt, customer.MergedInto, customer.SyncState,
        customer.SyncError, customer.Revision, customer.Created, customer.Updated);
}

/// <summary>What a change did: the customer afterwards, the fields applied, and the review items it opened instead of applying.</summary>
public sealed record CustomerChangeView(CustomerView Customer, IReadOnlyList<string> Applied, IReadOnlyList<ReviewItemView> Opened);

public sealed record DuplicateCandidateView(Guid CustomerId, string DisplayName, decimal Score, IReadOnlyList<string> Reasons);

public sealed record ReviewItemView(
    string ItemId,
    ReviewKind Kind,
    Guid CustomerId,
    string CustomerName,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<DuplicateCandidateView> Candidates,
    string? Field,
    string? ProposedValue,
    string? ProposedBy,
    ReviewStatus Status,
    ReviewDecision? Decision,
    string? Note,
    string? ResolvedBy,
    DateTime Opened,
    DateTime? Resolved)
{
    public static ReviewItemView From(ReviewItem item) => new(
        item.ItemId, item.Kind, item.CustomerId, item.CustomerName, item.Reasons.ToList(),
        item.Candidates.Select(c => new DuplicateCandidateView(c.CustomerId, c.DisplayName, c.Score, c.Reasons.ToList())).ToList(),
        item.Field, HistoryEntryView.Shown(item.Field, item.ProposedValue), item.ProposedBy, item.Status, item.Decision, item.Note,
        item.ResolvedBy, item.Opened, item.Resolved);
}

/// <summary>One change in a customer's history. Values are JSON; a tax ID is masked.</summary>
public sealed record HistoryEntryView(string Field, string? OldValue, string? NewValue, string Source, string Actor, DateTime At, string? Reason)
{
    public static HistoryEntryView From(FieldChange change) => new(
        change.Field, Shown(change.Field, change.OldValue), Shown(change.Field, change.NewValue), change.Source, change.Actor, change.At, change.Reason);

    /// <summary>The value as an API may show it: tax IDs masked, everything else as recorded.</summary>
    public static string? Shown(string? field, string? json)
    {
        if (json is null || field != FieldNames.TaxId)
            return json;
        var raw = JsonSerializer.Deserialize<string>(json);
        return JsonSerializer.Serialize(TaxIdentifier.Mask(raw), CustomerFields.Json);
    }
}
