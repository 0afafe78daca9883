using System.Text.RegularExpressions;
using MassTransit;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.BillingRules;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Shows billing's holds beside QuickBooks' refusals, so finance works both from one queue. A MissingMapping hold opens a
/// MappingMissing exception for the flow, and a Currency hold a Validation exception; retrying either sends RetryFlow to
/// billing. Lifting the hold (or changing it to another) resolves them automatically.
/// </summary>
/// <remarks>
/// Not exceptions here: ClosedBooks and PostingFailure holds follow a QuickBooks refusal that the posting worker already
/// raised as an exception on the invoice (a second record would count it twice); DealReopened and DealLostAfterInvoicing
/// are business decisions billing asks for in its own flow view, not sync problems.
/// </remarks>
public sealed partial class FlowHoldChangedConsumer(SyncExceptionBook book) : IConsumer<FlowHoldChanged>
{
    public const string Entity = "Flow";
    public const string Operation = "BillingHold";

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();

    public async Task Consume(ConsumeContext<FlowHoldChanged> context)
    {
        var change = context.Message;
        var raised = Raised(change);
        var why = change.Hold is null
            ? "resolved automatically: billing lifted the hold"
            : $"resolved automatically: billing now holds the flow for {change.Hold}";
        await book.ResolveAutomaticallyAsync(change.TenantId, Entity, change.FlowId.ToString("D"), Operation, change.ChangedAt, why,
            kind => raised is null || kind != raised.Kind, context.CancellationToken);
        if (raised is not null)
            await book.RaiseAsync(raised, context.CancellationToken);
    }

    /// <summary>The exception a hold stands for, or null when the hold is none of finance's sync exceptions.</summary>
    public static OpenSyncException? Raised(FlowHoldChanged change)
    {
        var details = change.Details.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim()).ToList();
        var deal = Domain.Exceptions.DealReference.Of(change.SourceSystem, change.ExternalDealId);
        (SyncExceptionKind Kind, string Message, string Fix)? described = change.Hold switch
        {
            "MissingMapping" => (SyncExceptionKind.MappingMissing,
                $"The invoice for deal {deal} is on hold: " + (details.Count > 0 ? string.Join("; ", details) : "a product on it has no QuickBooks item mapped") + ".",
                MappingFix(details)),
            "Currency" => (SyncExceptionKind.Validation,
                $"The invoice for deal {deal} is on hold because of its currency: " + (details.Count > 0 ? string.Join("; ", details) : "the deal's currency cannot be billed to this customer") + ".",
                "Bill the deal in the customer's currency, or turn on multicurrency in QuickBooks and give the customer that currency, then press Retry."),
            _ => null,
        };
        if (described is not { } d)
            return null;
        return new OpenSyncException
        {
            TenantId = change.TenantId,
            Kind = d.Kind,
            Entity = Entity,
            EntityId = change.FlowId.ToString("D"),
            Operation = Operation,
            FlowId = change.FlowId,
            DealRef = deal,
            Message = d.Message,
            SuggestedFix = d.Fix,
            Detail = $"billing-rules hold {change.Hold}",
            OccurredAt = change.ChangedAt,
        };
    }

    private static string MappingFix(IReadOnlyList<string> details)
    {
        var products = details.SelectMany(d => Quoted().Matches(d).Select(m => m.Groups[1].Value)).Distinct().ToList();
        return products.Count switch
        {
            0 => "Map the deal's products to QuickBooks items in master data (item mappings), then press Retry.",
            1 => $"Map product '{products[0]}' to a QuickBooks item in master data (item mappings), then press Retry.",
            _ => $"Map products {string.Join(", ", products.Select(p => $"'{p}'"))} to QuickBooks items in master data (item mappings), then press Retry.",
        };
    }
}
