namespace QuoteToCash.AccountingSync.Infrastructure.Outbound.Operations;

/// <summary>
/// One kind of operation the outbound worker sends to QuickBooks from the realm's queue. It writes and publishes through
/// the scope's unit of work, which the worker commits together with the removal of the queue entry. What QuickBooks
/// refuses for good it answers itself (a failure message, a sync exception); throttling, unanswered requests and a
/// lapsed authorisation it lets propagate, and the worker waits them out with the entry kept.
/// </summary>
public interface IOutboundOperation<in T> where T : class
{
    Task RunAsync(T command, CancellationToken cancellationToken);
}
