using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;

namespace QuoteToCash.Reporting.Domain.ReadModels;

/// <summary>The documents one event may change, loaded beforehand; the projector changes them in place.</summary>
public interface IReadModelSet
{
    /// <summary>The document under the key, created (empty, with the tenant set) when there is none yet.</summary>
    T Get<T>(string collection, string key, string tenantId) where T : ReadModelDocument, new();

    /// <summary>The document under the key, or null.</summary>
    T? Find<T>(string collection, string key) where T : ReadModelDocument;
}

/// <summary>A read-model document key.</summary>
public readonly record struct ReadModelKey(string Collection, string Key);

/// <summary>
/// Turns events into typed facts, the same way for a live consumer and for a rebuild. Each event only adds or replaces
/// facts keyed by their own identity (payment ID, credit memo ID, time entry ID), so any order of arrival gives the same
/// read models; balances are computed from the facts, never taken from the last event.
/// </summary>
public static class ReadModelProjector
{
    /// <summary>The event types the projector understands.</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(DealWon), typeof(DealChanged), typeof(DealLost), typeof(DealReopened), typeof(TimeEntryLogged), typeof(CustomerReady),
        typeof(CustomerNeedsReview), typeof(CustomersMerged), typeof(AccountStandingChanged), typeof(InvoiceDrafted), typeof(InvoiceApprovalRecorded),
        typeof(InvoiceStatusChanged), typeof(InvoiceSent), typeof(InvoicePosted), typeof(PaymentReceived), typeof(PaymentReversed),
        typeof(CreditMemoPosted), typeof(InvoiceVoided), typeof(SyncExceptionOpened), typeof(SyncExceptionClosed),
    ];

    private static string Id(Guid id) => id.ToString("D");

    /// <summary>The documents <see cref="Apply"/> reads or writes for this event.</summary>
    public static IReadOnlyList<ReadModelKey> Touches(object message) => message switch
    {
        DealWon m => [Deal(m.FlowId)],
        DealChanged m => [Deal(m.FlowId)],
        DealLost m => [Deal(m.FlowId)],
        DealReopened m => [Deal(m.FlowId)],
        TimeEntryLogged m => [Deal(m.FlowId)],
        CustomerReady m => [Deal(m.FlowId), Customer(m.CustomerId)],
        CustomerNeedsReview m => [Customer(m.CustomerId)],
        CustomersMerged m => [Customer(m.MergedId)],
        AccountStandingChanged m => [Customer(m.CustomerId)],
        InvoiceDrafted m => [Invoice(m.InvoiceId)],
        InvoiceApprovalRecorded m => [Invoice(m.InvoiceId)],
        InvoiceStatusChanged m => [Invoice(m.InvoiceId)],
        InvoiceSent m => [Invoice(m.InvoiceId)],
        InvoicePosted m => [Invoice(m.InvoiceId)],
        SyncExceptionOpened m => [Exception(SyncKey(m.ExceptionId))],
        SyncExceptionClosed m => [Exception(SyncKey(m.ExceptionId))],
        PaymentReceived m => [Invoice(m.InvoiceId)],
        PaymentReversed m => [Invoice(m.InvoiceId)],
        CreditMemoPosted m => [Invoice(m.InvoiceId)],
        InvoiceVoided m => [Invoice(m.InvoiceId)],
        _ => [],
    };

    private static ReadModelKey Deal(Guid flowId) => new(ReadModelCollections.Deals, Id(flowId));
    private static ReadModelKey Invoice(Guid invoiceId) => new(ReadModelCollections.Invoices, Id(invoiceId));
    private static ReadModelKey Customer(Guid customerId) => new(ReadModelCollections.Customers, Id(customerId));
    private static ReadModelKey Exception(string key) => new(ReadModelCollections.Exceptions, key);
    /// <summary>The key of a record of accounting-sync's exception queue.</summary>
    public static string SyncKey(Guid exceptionId) => "sync:" + Id(exceptionId);

    /// <summary>
    /// Applies one event. Every fact is dated by the moment its producer put on it, on that service's clock; only
    /// <c>CustomerReady</c>, <c>CustomerNeedsReview</c> and an <c>InvoiceDrafted</c> from before it carried <c>DraftedAt</c> have none,
    /// and for those <paramref name="receivedAt"/> (reporting's own clock when it consumed the event) stands in.
    /// </summary>
    /// <returns>False when the event is not one reporting keeps facts of.</returns>
    public static bool Apply(object message, IReadModelSet set, DateTimeOffset receivedAt)
    {
        switch (message)
        {
            case DealWon m:
            {
                var deal = DealOf(set, m.TenantId, m.FlowId);
                deal.DealName = m.DealName;
                deal.CustomerName ??= m.Customer.LegalName;
                deal.BusinessUnit = m.BusinessUnit;
                deal.Region = m.Region;
                deal.Segment = string.IsNullOrWhiteSpace(m.Segment) ? null : m.Segment.Trim();
                deal.BillingModel = (m.Billing?.Model ?? m.BillingModel).ToString();
                deal.Currency = m.Currency;
                deal.WonAmount = m.Amount;
                if (deal.Changes.Count == 0)
                    deal.Amount = m.Amount;
                deal.WonAt = m.WonAt;
                deal.RetainerDeposit = m.Billing?.Retainer?.Deposit;
                deal.SubscriptionInterval = m.Billing?.Subscription?.Interval.ToString();
                deal.RoleRates = (m.Billing?.RateCard ?? []).Where(r => !string.IsNullOrWhiteSpace(r.Role))
                    .GroupBy(r => r.Role!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key.ToLowerInvariant(), g => g.First().Rate);
                return true;
            }
            case DealChanged m:
            {
                var deal = DealOf(set, m.TenantId, m.FlowId);
                if (deal.Changes.Any(c => c.At == m.ChangedAt && c.AmountAfter == m.Amount))
                    return true;
                var before = deal.Changes.Where(c => c.At < m.ChangedAt).OrderBy(c => c.At).LastOrDefault()?.AmountAfter ?? deal.WonAmount;
                deal.Changes.Add(new DealChangeFact { At = m.ChangedAt, AmountBefore = before, AmountAfter = m.Amount, IsExpansion = m.IsExpansion });
                deal.Changes.Sort((a, b) => a.At.CompareTo(b.At));
                // Each change's "before" is the amount after the change preceding it, whatever order they arrived in.
                var previous = deal.WonAmount;
                foreach (var change in deal.Changes)
                {
                    change.AmountBefore = previous;
                    previous = change.AmountAfter;
                }
                deal.Amount = previous;
                return true;
            }
            case DealLost m:
                DealOf(set, m.TenantId, m.FlowId).LostAt = m.LostAt;
                return true;
            case DealReopened m:
            {
                var deal = DealOf(set, m.TenantId, m.FlowId);
                if (deal.LostAt is { } lost && lost <= m.ReopenedAt)
                    deal.LostAt = null;
                return true;
            }
            case TimeEntryLogged m:
            {
                var deal = DealOf(set, m.TenantId, m.FlowId);
                deal.TimeEntries.RemoveAll(e => e.EntryId == m.EntryId);
                deal.TimeEntries.Add(new TimeEntryFact
                {
                    EntryId = m.EntryId, Person = m.Person, Role = m.Role, Date = m.Date, Hours = m.Hours, Billable = m.Billable, Rate = m.Rate,
                });
                return true;
            }
            case CustomerReady m:
            {
                var deal = DealOf(set, m.TenantId, m.FlowId);
                deal.CustomerId = m.CustomerId;
                deal.CustomerName = m.DisplayName;
                var customer = CustomerOf(set, m.TenantId, m.CustomerId, m.FlowId, receivedAt);
                customer.Name = m.DisplayName;
                return true;
            }
            case CustomerNeedsReview m:
            {
                var customer = CustomerOf(set, m.TenantId, m.CustomerId, m.FlowId, receivedAt);
                foreach (var reason in m.Reasons.Where(r => !customer.ReviewReasons.Contains(r)))
                    customer.ReviewReasons.Add(reason);
                if (m.Reasons.Any(r => r.Contains("duplicate", StringComparison.OrdinalIgnoreCase)) && customer.DuplicateFlaggedAt is null)
                    customer.DuplicateFlaggedAt = receivedAt;
                return true;
            }
            case CustomersMerged m:
            {
                var merged = set.Get<CustomerFact>(ReadModelCollections.Customers, Id(m.MergedId), m.TenantId);
                merged.CustomerId = m.MergedId;
                (merged.MergedInto, merged.MergedAt, merged.MergedBy) = (m.SurvivorId, m.MergedAt, m.MergedBy);
                return true;
            }
            case AccountStandingChanged m:
            {
                var customer = CustomerOf(set, m.TenantId, m.CustomerId, null, m.ChangedAt);
                if (customer.StandingChangedAt is null || customer.StandingChangedAt <= m.ChangedAt)
                    (customer.Standing, customer.StandingChangedAt) = (m.Standing, m.ChangedAt);
                return true;
            }
            case InvoiceDrafted m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                invoice.CustomerId = m.CustomerId;
                invoice.Currency = m.Currency;
                if (invoice.PostedAt is null)
                {
                    invoice.Total = m.Total;
                    invoice.InvoiceDate = m.InvoiceDate;
                    invoice.DueDate = m.DueDate;
                }
                var draftedAt = m.DraftedAt ?? receivedAt;
                invoice.DraftedAt = Earliest(invoice.DraftedAt, draftedAt);
                // The decision's RequestedAt is the same moment on the same clock; it is not overwritten by a guess.
                if (m.RequiresApproval && invoice.ApprovalDecision is null)
                    invoice.ApprovalRequestedAt = m.DraftedAt is { } at ? at : invoice.ApprovalRequestedAt ?? receivedAt;
                SetTerms(invoice);
                break;
            }
            case InvoiceApprovalRecorded m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                // Billing records one decision per invoice: this is when it was made, rejections included.
                (invoice.ApprovalRequestedAt, invoice.ApprovalDecidedAt) = (m.RequestedAt, m.DecidedAt);
                (invoice.ApprovalDecision, invoice.ApprovalDecidedBy) = (m.Decision, m.DecidedBy);
                break;
            }
            case InvoiceStatusChanged m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                invoice.DocNumber ??= m.DocNumber;
                if (invoice.StatusChangedAt is null || invoice.StatusChangedAt <= m.ChangedAt)
                    (invoice.Status, invoice.StatusChangedAt) = (m.Status, m.ChangedAt);
                // Until billing's decision arrives, the first status after the wait stands in for it.
                if (invoice.ApprovalDecision is null)
                {
                    if (m.Status == "Awaiting approval")
                        invoice.ApprovalRequestedAt = Earliest(invoice.ApprovalRequestedAt, m.ChangedAt);
                    else if (m.Status != "Draft" && invoice.ApprovalRequestedAt is not null)
                        invoice.ApprovalDecidedAt = Earliest(invoice.ApprovalDecidedAt, m.ChangedAt);
                }
                if (m.Status == "Sent")
                    invoice.SentAt = Earliest(invoice.SentAt, m.ChangedAt);
                break;
            }
            case InvoiceSent m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                invoice.SentAt = Earliest(invoice.SentAt, m.SentAt);
                break;
            }
            case InvoicePosted m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                invoice.DocNumber = m.DocNumber;
                invoice.Total = m.Total;
                invoice.PostedAt = m.PostedAt;
                invoice.InvoiceDate = m.InvoiceDate ?? invoice.InvoiceDate ?? DateOnly.FromDateTime(m.PostedAt.UtcDateTime);
                invoice.DueDate = m.DueDate ?? invoice.DueDate;
                if (invoice.ApprovalRequestedAt is not null && invoice.ApprovalDecision is null)
                    invoice.ApprovalDecidedAt = Earliest(invoice.ApprovalDecidedAt, m.PostedAt);
                SetTerms(invoice);
                break;
            }
            case SyncExceptionOpened m:
            {
                var exception = ExceptionOf(set, m.TenantId, m.ExceptionId);
                Describe(exception, m.Kind, m.RootCause, m.Entity, m.EntityId, m.Operation, m.FlowId, m.DealRef, m.OpenedAt, m.SlaDue);
                // The closing may have arrived first: it keeps the owner it was closed under.
                if (exception.ResolvedAt is null)
                    exception.Owner = m.Owner;
                return true;
            }
            case SyncExceptionClosed m:
            {
                var exception = ExceptionOf(set, m.TenantId, m.ExceptionId);
                Describe(exception, m.Kind, m.RootCause, m.Entity, m.EntityId, m.Operation, m.FlowId, m.DealRef, m.OpenedAt, m.SlaDue);
                (exception.Owner, exception.Status, exception.ResolvedAt, exception.ClosedBy, exception.ResolvedAutomatically) =
                    (m.Owner, m.Status, Latest(m.OpenedAt, m.ClosedAt), m.ClosedBy, m.ResolvedAutomatically);
                return true;
            }
            case PaymentReceived m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                invoice.Currency ??= m.Currency;
                if (!string.IsNullOrWhiteSpace(m.AccountingCreditMemoId))
                {
                    if (invoice.Credits.All(c => c.Id != m.AccountingCreditMemoId))
                        invoice.Credits.Add(new CreditFact { Id = m.AccountingCreditMemoId, At = m.ReceivedAt, Amount = m.Amount, Applied = m.Amount });
                }
                else
                {
                    invoice.Payments.RemoveAll(p => p.Id == m.AccountingPaymentId);
                    invoice.Payments.Add(new MoneyMovementFact { Id = m.AccountingPaymentId, At = m.ReceivedAt, Amount = m.Amount });
                }
                break;
            }
            case PaymentReversed m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                var id = $"{m.AccountingPaymentId}@{m.ReversedAt.UtcTicks}";
                if (invoice.Reversals.All(r => r.Id != id))
                    invoice.Reversals.Add(new MoneyMovementFact { Id = id, At = m.ReversedAt, Amount = m.Amount });
                break;
            }
            case CreditMemoPosted m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                invoice.Credits.RemoveAll(c => c.Id == m.AccountingCreditMemoId);
                invoice.Credits.Add(new CreditFact { Id = m.AccountingCreditMemoId, At = m.PostedAt, Amount = m.Amount, Applied = m.AppliedAmount, WriteOff = m.WriteOff });
                break;
            }
            case InvoiceVoided m:
                InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId).VoidedAt = m.VoidedAt;
                break;
            default:
                return false;
        }
        return true;
    }

    private static DealFact DealOf(IReadModelSet set, string tenantId, Guid flowId)
    {
        var deal = set.Get<DealFact>(ReadModelCollections.Deals, Id(flowId), tenantId);
        deal.FlowId = flowId;
        return deal;
    }

    private static InvoiceFact InvoiceOf(IReadModelSet set, string tenantId, Guid flowId, Guid invoiceId)
    {
        var invoice = set.Get<InvoiceFact>(ReadModelCollections.Invoices, Id(invoiceId), tenantId);
        invoice.InvoiceId = invoiceId;
        invoice.FlowId = flowId;
        return invoice;
    }

    private static ExceptionFact ExceptionOf(IReadModelSet set, string tenantId, Guid exceptionId)
    {
        var exception = set.Get<ExceptionFact>(ReadModelCollections.Exceptions, SyncKey(exceptionId), tenantId);
        (exception.Key, exception.ExceptionId) = (SyncKey(exceptionId), exceptionId);
        return exception;
    }

    private static void Describe(ExceptionFact exception, string kind, string rootCause, string entity, string entityId, string operation, Guid? flowId,
        string? dealRef, DateTimeOffset openedAt, DateTimeOffset slaDue)
    {
        (exception.Kind, exception.RootCause, exception.Entity, exception.EntityId, exception.Operation) = (kind, rootCause, entity, entityId, operation);
        (exception.FlowId, exception.DealRef, exception.OpenedAt, exception.SlaDue) = (flowId, dealRef, openedAt, slaDue);
    }

    private static void SetTerms(InvoiceFact invoice) =>
        invoice.TermsDays = invoice.InvoiceDate is { } i && invoice.DueDate is { } d ? d.DayNumber - i.DayNumber : null;

    private static CustomerFact CustomerOf(IReadModelSet set, string tenantId, Guid customerId, Guid? flowId, DateTimeOffset at)
    {
        var customer = set.Get<CustomerFact>(ReadModelCollections.Customers, Id(customerId), tenantId);
        customer.CustomerId = customerId;
        if (customer.FirstSeenAt == default || at < customer.FirstSeenAt)
            (customer.FirstSeenAt, customer.FirstFlowId) = (at, flowId ?? customer.FirstFlowId);
        customer.FirstFlowId ??= flowId;
        return customer;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } c && c <= candidate ? c : candidate;

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
