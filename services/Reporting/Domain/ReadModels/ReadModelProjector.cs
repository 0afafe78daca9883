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
        typeof(CustomerNeedsReview), typeof(AccountStandingChanged), typeof(InvoiceDrafted), typeof(InvoiceStatusChanged), typeof(InvoiceSent),
        typeof(InvoicePosted), typeof(InvoicePostingFailed), typeof(FlowHoldChanged), typeof(PaymentReceived), typeof(PaymentReversed),
        typeof(CreditMemoPosted), typeof(InvoiceVoided),
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
        AccountStandingChanged m => [Customer(m.CustomerId)],
        InvoiceDrafted m => [Invoice(m.InvoiceId)],
        InvoiceStatusChanged m => [Invoice(m.InvoiceId)],
        InvoiceSent m => [Invoice(m.InvoiceId)],
        InvoicePosted m => [Invoice(m.InvoiceId), Exception(PostingKey(m.InvoiceId))],
        InvoicePostingFailed m => [Invoice(m.InvoiceId), Exception(PostingKey(m.InvoiceId))],
        FlowHoldChanged m => [Exception(HoldKey(m.FlowId))],
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
    private static string PostingKey(Guid invoiceId) => "posting:" + Id(invoiceId);
    private static string HoldKey(Guid flowId) => "hold:" + Id(flowId);

    /// <summary>Applies one event; <paramref name="receivedAt"/> stands in for events that carry no moment of their own.</summary>
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
                invoice.DraftedAt ??= receivedAt;
                if (m.RequiresApproval)
                    invoice.ApprovalRequestedAt ??= receivedAt;
                SetTerms(invoice);
                break;
            }
            case InvoiceStatusChanged m:
            {
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                invoice.DocNumber ??= m.DocNumber;
                if (invoice.StatusChangedAt is null || invoice.StatusChangedAt <= m.ChangedAt)
                    (invoice.Status, invoice.StatusChangedAt) = (m.Status, m.ChangedAt);
                if (m.Status == "Awaiting approval")
                    invoice.ApprovalRequestedAt = Earliest(invoice.ApprovalRequestedAt, m.ChangedAt);
                else if (m.Status != "Draft" && invoice.ApprovalRequestedAt is not null)
                    invoice.ApprovalDecidedAt = Earliest(invoice.ApprovalDecidedAt, m.ChangedAt);
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
                if (invoice.ApprovalRequestedAt is not null)
                    invoice.ApprovalDecidedAt = Earliest(invoice.ApprovalDecidedAt, m.PostedAt);
                if (set.Find<ExceptionFact>(ReadModelCollections.Exceptions, PostingKey(m.InvoiceId)) is { ResolvedAt: null } failure)
                    failure.ResolvedAt = Latest(failure.OpenedAt, m.PostedAt);
                SetTerms(invoice);
                break;
            }
            case InvoicePostingFailed m:
            {
                var failure = set.Get<ExceptionFact>(ReadModelCollections.Exceptions, PostingKey(m.InvoiceId), m.TenantId);
                var invoice = InvoiceOf(set, m.TenantId, m.FlowId, m.InvoiceId);
                failure.Key = PostingKey(m.InvoiceId);
                failure.FlowId = m.FlowId;
                failure.Kind = m.Kind;
                if (failure.OpenedAt == default || m.FailedAt < failure.OpenedAt)
                    failure.OpenedAt = m.FailedAt;
                // Posted before (or despite) the failure arriving: the exception is already over.
                if (invoice.PostedAt is { } posted && failure.ResolvedAt is null)
                    failure.ResolvedAt = Latest(failure.OpenedAt, posted);
                return true;
            }
            case FlowHoldChanged m:
            {
                var hold = set.Get<ExceptionFact>(ReadModelCollections.Exceptions, HoldKey(m.FlowId), m.TenantId);
                hold.Key = HoldKey(m.FlowId);
                hold.FlowId = m.FlowId;
                if (m.Hold is not null)
                {
                    if (hold.OpenedAt == default || hold.ResolvedAt is { } resolved && resolved <= m.ChangedAt)
                        (hold.OpenedAt, hold.ResolvedAt) = (m.ChangedAt, null);
                    hold.Kind = m.Hold;
                }
                else if (hold.OpenedAt != default && hold.OpenedAt <= m.ChangedAt)
                    hold.ResolvedAt = m.ChangedAt;
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
