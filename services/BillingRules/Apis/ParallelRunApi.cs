using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Apis;

/// <summary>
/// The parallel-run report: the invoices billing drafted (and kept) for a period, against those finance made by hand in
/// QuickBooks for the same customers and period — missing, extra, amount and line differences. QuickBooks' side comes
/// from accounting-sync over the bus; invoices the platform itself posted are left out of finance's side.
/// </summary>
public static class ParallelRunApi
{
    public static IEndpointRouteBuilder MapParallelRunApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/billing/{tenant}").RequireTenantAccess().WithTags("Parallel run")
            .MapGet("/parallel-run", Report).WithSummary("Drafted vs hand-made invoices for a period");
        return app;
    }

    public static async Task<Results<Ok<ParallelRunView>, ValidationProblem, ProblemHttpResult>> Report(string tenant, DateOnly from, DateOnly to,
        IDocumentStore store, SagaCollection<QuoteToCashState> sagas, IRequestClient<FindAccountingInvoices> books, TimeProvider time,
        CancellationToken cancellationToken, int toleranceDays = 5)
    {
        if (to < from || to.DayNumber - from.DayNumber > 366 || toleranceDays is < 0 or > 31)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["period"] = ["Give from ≤ to, at most a year apart, and a date tolerance of 0–31 days."],
            }, title: "No report for that period");

        var flows = await store.Collection<QuoteToCashState>(sagas.Name).FindAsync(f => f.TenantId == tenant, 100_000, cancellationToken);
        var drafted = flows.Select(f => f.Value)
            .SelectMany(f => f.Invoices.Where(i => i.Mode == BillingMode.ParallelRun && i.Status == InvoiceStatus.Drafted
                                                   && i.Draft.InvoiceDate >= from && i.Draft.InvoiceDate <= to && f.AccountingCustomerRef is not null)
                .Select(i => new InvoiceFacts(f.AccountingCustomerRef!, i.Draft.InvoiceDate, i.Draft.Total,
                    i.Draft.Lines.Select(l => new InvoiceLineFacts(l.ItemRef, l.Description, l.Amount)).ToList(), i.Draft.Key)))
            .ToList();

        var customers = drafted.Select(d => d.CustomerRef).Distinct(StringComparer.Ordinal).ToList();
        List<InvoiceFacts> handMade = [];
        if (customers.Count > 0)
        {
            Response<AccountingInvoicesFound, AccountingInvoiceSearchFailed> response;
            try
            {
                response = await books.GetResponse<AccountingInvoicesFound, AccountingInvoiceSearchFailed>(
                    new FindAccountingInvoices { TenantId = tenant, CustomerRefs = customers, From = from.AddDays(-toleranceDays), To = to.AddDays(toleranceDays) },
                    cancellationToken, RequestTimeout.After(s: 30));
            }
            catch (RequestTimeoutException)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "QuickBooks did not answer in time",
                    detail: "accounting-sync did not return the QuickBooks invoices within 30 seconds; try again.");
            }
            if (response.Is(out Response<AccountingInvoiceSearchFailed>? failed))
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "QuickBooks cannot be searched",
                    detail: $"{failed.Message.Kind}: {failed.Message.Message}");
            if (response.Is(out Response<AccountingInvoicesFound>? found))
                handMade = found.Message.Invoices
                    .Where(i => i.PostedInvoiceId is null && i.TxnDate is not null)
                    .Select(i => new InvoiceFacts(i.CustomerRef, i.TxnDate!.Value, i.Total,
                        i.Lines.Select(l => new InvoiceLineFacts(l.ItemRef, l.Description ?? string.Empty, l.Amount)).ToList(), i.DocNumber ?? i.Id))
                    .ToList();
        }
        var report = ParallelRunDiff.Compare(drafted, handMade, toleranceDays);
        return TypedResults.Ok(new ParallelRunView(tenant, from, to, toleranceDays, time.GetUtcNow(), drafted.Count, handMade.Count, report));
    }
}

/// <summary>The report with what it covers; the categories are the domain's comparison of the two sides.</summary>
public sealed record ParallelRunView(string TenantId, DateOnly From, DateOnly To, int ToleranceDays, DateTimeOffset AsOf, int DraftedInvoices,
    int HandMadeInvoices, ParallelRunReport Report);
