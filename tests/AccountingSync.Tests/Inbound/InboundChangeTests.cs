using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.Contracts.AccountingSync;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Inbound;

/// <summary>
/// Changes made in QuickBooks to invoices the firm posted, announced by webhook or found by the CDC sweep, against the
/// sandbox process: Contoso's £4,200 milestone invoice is paid in two parts, voided, deleted, edited by hand, credited.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class InboundChangeTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private InboundCompany _firm = null!;

    public async ValueTask InitializeAsync() => _firm = await InboundCompany.StartAsync(sandbox);

    public ValueTask DisposeAsync() => _firm.DisposeAsync();

    [Fact]
    public async Task A_partial_payment_then_the_rest_publish_two_payments_with_quickbooks_balances()
    {
        var invoice = await _firm.PostAsync("deal-9001");

        var first = await _firm.PayAsync(invoice.AccountingInvoiceId, 1_000m);
        await _firm.WebhookAsync("Payment", first.Id!, "Create");
        var partial = await _firm.PublishedAsync<PaymentReceived>(p => p.AccountingPaymentId == first.Id);
        var rest = await _firm.PayAsync(invoice.AccountingInvoiceId, 3_200m);
        await _firm.WebhookAsync("Payment", rest.Id!, "Create");
        var full = await _firm.PublishedAsync<PaymentReceived>(p => p.AccountingPaymentId == rest.Id);

        Assert.Equal((invoice.FlowId, invoice.InvoiceId, 1_000m, 3_200m, Currency, (string?)null),
            (partial.FlowId, partial.InvoiceId, partial.Amount, partial.RemainingBalance, partial.Currency, partial.AccountingCreditMemoId));
        Assert.Equal((3_200m, 0m), (full.Amount, full.RemainingBalance));
        Assert.Equal(0m, (await _firm.IndexedAsync(invoice.AccountingInvoiceId))!.Balance);
    }

    [Fact]
    public async Task The_invoice_update_a_payment_causes_brings_the_payment_when_its_own_webhook_was_missed()
    {
        var invoice = await _firm.PostAsync("deal-9002");
        var payment = await _firm.PayAsync(invoice.AccountingInvoiceId, 4_200m);

        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId);
        await _firm.WebhookHandledAsync("Payment", payment.Id!, "Create");

        var received = Assert.Single(_firm.Published<PaymentReceived>());
        Assert.Equal((payment.Id, 4_200m, 0m), (received.AccountingPaymentId, received.Amount, received.RemainingBalance));
        Assert.Empty(_firm.Published<OpenSyncException>());
    }

    [Fact]
    public async Task A_voided_invoice_publishes_invoice_voided_once()
    {
        var invoice = await _firm.PostAsync("deal-9003");
        await _firm.VoidAsync(invoice.AccountingInvoiceId);

        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId, "Void");
        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId, "Update");
        await _firm.SweepAsync();

        var voided = Assert.Single(_firm.Published<InvoiceVoided>());
        Assert.Equal((invoice.FlowId, invoice.InvoiceId, invoice.AccountingInvoiceId, false), (voided.FlowId, voided.InvoiceId, voided.AccountingInvoiceId, voided.Deleted));
        Assert.Empty(_firm.Published<OpenSyncException>());
        Assert.Equal(PostedInvoiceState.Voided, (await _firm.IndexedAsync(invoice.AccountingInvoiceId))!.State);
    }

    [Fact]
    public async Task A_deleted_invoice_is_found_by_the_cdc_sweep_as_deleted()
    {
        var invoice = await _firm.PostAsync("deal-9004");
        await _firm.DeleteAsync<QboInvoice>(invoice.AccountingInvoiceId);

        await _firm.SweepAsync();

        var deleted = Assert.Single(_firm.Published<InvoiceVoided>());
        Assert.Equal((invoice.InvoiceId, true), (deleted.InvoiceId, deleted.Deleted));
    }

    [Fact]
    public async Task A_manual_amount_edit_opens_one_conflict_and_is_not_overwritten()
    {
        var invoice = await _firm.PostAsync("deal-9005");
        await _firm.EditDaysAsync(invoice.AccountingInvoiceId, 3m);

        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId);
        await _firm.SweepAsync();
        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId);

        var conflict = Assert.Single(_firm.Published<OpenSyncException>());
        Assert.Equal((SyncExceptionKind.ManualEditConflict, "Invoice", invoice.InvoiceId.ToString("D"), invoice.FlowId, "hubspot:deal-9005", invoice.AccountingInvoiceId),
            (conflict.Kind, conflict.Entity, conflict.EntityId, conflict.FlowId, conflict.DealRef, conflict.AccountingId));
        Assert.Contains($"Invoice {invoice.DocNumber} (deal hubspot:deal-9005) was changed in QuickBooks", conflict.Message);
        Assert.Contains("total 4200.00 → 3150.00", conflict.Message);
        Assert.Contains("line 1 amount 4200.00 → 3150.00", conflict.Message);
        Assert.DoesNotContain("Exception", conflict.Message);
        Assert.NotEmpty(conflict.SuggestedFix);
        Assert.Equal(3_150m, (await _firm.Company.EntityAsync("invoice", invoice.AccountingInvoiceId)).GetProperty("TotalAmt").GetDecimal());
        Assert.Empty(_firm.Published<PaymentReceived>());
    }

    [Fact]
    public async Task An_edit_put_back_as_posted_resolves_the_conflict()
    {
        var invoice = await _firm.PostAsync("deal-9006");
        await _firm.EditDaysAsync(invoice.AccountingInvoiceId, 3m);
        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId);
        await _firm.EditDaysAsync(invoice.AccountingInvoiceId, 4m);

        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId);

        Assert.Single(_firm.Published<OpenSyncException>());
        // Posting itself reported a success too (Operation PostInvoice); the edit's own resolution is the one that counts.
        var resolved = Assert.Single(_firm.Published<SyncSucceeded>(), s => s.Operation != "PostInvoice");
        Assert.Equal((invoice.InvoiceId.ToString("D"), InboundChangeProcessor.EditOperation), (resolved.EntityId, resolved.Operation));
    }

    [Fact]
    public async Task Our_own_credit_memo_and_its_zero_payment_are_a_credit_received_not_an_edit()
    {
        var invoice = await _firm.PostAsync("deal-9007");
        var creditMemoId = Guid.NewGuid();
        await _firm.Company.Harness.PublishAsync(new PostCreditMemo
        {
            TenantId = Tenant,
            FlowId = invoice.FlowId,
            CreditMemoId = creditMemoId,
            InvoiceId = invoice.InvoiceId,
            CustomerRef = _firm.Contoso.Id!,
            Currency = Currency,
            Lines = [new Contracts.InvoiceLine { Description = "Senior consultant day not delivered", ItemRef = InboundCompany.SeniorConsultingItem, Quantity = 1m, UnitPrice = 1_050m, Amount = 1_050m }],
            Reason = "Workshop day cancelled by the firm",
        });
        var credited = await _firm.PublishedAsync<CreditMemoPosted>(c => c.CreditMemoId == creditMemoId);

        await _firm.WebhookHandledAsync("Invoice", invoice.AccountingInvoiceId);
        await _firm.WebhookHandledAsync("CreditMemo", credited.AccountingCreditMemoId, "Create");
        await _firm.WebhookHandledAsync("Payment", credited.AccountingPaymentId!, "Create");
        await _firm.SweepAsync();

        Assert.Empty(_firm.Published<OpenSyncException>());
        var received = Assert.Single(_firm.Published<PaymentReceived>());
        Assert.Equal((credited.AccountingPaymentId, credited.AccountingCreditMemoId, 1_050m, 3_150m),
            (received.AccountingPaymentId, received.AccountingCreditMemoId, received.Amount, received.RemainingBalance));
    }

    [Fact]
    public async Task The_same_payment_from_webhook_and_cdc_and_a_redelivery_publishes_once()
    {
        var invoice = await _firm.PostAsync("deal-9008");
        var payment = await _firm.PayAsync(invoice.AccountingInvoiceId, 1_200m);

        await _firm.SweepAsync();
        await _firm.WebhookHandledAsync("Payment", payment.Id!, "Create");
        var redelivered = await _firm.WebhookAsync("Payment", payment.Id!, "Create");
        await _firm.Company.Harness.PublishAsync(new QuickBooksEntityChanged
        {
            TenantId = Tenant, RealmId = _firm.Company.RealmId, Entity = "Payment", EntityId = payment.Id!, Operation = "Create", Source = InboundSources.Webhook,
        }, redelivered);
        await _firm.Company.Harness.SettleAsync();
        await _firm.SweepAsync(startUp: true);

        var received = Assert.Single(_firm.Published<PaymentReceived>());
        Assert.Equal((1_200m, 3_000m), (received.Amount, received.RemainingBalance));
    }

    [Fact]
    public async Task A_deleted_payment_is_reversed_once_for_billing_and_opens_a_drift_exception_for_finance()
    {
        var invoice = await _firm.PostAsync("deal-9009");
        var payment = await _firm.PayAsync(invoice.AccountingInvoiceId, 4_200m);
        await _firm.WebhookAsync("Payment", payment.Id!, "Create");
        await _firm.PublishedAsync<PaymentReceived>(p => p.AccountingPaymentId == payment.Id);

        await _firm.DeleteAsync<QboPayment>(payment.Id!);
        await _firm.WebhookHandledAsync("Payment", payment.Id!, "Delete");
        await _firm.SweepAsync();

        Assert.Single(_firm.Published<PaymentReceived>());
        var reversed = Assert.Single(_firm.Published<PaymentReversed>());
        Assert.Equal((invoice.InvoiceId, payment.Id, 4_200m, 4_200m, true), (reversed.InvoiceId, reversed.AccountingPaymentId, reversed.Amount, reversed.RemainingBalance, reversed.Removed));
        var drift = Assert.Single(_firm.Published<OpenSyncException>());
        Assert.Equal((SyncExceptionKind.ReconciliationDrift, InboundChangeProcessor.PaymentOperation, invoice.InvoiceId.ToString("D")),
            (drift.Kind, drift.Operation, drift.EntityId));
        Assert.Contains($"QuickBooks payment {payment.Id} was deleted and applies 4,200.00", drift.Message);
        Assert.Equal(4_200m, (await _firm.IndexedAsync(invoice.AccountingInvoiceId))!.Balance);
    }

    [Fact]
    public async Task Changes_to_invoices_the_platform_did_not_post_publish_nothing()
    {
        var handMade = await _firm.Company.CreateInQuickBooksAsync(Tenant, new QboInvoice
        {
            CustomerRef = QboRef.To(_firm.Contoso.Id!),
            Line = [new QboLine { Amount = 500m, DetailType = "SalesItemLineDetail", SalesItemLineDetail = new QboSalesItemLineDetail { ItemRef = QboRef.To("4") } }],
        });
        var payment = await _firm.PayAsync(handMade.Id!, 500m);

        await _firm.WebhookHandledAsync("Invoice", handMade.Id!);
        await _firm.WebhookHandledAsync("Payment", payment.Id!, "Create");
        await _firm.SweepAsync();

        Assert.Empty(_firm.Published<PaymentReceived>());
        Assert.Empty(_firm.Published<OpenSyncException>());
        Assert.Empty(_firm.Published<ApplyQuickBooksChange>());
    }

    [Fact]
    public async Task The_sweep_hands_on_nothing_for_the_platforms_own_posts_and_nothing_twice()
    {
        var invoice = await _firm.PostAsync("deal-9010");
        await _firm.SweepAsync();
        Assert.Empty(_firm.Published<ApplyQuickBooksChange>());

        await _firm.PayAsync(invoice.AccountingInvoiceId, 500m);
        await _firm.SweepAsync();
        await _firm.SweepAsync();

        Assert.Equal(["Invoice", "Payment"], _firm.Published<ApplyQuickBooksChange>().Select(c => c.Entity).Order());
        Assert.Single(_firm.Published<PaymentReceived>());
    }
}
