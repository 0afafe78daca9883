using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Reconciliation;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.Reconciliation;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.AccountingSync.Tests.Inbound;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Reconciliation;

/// <summary>
/// The daily reconciliation on the harness against the sandbox: four of the firm's invoices to Contoso, of which QuickBooks
/// no longer has one, one was edited there, and one was paid without the platform hearing of it (no webhook, no sweep).
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class ReconciliationConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private InboundCompany _firm = null!;

    public async ValueTask InitializeAsync() => _firm = await InboundCompany.StartAsync(sandbox);

    public ValueTask DisposeAsync() => _firm.DisposeAsync();

    private async Task<ReconciliationRun> ReconcileAsync()
    {
        await _firm.Company.Harness.DeliverAsync(new ReconcileInvoices { TenantId = Tenant, Trigger = "daily" });
        await _firm.Company.Harness.SettleAsync();
        var latest = await _firm.Company.Harness.GetAsync<LatestReconciliation>(LatestReconciliation.CollectionName, Tenant);
        return (await _firm.Company.Harness.GetAsync<ReconciliationRun>(ReconciliationRun.CollectionName, latest!.RunId.ToString("D")))!;
    }

    [Fact]
    public async Task A_deleted_invoice_a_changed_total_and_a_missed_payment_are_reported_caught_up_and_opened_as_exceptions()
    {
        var deleted = await _firm.PostAsync("deal-9101");
        var edited = await _firm.PostAsync("deal-9102");
        var paid = await _firm.PostAsync("deal-9103");
        var clean = await _firm.PostAsync("deal-9104");
        await _firm.DeleteAsync<QboInvoice>(deleted.AccountingInvoiceId);
        await _firm.EditDaysAsync(edited.AccountingInvoiceId, 3m);
        var payment = await _firm.PayAsync(paid.AccountingInvoiceId, 4_200m);

        var run = await ReconcileAsync();

        Assert.Equal((ReconciliationStatus.Completed, "daily", 4, 1), (run.Status, run.Trigger, run.InvoicesChecked, run.Queries));
        Assert.Equal(
            [(deleted.InvoiceId, DriftKind.Missing), (edited.InvoiceId, DriftKind.TotalChanged), (edited.InvoiceId, DriftKind.BalanceLower), (paid.InvoiceId, DriftKind.BalanceLower)],
            run.Drifts.Select(d => (d.InvoiceId, d.Kind)).OrderBy(d => d.InvoiceId == deleted.InvoiceId ? 0 : d.InvoiceId == edited.InvoiceId ? 1 : 2).ToList());
        var total = run.Drifts.Single(d => d.Kind == DriftKind.TotalChanged);
        Assert.Equal((4_200m, 3_150m, Currency, "hubspot:deal-9102"), (total.ExpectedAmount!.Value, total.ActualAmount!.Value, total.Currency, total.DealRef));
        Assert.DoesNotContain(run.Drifts, d => d.InvoiceId == clean.InvoiceId);

        var exceptions = _firm.Published<OpenSyncException>();
        Assert.Equal(3, exceptions.Count(e => e.Kind == SyncExceptionKind.ReconciliationDrift && e.Operation == InvoiceReconciler.Operation));
        Assert.Contains("the total is 3,150.00 in QuickBooks but 4,200.00 was posted",
            exceptions.Single(e => e.Kind == SyncExceptionKind.ReconciliationDrift && e.EntityId == edited.InvoiceId.ToString("D")).Message);
        // The catch-up: the missed payment, the deletion and the edit as inbound changes would have brought them.
        var received = await _firm.PublishedAsync<PaymentReceived>(p => p.InvoiceId == paid.InvoiceId);
        Assert.Equal((payment.Id, 4_200m, 0m), (received.AccountingPaymentId, received.Amount, received.RemainingBalance));
        Assert.True((await _firm.PublishedAsync<InvoiceVoided>(v => v.InvoiceId == deleted.InvoiceId)).Deleted);
        Assert.Single(exceptions, e => e.Kind == SyncExceptionKind.ManualEditConflict && e.EntityId == edited.InvoiceId.ToString("D"));
    }

    [Fact]
    public async Task The_next_run_keeps_only_the_unresolved_drift_and_resolves_the_exceptions_of_the_rest()
    {
        var edited = await _firm.PostAsync("deal-9111");
        var paid = await _firm.PostAsync("deal-9112");
        await _firm.EditDaysAsync(edited.AccountingInvoiceId, 3m);
        await _firm.PayAsync(paid.AccountingInvoiceId, 1_000m);
        await ReconcileAsync();

        var second = await ReconcileAsync();

        Assert.Equal([(edited.InvoiceId, DriftKind.TotalChanged)], second.Drifts.Select(d => (d.InvoiceId, d.Kind)));
        var resolved = Assert.Single(_firm.Published<SyncSucceeded>(), s => s.Operation == InvoiceReconciler.Operation);
        Assert.Equal((paid.InvoiceId.ToString("D"), InvoiceReconciler.Operation), (resolved.EntityId, resolved.Operation));
        Assert.Single(_firm.Published<PaymentReceived>());
    }

    [Fact]
    public async Task Invoices_posted_before_the_index_existed_are_indexed_from_the_posting_queue_and_checked()
    {
        var invoice = await _firm.PostAsync("deal-9121");
        await _firm.Company.Harness.Store.CommitAsync([DocumentWrite.Delete(PostedInvoice.CollectionName, PostedInvoice.Key(Tenant, invoice.AccountingInvoiceId))], TestContext.Current.CancellationToken);
        await _firm.PayAsync(invoice.AccountingInvoiceId, 200m);

        var run = await ReconcileAsync();

        Assert.Equal((1, DriftKind.BalanceLower), (run.InvoicesChecked, Assert.Single(run.Drifts).Kind));
        Assert.NotNull(await _firm.IndexedAsync(invoice.AccountingInvoiceId));
    }

    [Fact]
    public async Task A_tenant_that_is_not_connected_gets_a_failed_run_that_says_why()
    {
        await _firm.Company.Harness.Store.CommitAsync([DocumentWrite.Delete(QboConnection.CollectionName, Tenant)], TestContext.Current.CancellationToken);
        var runId = Guid.NewGuid();
        await _firm.Company.Harness.Store.CommitAsync([DocumentWrite.Insert(ReconciliationRun.CollectionName, runId.ToString("D"),
            new ReconciliationRun { RunId = runId, TenantId = Tenant, Trigger = "on-demand", Status = ReconciliationStatus.Queued, Requested = DateTime.UtcNow })], TestContext.Current.CancellationToken);

        await _firm.Company.Harness.DeliverAsync(new ReconcileInvoices { TenantId = Tenant, RunId = runId, Trigger = "on-demand" });

        var run = await _firm.Company.Harness.GetAsync<ReconciliationRun>(ReconciliationRun.CollectionName, runId.ToString("D"));
        Assert.Equal(ReconciliationStatus.Failed, run!.Status);
        Assert.Contains("not connected to QuickBooks", run.Error);
        Assert.Empty(_firm.Published<OpenSyncException>());
    }
}
