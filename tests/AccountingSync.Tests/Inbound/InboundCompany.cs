using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Testing;
using Microsoft.Extensions.DependencyInjection;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Inbound;

/// <summary>
/// The firm's QuickBooks company with accounting-sync's consumers and posting worker on the test harness: Contoso Logistics
/// as a customer, invoices posted through PostInvoice (so they are indexed as the service indexes them), and the things
/// someone working in QuickBooks does to them afterwards (payments, edits, voids, deletions) through the real API.
/// The harness clock is set to the real time, because the sandbox answers CDC only 30 days back from its own clock.
/// </summary>
public sealed class InboundCompany : IAsyncDisposable
{
    public const string SeniorConsultingItem = "4";
    private QuickBooksCompanyHarness _company = null!;

    public QuickBooksCompanyHarness Company => _company;

    public QboCustomer Contoso { get; private set; } = null!;

    public static async Task<InboundCompany> StartAsync(QuickBooksSandboxProcess sandbox)
    {
        var company = new InboundCompany { _company = await QuickBooksCompanyHarness.StartAsync(sandbox, posting: true) };
        company._company.Harness.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await company._company.ConnectAsync(Tenant);
        company.Contoso = await company._company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
        return company;
    }

    /// <summary>Posts a milestone invoice of <paramref name="days"/> senior days at £1,050 for the deal, and waits until it is posted and indexed.</summary>
    public async Task<InvoicePosted> PostAsync(string dealId, decimal days = 4m)
    {
        var invoiceId = Guid.NewGuid();
        await _company.Harness.PublishAsync(new PostInvoice
        {
            TenantId = Tenant,
            FlowId = FlowOf(dealId),
            InvoiceId = invoiceId,
            CustomerId = Guid.NewGuid(),
            AccountingCustomerRef = Contoso.Id,
            Currency = Currency,
            InvoiceDate = new DateOnly(2026, 3, 2),
            DueDate = new DateOnly(2026, 4, 1),
            PrivateNote = $"deal:{Crm}:{dealId} due:milestone-2 flow:{FlowOf(dealId):N} invoice:{invoiceId:N}",
            Lines = [new InvoiceLine { Description = "ERP rollout, milestone 2", ItemRef = SeniorConsultingItem, Quantity = days, UnitPrice = 1_050m, Amount = days * 1_050m }],
        });
        var posted = await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == invoiceId);
        Assert.True(await Polling.Eventually(async () => await IndexedAsync(posted.AccountingInvoiceId) is not null, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)),
            "The posted invoice was not indexed");
        return posted;
    }

    public Task<PostedInvoice?> IndexedAsync(string accountingInvoiceId) =>
        _company.Harness.GetAsync<PostedInvoice>(PostedInvoice.CollectionName, PostedInvoice.Key(Tenant, accountingInvoiceId));

    /// <summary>A customer payment recorded in QuickBooks against the invoice.</summary>
    public Task<QboPayment> PayAsync(string accountingInvoiceId, decimal amount) =>
        _company.CreateInQuickBooksAsync(Tenant, new QboPayment
        {
            CustomerRef = QboRef.To(Contoso.Id!),
            TotalAmt = amount,
            Line = [new QboLine { Amount = amount, LinkedTxn = [new QboLinkedTxn { TxnId = accountingInvoiceId, TxnType = "Invoice" }] }],
        });

    /// <summary>Someone in QuickBooks changes the first line to <paramref name="days"/> days (and so the total).</summary>
    public async Task<QboInvoice> EditDaysAsync(string accountingInvoiceId, decimal days)
    {
        var current = await _company.ReadInQuickBooksAsync<QboInvoice>(Tenant, accountingInvoiceId);
        var line = current.Line!.First(l => l.DetailType == "SalesItemLineDetail");
        var edited = line with
        {
            Amount = days * 1_050m,
            SalesItemLineDetail = line.SalesItemLineDetail! with { Qty = days, UnitPrice = 1_050m },
        };
        return await WithClientAsync(client => client.SparseUpdateAsync(Tenant, accountingInvoiceId, _ => new QboInvoice { Line = [edited] },
            Guid.NewGuid().ToString("N"), current.SyncToken, TestContext.Current.CancellationToken));
    }

    public async Task VoidAsync(string accountingInvoiceId)
    {
        var current = await _company.ReadInQuickBooksAsync<QboInvoice>(Tenant, accountingInvoiceId);
        await WithClientAsync(client => client.VoidInvoiceAsync(Tenant, accountingInvoiceId, current.SyncToken!, Guid.NewGuid().ToString("N"), TestContext.Current.CancellationToken));
    }

    public async Task DeleteAsync<T>(string id) where T : QboEntity
    {
        var current = await _company.ReadInQuickBooksAsync<T>(Tenant, id);
        await WithClientAsync(async client =>
        {
            await client.DeleteAsync<T>(Tenant, id, current.SyncToken!, Guid.NewGuid().ToString("N"), TestContext.Current.CancellationToken);
            return true;
        });
    }

    /// <summary>QuickBooks' webhook about the entity, as the intake announces it.</summary>
    public Task<Guid> WebhookAsync(string entity, string id, string operation = "Update") =>
        _company.Harness.PublishAsync(new QuickBooksEntityChanged
        {
            TenantId = Tenant,
            RealmId = _company.RealmId,
            Entity = entity,
            EntityId = id,
            Operation = operation,
            ChangedAt = DateTimeOffset.UtcNow,
            Source = InboundSources.Webhook,
        });

    /// <summary>Publishes the webhook and waits until both consumers of QuickBooksEntityChanged have handled it.</summary>
    public async Task WebhookHandledAsync(string entity, string id, string operation = "Update")
    {
        var messageId = await WebhookAsync(entity, id, operation);
        await _company.Harness.ConsumedAsync<QuickBooksEntityChanged>(messageId, times: 2);
        await _company.Harness.SettleAsync();
    }

    /// <summary>Runs the CDC sweep and waits until every change it handed on has been applied.</summary>
    public async Task SweepAsync(bool startUp = true)
    {
        await _company.Harness.DeliverAsync(new SweepQuickBooksChanges { TenantId = Tenant, StartUp = startUp });
        await _company.Harness.SettleAsync();
    }

    public IReadOnlyList<T> Published<T>() where T : class => _company.Harness.Published<T>();

    public Task<T> PublishedAsync<T>(Func<T, bool> match) where T : class => _company.PublishedAsync(match);

    private async Task<T> WithClientAsync<T>(Func<QboClient, Task<T>> call)
    {
        using var scope = _company.Harness.Services.CreateScope();
        return await call(scope.ServiceProvider.GetRequiredService<QboClient>());
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();
}
