using MassTransit;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Answers <see cref="FindAccountingInvoices"/> with the tenant's QuickBooks invoices for the customers and dates asked for,
/// hand-made ones included: QuickBooks queries (customers in groups of <see cref="CustomersPerQuery"/>, 1000 invoices a
/// page) through the rate governor. Each invoice accounting-sync posted names the platform's invoice. A tenant that is not
/// connected, or whose connection needs re-authorisation, gets <see cref="AccountingInvoiceSearchFailed"/>; throttling and
/// transient faults are left to the endpoint's retries.
/// </summary>
public sealed class FindAccountingInvoicesConsumer(QboClient qbo, IUnitOfWork unitOfWork, IConfiguration configuration, TimeProvider time,
    ILogger<FindAccountingInvoicesConsumer> logger) : IConsumer<FindAccountingInvoices>
{
    public const int CustomersPerQuery = 50;

    /// <summary>Invoices per QuickBooks page (<c>QuickBooks:InvoiceSearch:PageSize</c>, at most and by default 1000).</summary>
    private int PageSize => Math.Clamp(configuration.GetValue("QuickBooks:InvoiceSearch:PageSize", QboQuery.MaxPageSize), 1, QboQuery.MaxPageSize);

    public async Task Consume(ConsumeContext<FindAccountingInvoices> context)
    {
        var request = context.Message;
        var connection = await unitOfWork.Store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(request.TenantId, context.CancellationToken);
        if (connection is null)
        {
            await FailAsync(context, FailureKinds.NotConnected, $"QuickBooks is not connected for tenant '{request.TenantId}'; connect a QuickBooks company first.");
            return;
        }
        if (connection.Value.Status == QboConnectionStatus.NeedsReauthorization)
        {
            await FailAsync(context, nameof(QboErrorKind.Authentication),
                $"The QuickBooks connection of tenant '{request.TenantId}' needs re-authorisation ({connection.Value.StatusReason}); reconnect QuickBooks, then search again.");
            return;
        }
        if (request.From is { } from && request.To is { } to && from > to)
        {
            await FailAsync(context, FailureKinds.Validation, $"The search runs from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; the start is after the end.");
            return;
        }

        List<QboInvoice> found;
        try
        {
            found = await SearchAsync(request, context.CancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication)
        {
            await FailAsync(context, fault.FirstCode == "not-connected" ? FailureKinds.NotConnected : nameof(QboErrorKind.Authentication),
                $"QuickBooks refused access for tenant '{request.TenantId}': {FailureKinds.Detail(fault)}");
            return;
        }
        catch (QboException fault) when (!fault.IsRetryable)
        {
            await FailAsync(context, FailureKinds.For(fault), $"QuickBooks refused the invoice search: {FailureKinds.Detail(fault)}");
            return;
        }

        var postedByUs = await PostedInvoicesAsync(request.TenantId, context.CancellationToken);
        var invoices = found
            .GroupBy(i => i.Id).Select(g => g.First())
            .OrderBy(i => i.TxnDate).ThenBy(i => i.DocNumber, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal)
            .Select(i => new AccountingInvoice
            {
                Id = i.Id ?? string.Empty,
                DocNumber = i.DocNumber,
                CustomerRef = i.CustomerRef?.Value ?? string.Empty,
                TxnDate = i.TxnDate,
                Total = i.TotalAmt ?? 0m,
                Balance = i.Balance ?? 0m,
                PrivateNote = i.PrivateNote,
                Lines = (i.Line ?? [])
                    .Where(l => l.DetailType is "SalesItemLineDetail" or "DescriptionOnly")
                    .Select(l => new AccountingInvoiceLine { ItemRef = l.SalesItemLineDetail?.ItemRef?.Value, Description = l.Description, Amount = l.Amount ?? 0m })
                    .ToList(),
                PostedInvoiceId = i.Id is { } id && postedByUs.TryGetValue(id, out var invoiceId) ? invoiceId : null,
            })
            .ToList();
        logger.LogInformation("Found {Count} QuickBooks invoices for tenant {Tenant}", invoices.Count, request.TenantId);
        await context.RespondAsync(new AccountingInvoicesFound { TenantId = request.TenantId, Invoices = invoices, AsOf = time.GetUtcNow() });
    }

    private async Task<List<QboInvoice>> SearchAsync(FindAccountingInvoices request, CancellationToken cancellationToken)
    {
        QboQuery Query(IReadOnlyList<string>? customers)
        {
            var query = QboQuery.From("Invoice");
            if (customers is not null)
                query.In("CustomerRef", customers);
            if (request.From is { } from)
                query.Where("TxnDate", ">=", from);
            if (request.To is { } to)
                query.Where("TxnDate", "<=", to);
            return query.OrderBy("TxnDate");
        }

        var customers = request.CustomerRefs.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (customers.Count == 0)
            return (await qbo.QueryAllAsync<QboInvoice>(request.TenantId, () => Query(null), cancellationToken, PageSize)).ToList();
        var found = new List<QboInvoice>();
        foreach (var group in customers.Chunk(CustomersPerQuery))
            found.AddRange(await qbo.QueryAllAsync<QboInvoice>(request.TenantId, () => Query(group), cancellationToken, PageSize));
        return found;
    }

    /// <summary>QuickBooks invoice ID → the platform's invoice, for every invoice accounting-sync posted for the tenant.</summary>
    private async Task<Dictionary<string, Guid>> PostedInvoicesAsync(string tenantId, CancellationToken cancellationToken)
    {
        var posted = await unitOfWork.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
            .FindAsync(p => p.TenantId == tenantId && p.Status == PostingStatus.Posted, cancellationToken: cancellationToken);
        return posted.Where(p => p.Value.AccountingInvoiceId is not null)
            .GroupBy(p => p.Value.AccountingInvoiceId!)
            .ToDictionary(g => g.Key, g => g.First().Value.InvoiceId, StringComparer.Ordinal);
    }

    private static Task FailAsync(ConsumeContext<FindAccountingInvoices> context, string kind, string message) =>
        context.RespondAsync(new AccountingInvoiceSearchFailed { TenantId = context.Message.TenantId, Kind = kind, Message = message });
}
