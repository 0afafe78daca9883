using MassTransit;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>
/// FindAccountingInvoices as a request over the bus (the test harness's request client) answered by accounting-sync
/// with QuickBooks queries against the sandbox process. For the parallel run the firm's finance team made some of
/// March's invoices by hand in QuickBooks; the platform posted another. Pages are two invoices long here, so paging is
/// exercised.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class FindAccountingInvoicesConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private const string ConsultingItem = "3";
    private QuickBooksCompanyHarness _company = null!;
    private QboCustomer _contoso = null!;
    private QboCustomer _fabrikam = null!;
    private QboCustomer _northwind = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, new Dictionary<string, string?> { ["QuickBooks:InvoiceSearch:PageSize"] = "2" }, posting: true);
        await _company.ConnectAsync(Tenant);
        _contoso = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
        _fabrikam = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Fabrikam Ltd" });
        _northwind = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Northwind Traders" });
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    private Task<QboInvoice> HandMadeAsync(QboCustomer customer, string date, decimal hours, string? note = null) =>
        _company.CreateInQuickBooksAsync(Tenant, new QboInvoice
        {
            CustomerRef = QboRef.To(customer.Id!),
            TxnDate = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            PrivateNote = note,
            Line =
            [
                new QboLine
                {
                    Amount = hours * 150m, Description = "Consulting hours", DetailType = "SalesItemLineDetail",
                    SalesItemLineDetail = new QboSalesItemLineDetail { ItemRef = QboRef.To(ConsultingItem), Qty = hours, UnitPrice = 150m },
                },
            ],
        });

    private async Task<Response<AccountingInvoicesFound, AccountingInvoiceSearchFailed>> FindAsync(FindAccountingInvoices request)
    {
        var client = _company.Harness.Bus.Bus.CreateRequestClient<FindAccountingInvoices>(RequestTimeout.After(s: 30));
        return await client.GetResponse<AccountingInvoicesFound, AccountingInvoiceSearchFailed>(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_invoices_of_the_customers_and_dates_asked_for_come_back_page_after_page_and_the_platforms_own_are_marked()
    {
        var early = await HandMadeAsync(_contoso, "2026-02-27", 2m);
        var first = await HandMadeAsync(_contoso, "2026-03-03", 8m, "Entered by hand during the parallel run");
        var second = await HandMadeAsync(_fabrikam, "2026-03-05", 4m);
        var third = await HandMadeAsync(_contoso, "2026-03-20", 1m);
        await HandMadeAsync(_northwind, "2026-03-06", 3m);
        var invoiceId = Guid.NewGuid();
        await _company.Harness.DeliverAsync(new PostInvoice
        {
            TenantId = Tenant, FlowId = FlowOf("deal-9001"), InvoiceId = invoiceId, CustomerId = Guid.NewGuid(), AccountingCustomerRef = _fabrikam.Id,
            Currency = Currency, InvoiceDate = new DateOnly(2026, 3, 10),
            Lines = [new InvoiceLine { Description = "Retainer, March", ItemRef = ConsultingItem, Quantity = 10m, UnitPrice = 150m, Amount = 1_500m }],
        });
        var posted = await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == invoiceId);

        var response = await FindAsync(new FindAccountingInvoices
        {
            TenantId = Tenant, CustomerRefs = [_contoso.Id!, _fabrikam.Id!], From = new DateOnly(2026, 3, 1), To = new DateOnly(2026, 3, 31),
        });

        Assert.True(response.Is(out Response<AccountingInvoicesFound>? found), "expected invoices, not a failure");
        var invoices = found!.Message.Invoices;
        Assert.Equal([first.Id, second.Id, posted.AccountingInvoiceId, third.Id], invoices.Select(i => i.Id));
        Assert.DoesNotContain(invoices, i => i.Id == early.Id);
        var handMade = invoices[0];
        Assert.Equal((first.DocNumber, _contoso.Id, new DateOnly(2026, 3, 3), 1_200m, 1_200m, "Entered by hand during the parallel run", (Guid?)null),
            (handMade.DocNumber, handMade.CustomerRef, handMade.TxnDate, handMade.Total, handMade.Balance, handMade.PrivateNote, handMade.PostedInvoiceId));
        var line = Assert.Single(handMade.Lines);
        Assert.Equal((ConsultingItem, "Consulting hours", 1_200m), (line.ItemRef, line.Description, line.Amount));
        Assert.Equal(invoiceId, invoices[2].PostedInvoiceId);
        Assert.Equal(Tenant, found.Message.TenantId);
    }

    [Fact]
    public async Task Without_customers_every_customers_invoices_are_searched()
    {
        await HandMadeAsync(_contoso, "2026-03-03", 1m);
        await HandMadeAsync(_northwind, "2026-03-04", 1m);
        await HandMadeAsync(_fabrikam, "2026-03-05", 1m);

        var response = await FindAsync(new FindAccountingInvoices { TenantId = Tenant });

        Assert.True(response.Is(out Response<AccountingInvoicesFound>? found));
        Assert.Equal([_contoso.Id, _northwind.Id, _fabrikam.Id], found!.Message.Invoices.Select(i => i.CustomerRef));
    }

    [Fact]
    public async Task A_tenant_without_a_QuickBooks_connection_gets_a_clear_failure()
    {
        var response = await FindAsync(new FindAccountingInvoices { TenantId = "not-connected-firm", CustomerRefs = [_contoso.Id!] });

        Assert.True(response.Is(out Response<AccountingInvoiceSearchFailed>? failed), "expected a failure");
        Assert.Equal(("not-connected-firm", "NotConnected"), (failed!.Message.TenantId, failed.Message.Kind));
        Assert.Contains("not connected", failed.Message.Message);
    }

    [Fact]
    public async Task A_date_range_that_ends_before_it_starts_is_refused()
    {
        var response = await FindAsync(new FindAccountingInvoices { TenantId = Tenant, From = new DateOnly(2026, 3, 31), To = new DateOnly(2026, 3, 1) });

        Assert.True(response.Is(out Response<AccountingInvoiceSearchFailed>? failed));
        Assert.Equal("Validation", failed!.Message.Kind);
    }

    [Fact]
    public async Task A_redelivered_request_is_answered_once()
    {
        await HandMadeAsync(_contoso, "2026-03-03", 1m);
        var request = new FindAccountingInvoices { TenantId = Tenant, CustomerRefs = [_contoso.Id!] };

        var messageId = await _company.Harness.DeliverAsync(request);
        await _company.Harness.PublishAsync(request, messageId);
        await _company.Harness.ConsumedAsync<FindAccountingInvoices>(messageId, times: 2);
        await _company.Harness.SettleAsync();

        var answer = Assert.Single(_company.Harness.Published<AccountingInvoicesFound>());
        Assert.Single(answer.Invoices);
    }
}
