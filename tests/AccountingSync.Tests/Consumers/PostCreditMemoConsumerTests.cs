using System.Text.Json;
using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>
/// PostCreditMemo on the test harness with the adjustment worker and the real QuickBooks client against the sandbox
/// process. The firm posted Contoso's £4,200 milestone invoice; a day of consulting is credited, or the invoice written off.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class PostCreditMemoConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private const string SeniorConsultingItem = "4";
    private const string BadDebtItemName = "Bad debt";
    private QuickBooksCompanyHarness _company = null!;
    private QboCustomer _contoso = null!;
    private Guid _invoiceId;
    private InvoicePosted _invoice = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, posting: true);
        await _company.ConnectAsync(Tenant);
        _contoso = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Contoso Logistics Ltd" });
        _invoiceId = Guid.NewGuid();
        await _company.Harness.DeliverAsync(new PostInvoice
        {
            TenantId = Tenant,
            FlowId = FlowOf("deal-9001"),
            InvoiceId = _invoiceId,
            CustomerId = Guid.NewGuid(),
            AccountingCustomerRef = _contoso.Id,
            Currency = Currency,
            InvoiceDate = new DateOnly(2026, 3, 2),
            Lines = [new InvoiceLine { Description = "ERP rollout, milestone 2", ItemRef = SeniorConsultingItem, Quantity = 4m, UnitPrice = 1_050m, Amount = 4_200m }],
        });
        _invoice = await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == _invoiceId);
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    private PostCreditMemo OneDayCredited(Guid? creditMemoId = null, decimal days = 1m) => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf("deal-9001"),
        CreditMemoId = creditMemoId ?? Guid.NewGuid(),
        InvoiceId = _invoiceId,
        CustomerRef = _contoso.Id!,
        Currency = Currency,
        Lines = [new InvoiceLine { Description = "Senior consultant day not delivered", ItemRef = SeniorConsultingItem, Quantity = days, UnitPrice = 1_050m, Amount = days * 1_050m }],
        Reason = "Workshop day cancelled by the firm",
        PrivateNote = "Agreed with Priya Shah on 3 March",
    };

    private Task<CreditMemoPosted> PostedAsync(Guid creditMemoId) => _company.PublishedAsync<CreditMemoPosted>(m => m.CreditMemoId == creditMemoId);

    private Task<AdjustmentFailed> FailedAsync(Guid creditMemoId) => _company.PublishedAsync<AdjustmentFailed>(m => m.AdjustmentId == creditMemoId);

    private async Task<decimal> InvoiceBalanceAsync() => (await _company.EntityAsync("invoice", _invoice.AccountingInvoiceId)).GetProperty("Balance").GetDecimal();

    private async Task SettingsAsync(string? badDebtItem) =>
        await _company.Harness.Store.CommitAsync([DocumentWrite.Upsert(AdjustmentSettings.CollectionName, Tenant,
            new AdjustmentSettings { TenantId = Tenant, BadDebtItemRef = badDebtItem, Updated = DateTime.UtcNow })]);

    [Fact]
    public async Task A_partial_credit_is_created_and_applied_to_the_invoice_through_a_zero_payment()
    {
        var command = OneDayCredited();

        await _company.Harness.DeliverAsync(command);

        var posted = await PostedAsync(command.CreditMemoId);
        Assert.Equal((1_050m, 1_050m, 0m, 3_150m, _invoice.AccountingInvoiceId, false),
            (posted.Amount, posted.AppliedAmount, posted.UnappliedCredit, posted.InvoiceBalance, posted.AccountingInvoiceId, posted.WriteOff));
        var memo = Assert.Single(await _company.EntitiesAsync("creditmemo"));
        Assert.Equal((posted.AccountingCreditMemoId, posted.DocNumber, 0m, _contoso.Id),
            (memo.GetProperty("Id").GetString(), memo.GetProperty("DocNumber").GetString(), memo.GetProperty("RemainingCredit").GetDecimal(),
             memo.GetProperty("CustomerRef").GetProperty("value").GetString()));
        Assert.StartsWith($"Credit for invoice {_invoice.DocNumber}: Workshop day cancelled by the firm\nAgreed with Priya Shah", memo.GetProperty("PrivateNote").GetString());
        var payment = Assert.Single(await _company.EntitiesAsync("payment"));
        Assert.Equal((posted.AccountingPaymentId, 0m, 0m), (payment.GetProperty("Id").GetString(), payment.GetProperty("TotalAmt").GetDecimal(), payment.GetProperty("UnappliedAmt").GetDecimal()));
        Assert.Equal(["Invoice", "CreditMemo"], payment.GetProperty("Line").EnumerateArray().Select(l => l.GetProperty("LinkedTxn")[0].GetProperty("TxnType").GetString()));
        Assert.Equal(3_150m, await InvoiceBalanceAsync());
    }

    [Fact]
    public async Task A_credit_larger_than_what_the_invoice_owes_settles_it_and_leaves_the_rest_on_the_customer_account()
    {
        var first = OneDayCredited(days: 3m);
        await _company.Harness.DeliverAsync(first);
        await PostedAsync(first.CreditMemoId);
        var second = OneDayCredited(days: 2m);

        await _company.Harness.DeliverAsync(second);

        var posted = await PostedAsync(second.CreditMemoId);
        Assert.Equal((2_100m, 1_050m, 1_050m, 0m), (posted.Amount, posted.AppliedAmount, posted.UnappliedCredit, posted.InvoiceBalance));
        var memo = await _company.EntityAsync("creditmemo", posted.AccountingCreditMemoId);
        Assert.Equal(1_050m, memo.GetProperty("RemainingCredit").GetDecimal());
        Assert.Equal(-1_050m, (await _company.EntityAsync("customer", _contoso.Id!)).GetProperty("Balance").GetDecimal());
    }

    [Fact]
    public async Task A_write_off_books_its_lines_to_the_tenants_bad_debt_item()
    {
        var badDebt = await _company.CreateInQuickBooksAsync(Tenant, new QboItem { Name = BadDebtItemName, Type = "Service", IncomeAccountRef = QboRef.To("19") });
        await SettingsAsync(badDebt.Id);
        var command = OneDayCredited(days: 4m) with { WriteOff = true, Reason = "Contoso entered administration" };

        await _company.Harness.DeliverAsync(command);

        var posted = await PostedAsync(command.CreditMemoId);
        Assert.Equal((true, 4_200m, 0m), (posted.WriteOff, posted.Amount, posted.InvoiceBalance));
        var memo = await _company.EntityAsync("creditmemo", posted.AccountingCreditMemoId);
        var line = memo.GetProperty("Line")[0];
        Assert.Equal((badDebt.Id, BadDebtItemName), (line.GetProperty("SalesItemLineDetail").GetProperty("ItemRef").GetProperty("value").GetString(),
            line.GetProperty("SalesItemLineDetail").GetProperty("ItemRef").GetProperty("name").GetString()));
        Assert.StartsWith("Write-off for invoice", memo.GetProperty("PrivateNote").GetString());
    }

    [Fact]
    public async Task A_redelivered_command_and_the_same_credit_asked_for_again_make_one_credit_memo_and_one_payment()
    {
        var command = OneDayCredited();
        var messageId = await _company.Harness.DeliverAsync(command);
        await _company.Harness.PublishAsync(command, messageId);
        await _company.Harness.ConsumedAsync<PostCreditMemo>(messageId, times: 2);
        await PostedAsync(command.CreditMemoId);

        await _company.Harness.DeliverAsync(command);
        await _company.Harness.SettleAsync();

        Assert.Single(await _company.EntitiesAsync("creditmemo"));
        Assert.Single(await _company.EntitiesAsync("payment"));
        Assert.Single(_company.Harness.Published<CreditMemoPosted>());
        Assert.Equal(3_150m, await InvoiceBalanceAsync());
    }

    [Fact]
    public async Task A_credit_for_an_invoice_the_platform_never_posted_fails_as_invoice_not_posted()
    {
        var command = OneDayCredited() with { InvoiceId = Guid.NewGuid() };

        await _company.Harness.DeliverAsync(command);

        var failed = await FailedAsync(command.CreditMemoId);
        Assert.Equal(("CreditMemo", "InvoiceNotPosted"), (failed.Adjustment, failed.Kind));
        Assert.Empty(await _company.EntitiesAsync("creditmemo"));
    }

    [Fact]
    public async Task A_write_off_without_a_bad_debt_item_fails_as_not_configured_and_goes_through_once_finance_sets_one()
    {
        var command = OneDayCredited() with { WriteOff = true };

        await _company.Harness.DeliverAsync(command);
        var failed = await FailedAsync(command.CreditMemoId);
        var badDebt = await _company.CreateInQuickBooksAsync(Tenant, new QboItem { Name = BadDebtItemName, Type = "Service", IncomeAccountRef = QboRef.To("19") });
        await SettingsAsync(badDebt.Id);
        await _company.Harness.DeliverAsync(command);
        var posted = await PostedAsync(command.CreditMemoId);

        Assert.Equal(("NotConfigured", "bad-debt-item"), (failed.Kind, failed.Code));
        Assert.Contains("adjustment-settings", failed.Message);
        Assert.Equal(3_150m, posted.InvoiceBalance);
        Assert.Single(await _company.EntitiesAsync("creditmemo"));
    }

    [Fact]
    public async Task A_tenant_without_a_QuickBooks_connection_fails_as_not_connected()
    {
        var command = OneDayCredited() with { TenantId = "not-connected-firm", AccountingInvoiceId = _invoice.AccountingInvoiceId };

        await _company.Harness.DeliverAsync(command);

        var failed = await FailedAsync(command.CreditMemoId);
        Assert.Equal("NotConnected", failed.Kind);
        Assert.Empty(await _company.EntitiesAsync("creditmemo"));
    }

    [Fact]
    public async Task A_credit_dated_in_a_closed_period_fails_as_closed_period()
    {
        await _company.CloseBooksAsync(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2));
        var command = OneDayCredited();

        await _company.Harness.DeliverAsync(command);

        var failed = await FailedAsync(command.CreditMemoId);
        Assert.Equal(("ClosedPeriod", "6210"), (failed.Kind, failed.Code));
        Assert.Contains("books are closed", failed.Message);
        Assert.Empty(await _company.EntitiesAsync("creditmemo"));
    }

    [Fact]
    public async Task A_credit_memo_number_already_used_fails_as_duplicate_doc_number()
    {
        var first = OneDayCredited() with { DocNumber = "CN-0007" };
        await _company.Harness.DeliverAsync(first);
        await PostedAsync(first.CreditMemoId);
        var second = OneDayCredited() with { DocNumber = "CN-0007" };

        await _company.Harness.DeliverAsync(second);

        var failed = await FailedAsync(second.CreditMemoId);
        Assert.Equal(("DuplicateDocNumber", "6140"), (failed.Kind, failed.Code));
        Assert.Contains("'CN-0007'", failed.Message);
    }

    [Fact]
    public async Task A_credit_for_another_customer_than_the_invoices_fails_validation()
    {
        var other = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer { DisplayName = "Fabrikam Ltd" });
        var command = OneDayCredited() with { CustomerRef = other.Id! };

        await _company.Harness.DeliverAsync(command);

        var failed = await FailedAsync(command.CreditMemoId);
        Assert.Equal(("Validation", "customer-mismatch"), (failed.Kind, failed.Code));
        Assert.Equal(4_200m, await InvoiceBalanceAsync());
    }
}
