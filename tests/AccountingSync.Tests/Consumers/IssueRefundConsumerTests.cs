using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>
/// IssueRefund on the test harness with the adjustment worker and the real QuickBooks client against the sandbox process:
/// Contoso overpaid the retainer and gets £500 back by check from the firm's current account.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class IssueRefundConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private const string CheckingAccount = "1";
    private const string SavingsAccount = "2";
    private const string ServicesIncomeAccount = "14";
    private QuickBooksCompanyHarness _company = null!;
    private QboCustomer _contoso = null!;
    private QboItem _refunds = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, posting: true);
        await _company.ConnectAsync(Tenant);
        _contoso = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
        _refunds = await _company.CreateInQuickBooksAsync(Tenant, new QboItem { Name = "Refunds", Type = "Service", IncomeAccountRef = QboRef.To(ServicesIncomeAccount) });
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    private async Task SettingsAsync(string? refundItem, string? refundAccount) =>
        await _company.Harness.Store.CommitAsync([DocumentWrite.Upsert(AdjustmentSettings.CollectionName, Tenant,
            new AdjustmentSettings { TenantId = Tenant, RefundItemRef = refundItem, RefundAccountRef = refundAccount, Updated = DateTime.UtcNow })]);

    private IssueRefund RetainerOverpayment(Guid? refundId = null) => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf("deal-9001"),
        RefundId = refundId ?? Guid.NewGuid(),
        CustomerRef = _contoso.Id!,
        Amount = 500m,
        Currency = Currency,
        PaymentMethod = "Check",
        Reason = "Retainer overpaid in March",
    };

    private Task<RefundIssued> IssuedAsync(Guid refundId) => _company.PublishedAsync<RefundIssued>(m => m.RefundId == refundId);

    private Task<AdjustmentFailed> FailedAsync(Guid refundId) => _company.PublishedAsync<AdjustmentFailed>(m => m.AdjustmentId == refundId);

    [Fact]
    public async Task A_refund_of_an_invoice_QuickBooks_refused_waits_for_it_in_the_outbound_queue_once_however_often_it_is_delivered()
    {
        await SettingsAsync(_refunds.Id, CheckingAccount);
        var invoiceId = Guid.NewGuid();
        await _company.Harness.Store.CommitAsync([DocumentWrite.Insert(QuoteToCash.AccountingSync.Infrastructure.Posting.PendingInvoice.CollectionName, invoiceId.ToString("D"),
            new QuoteToCash.AccountingSync.Infrastructure.Posting.PendingInvoice
            {
                InvoiceId = invoiceId, TenantId = Tenant, FlowId = FlowOf("deal-9001"), Status = QuoteToCash.AccountingSync.Infrastructure.Posting.PostingStatus.Failed,
                RequestedDocNumber = "HP-2026-0042", AccountingCustomerRef = _contoso.Id, Currency = Currency, FailureKind = "Validation",
            })], TestContext.Current.CancellationToken);
        var command = RetainerOverpayment() with { InvoiceId = invoiceId };

        await _company.Harness.DeliverAsync(command);
        await _company.Harness.DeliverAsync(command);

        var held = Assert.Single(await _company.Harness.Store.Collection<QuoteToCash.AccountingSync.Infrastructure.Outbound.OutboundEntry>(
            QuoteToCash.AccountingSync.Infrastructure.Outbound.OutboundEntry.CollectionName).FindAsync(h => h.TenantId == Tenant, cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal((nameof(IssueRefund), "adjustment:" + command.RefundId.ToString("N"), "invoice:" + invoiceId.ToString("N")), (held.Operation, held.Subject, held.WaitsFor));
        Assert.StartsWith("The refund waits for invoice HP-2026-0042, which QuickBooks refused", held.Explanation);
        Assert.Null(await _company.Harness.GetAsync<PendingAdjustment>(PendingAdjustment.CollectionName, PendingAdjustment.KeyFor(command.RefundId)));
        Assert.True((await _company.Harness.GetAsync<QuoteToCash.AccountingSync.Infrastructure.Posting.PendingInvoice>(
            QuoteToCash.AccountingSync.Infrastructure.Posting.PendingInvoice.CollectionName, invoiceId.ToString("D")))!.Awaited);
        await _company.Harness.SettleAsync();
        Assert.Empty(_company.Harness.Published<AdjustmentFailed>());
        Assert.Empty(await _company.EntitiesAsync("refundreceipt"));
    }

    [Fact]
    public async Task A_refund_is_a_refund_receipt_on_the_refund_item_paid_from_the_tenants_refund_account()
    {
        await SettingsAsync(_refunds.Id, CheckingAccount);
        var command = RetainerOverpayment();

        await _company.Harness.DeliverAsync(command);

        var issued = await IssuedAsync(command.RefundId);
        var receipt = Assert.Single(await _company.EntitiesAsync("refundreceipt"));
        Assert.Equal((issued.AccountingRefundReceiptId, issued.DocNumber, 500m, CheckingAccount),
            (receipt.GetProperty("Id").GetString(), receipt.GetProperty("DocNumber").GetString(), receipt.GetProperty("TotalAmt").GetDecimal(), issued.DepositToAccountRef));
        Assert.Equal(("Checking", "Check", _contoso.Id, "Refund: Retainer overpaid in March"),
            (receipt.GetProperty("DepositToAccountRef").GetProperty("name").GetString(), receipt.GetProperty("PaymentMethodRef").GetProperty("name").GetString(),
             receipt.GetProperty("CustomerRef").GetProperty("value").GetString(), receipt.GetProperty("PrivateNote").GetString()));
        var line = receipt.GetProperty("Line")[0];
        Assert.Equal(("Retainer overpaid in March", _refunds.Id), (line.GetProperty("Description").GetString(),
            line.GetProperty("SalesItemLineDetail").GetProperty("ItemRef").GetProperty("value").GetString()));
    }

    [Fact]
    public async Task The_account_named_in_the_command_wins_over_the_tenants_refund_account()
    {
        await SettingsAsync(_refunds.Id, CheckingAccount);
        var command = RetainerOverpayment() with { DepositToAccountRef = SavingsAccount, PaymentMethod = null };

        await _company.Harness.DeliverAsync(command);

        var issued = await IssuedAsync(command.RefundId);
        var receipt = await _company.EntityAsync("refundreceipt", issued.AccountingRefundReceiptId);
        Assert.Equal((SavingsAccount, SavingsAccount), (issued.DepositToAccountRef, receipt.GetProperty("DepositToAccountRef").GetProperty("value").GetString()));
        Assert.False(receipt.TryGetProperty("PaymentMethodRef", out _));
    }

    [Fact]
    public async Task A_redelivered_command_and_the_same_refund_asked_for_again_make_one_refund_receipt()
    {
        await SettingsAsync(_refunds.Id, CheckingAccount);
        var command = RetainerOverpayment();
        var messageId = await _company.Harness.DeliverAsync(command);
        await _company.Harness.PublishAsync(command, messageId);
        await _company.Harness.ConsumedAsync<IssueRefund>(messageId, times: 2);
        await IssuedAsync(command.RefundId);

        await _company.Harness.DeliverAsync(command);
        await _company.Harness.SettleAsync();

        Assert.Single(await _company.EntitiesAsync("refundreceipt"));
        Assert.Single(_company.Harness.Published<RefundIssued>());
    }

    [Fact]
    public async Task Without_a_refund_item_or_an_account_to_pay_from_the_refund_fails_as_not_configured()
    {
        var noItem = RetainerOverpayment();
        await _company.Harness.DeliverAsync(noItem);
        var itemMissing = await FailedAsync(noItem.RefundId);
        await SettingsAsync(_refunds.Id, null);
        var noAccount = RetainerOverpayment();
        await _company.Harness.DeliverAsync(noAccount);
        var accountMissing = await FailedAsync(noAccount.RefundId);

        Assert.Equal(("Refund", "NotConfigured", "refund-item"), (itemMissing.Adjustment, itemMissing.Kind, itemMissing.Code));
        Assert.Equal(("NotConfigured", "refund-account"), (accountMissing.Kind, accountMissing.Code));
        Assert.Empty(await _company.EntitiesAsync("refundreceipt"));
    }

    [Fact]
    public async Task A_payment_method_QuickBooks_does_not_have_or_an_account_that_cannot_pay_fails_validation()
    {
        await SettingsAsync(_refunds.Id, CheckingAccount);
        var unknownMethod = RetainerOverpayment() with { PaymentMethod = "Cryptocurrency" };
        var incomeAccount = RetainerOverpayment() with { DepositToAccountRef = ServicesIncomeAccount };

        await _company.Harness.DeliverAsync(unknownMethod);
        await _company.Harness.DeliverAsync(incomeAccount);

        var method = await FailedAsync(unknownMethod.RefundId);
        var account = await FailedAsync(incomeAccount.RefundId);
        Assert.Equal(("Validation", "unknown-payment-method"), (method.Kind, method.Code));
        Assert.Contains("'Cryptocurrency'", method.Message);
        Assert.Equal(("Validation", "6430"), (account.Kind, account.Code));
        Assert.Contains("Invalid account type: Income", account.Message);
    }

    [Fact]
    public async Task A_tenant_without_a_QuickBooks_connection_fails_as_not_connected_and_a_closed_period_as_closed_period()
    {
        var elsewhere = RetainerOverpayment() with { TenantId = "not-connected-firm" };
        await SettingsAsync(_refunds.Id, CheckingAccount);
        await _company.CloseBooksAsync(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2));
        var closed = RetainerOverpayment();

        await _company.Harness.DeliverAsync(elsewhere);
        await _company.Harness.DeliverAsync(closed);

        Assert.Equal("NotConnected", (await FailedAsync(elsewhere.RefundId)).Kind);
        Assert.Equal(("ClosedPeriod", "6210"), ((await FailedAsync(closed.RefundId)).Kind, (await FailedAsync(closed.RefundId)).Code));
        Assert.Empty(await _company.EntitiesAsync("refundreceipt"));
    }
}
