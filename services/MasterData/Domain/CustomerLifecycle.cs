namespace QuoteToCash.MasterData.Domain;

/// <summary>Status rules: a customer is billable only while it is approved and nothing is missing or invalid.</summary>
public static class CustomerLifecycle
{
    public const string StatusField = "status";
    public const string PolicyActor = "policy";

    /// <summary>
    /// Re-checks the record after a change. Missing or invalid data sends an approved customer back to draft; a complete
    /// draft is approved by policy when the tenant allows it and no duplicate question is open. Returns the status change
    /// for the history, if any.
    /// </summary>
    public static FieldChange? Reassess(GoldenCustomer customer, MasterDataPolicy policy, bool duplicateQuestionOpen, DateTime at)
    {
        if (customer.Status == CustomerStatus.Merged)
            return null;
        if (string.IsNullOrWhiteSpace(customer.DisplayName))
            customer.DisplayName = customer.LegalName;
        customer.MissingFields = CustomerValidation.Reasons(customer, policy);
        if (customer.MissingFields.Count > 0 && customer.Status == CustomerStatus.Approved)
            return SetStatus(customer, CustomerStatus.Draft, ChangeSource.Finance(PolicyActor), at, "required billing data missing or invalid");
        if (customer.MissingFields.Count == 0 && customer.Status == CustomerStatus.Draft && policy.AutoApproveComplete && !duplicateQuestionOpen)
            return Approve(customer, ChangeSource.Finance(PolicyActor), at, "complete, and the tenant approves complete customers automatically");
        return null;
    }

    /// <summary>Approves a complete customer; the caller checks <see cref="GoldenCustomer.MissingFields"/> first.</summary>
    public static FieldChange Approve(GoldenCustomer customer, ChangeSource by, DateTime at, string? reason)
    {
        customer.ApprovedBy = by.Actor;
        customer.ApprovedAt = at;
        return SetStatus(customer, CustomerStatus.Approved, by, at, reason);
    }

    public static bool IsBillable(GoldenCustomer customer) =>
        customer.Status == CustomerStatus.Approved && customer.MissingFields.Count == 0;

    /// <summary>Billable, and (where the tenant syncs to accounting) known to QuickBooks: its deals may continue.</summary>
    public static bool IsReadyToBill(GoldenCustomer customer, MasterDataPolicy policy) =>
        IsBillable(customer) && (!policy.SyncToAccounting || customer.AccountingReference() is not null);

    /// <summary>A billable customer whose current revision QuickBooks has not been asked for yet.</summary>
    public static bool NeedsSync(GoldenCustomer customer, MasterDataPolicy policy) =>
        policy.SyncToAccounting && IsBillable(customer) && customer.SyncRequestedRevision != customer.Revision;

    public static FieldChange SetStatus(GoldenCustomer customer, CustomerStatus status, ChangeSource by, DateTime at, string? reason)
    {
        var change = new FieldChange
        {
            Field = StatusField, OldValue = customer.Status.ToString(), NewValue = status.ToString(),
            Source = by.System, Actor = by.Actor, At = at, Reason = reason,
        };
        customer.Status = status;
        return change;
    }
}
