using System.Globalization;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.CrmIngest.Tests.WriteBack;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Consumers;

/// <summary>
/// Invoice facts written back to the firm's HubSpot deal, on MassTransit's test harness with crm-ingest's own store and
/// inbox/outbox, against the HubSpot sandbox process. What counts is what the deal in HubSpot shows.
/// </summary>
[Collection(HubSpotPortalCollection.Name)]
public sealed class InvoiceWriteBackConsumerTests(HubSpotPortalFixture sandbox) : IAsyncLifetime
{
    private static readonly Guid InvoiceId = Guid.Parse("0b6d1f0e-55aa-4f1c-a0c4-2c0a8e6f7d11");
    private static readonly string[] DealFields = [HubSpotWriter.InvoiceNumber, HubSpotWriter.InvoiceStatus, HubSpotWriter.BalanceDue, HubSpotWriter.PaidDate];
    private ServiceHarness _harness = null!;
    private HubSpotPortal _portal = null!;
    private string _dealId = null!;

    private Guid Flow => FlowOf(_dealId);

    public async ValueTask InitializeAsync()
    {
        _harness = await CrmIngestConsumerHarness.StartAsync();
        _portal = await sandbox.NewPortalAsync();
        await _harness.ConnectAsync(Tenant, _portal);
        _dealId = await _portal.CreateAsync("deals", new { dealname = "Contoso ERP rollout, phase 1", dealstage = "closedwon", pipeline = "default", amount = "18500" });
        await _harness.DeliverAsync(ErpRolloutWon(_dealId)); // the write-back registry learns the flow's deal
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private InvoicePosted Posted() => new()
    {
        TenantId = Tenant, FlowId = Flow, InvoiceId = InvoiceId, AccountingInvoiceId = "130", DocNumber = "INV-1042",
        Total = 18_500m, Balance = 18_500m, PostedAt = ServiceHarness.DefaultStart.AddMinutes(1),
    };

    private PaymentReceived Paid(decimal amount, decimal remaining, int day) => new()
    {
        TenantId = Tenant, FlowId = Flow, InvoiceId = InvoiceId, AccountingPaymentId = "88-" + day, Amount = amount,
        RemainingBalance = remaining, Currency = Currency, ReceivedAt = ServiceHarness.DefaultStart.AddDays(day),
    };

    private InvoiceStatusChanged Status(string status, decimal balance, DateTimeOffset at) => new()
    {
        TenantId = Tenant, FlowId = Flow, InvoiceId = InvoiceId, Status = status, BalanceDue = balance, ChangedAt = at,
    };

    private Task<IReadOnlyDictionary<string, string?>> DealAsync() => _portal.ReadAsync("deals", _dealId, DealFields);

    private static decimal Amount(string? text) => decimal.Parse(text!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_posted_invoice_shows_on_the_deal_with_its_number_status_and_balance()
    {
        await _harness.DeliverAsync(Posted());

        var deal = await DealAsync();
        Assert.Equal(("INV-1042", "Posted"), (deal[HubSpotWriter.InvoiceNumber], deal[HubSpotWriter.InvoiceStatus]));
        Assert.Equal(18_500m, Amount(deal[HubSpotWriter.BalanceDue]));
    }

    [Fact]
    public async Task Payments_move_the_deal_to_partially_paid_then_paid_with_the_paid_date()
    {
        await _harness.DeliverAsync(Posted());
        await _harness.DeliverAsync(Paid(10_000m, 8_500m, day: 14));
        var partial = await DealAsync();
        await _harness.DeliverAsync(Paid(8_500m, 0m, day: 21));
        var paid = await DealAsync();

        Assert.Equal(("Partially paid", 8_500m), (partial[HubSpotWriter.InvoiceStatus], Amount(partial[HubSpotWriter.BalanceDue])));
        Assert.Equal(("INV-1042", "Paid", 0m, "2026-03-23"),
            (paid[HubSpotWriter.InvoiceNumber], paid[HubSpotWriter.InvoiceStatus], Amount(paid[HubSpotWriter.BalanceDue]), paid[HubSpotWriter.PaidDate]));
    }

    [Fact]
    public async Task A_redelivered_event_is_written_once()
    {
        var messageId = await _harness.DeliverAsync(Posted());
        // Finance corrects the number by hand in HubSpot; a re-delivery of the same message must not undo it.
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Patch, $"/crm/v3/objects/deals/{_dealId}", _portal.ToolsToken,
            new { properties = new Dictionary<string, string> { [HubSpotWriter.InvoiceNumber] = "INV-1042-A" } });

        await _harness.PublishAsync(Posted(), messageId);
        await _harness.ConsumedAsync<InvoicePosted>(messageId, times: 2);

        Assert.Equal("INV-1042-A", (await DealAsync())[HubSpotWriter.InvoiceNumber]);
    }

    [Fact]
    public async Task An_older_status_arriving_after_a_newer_one_does_not_overwrite_it()
    {
        await _harness.DeliverAsync(Posted());
        await _harness.DeliverAsync(Paid(18_500m, 0m, day: 21));

        await _harness.DeliverAsync(Status("Overdue", 18_500m, ServiceHarness.DefaultStart.AddDays(20)));

        var deal = await DealAsync();
        Assert.Equal(("Paid", 0m, "2026-03-23"), (deal[HubSpotWriter.InvoiceStatus], Amount(deal[HubSpotWriter.BalanceDue]), deal[HubSpotWriter.PaidDate]));
    }

    [Fact]
    public async Task A_late_posting_still_brings_the_invoice_number_but_not_its_older_status()
    {
        await _harness.DeliverAsync(Status("Sent", 18_500m, ServiceHarness.DefaultStart.AddHours(2)));

        await _harness.DeliverAsync(Posted());

        var deal = await DealAsync();
        Assert.Equal(("INV-1042", "Sent"), (deal[HubSpotWriter.InvoiceNumber], deal[HubSpotWriter.InvoiceStatus]));
    }

    [Fact]
    public async Task A_part_payment_on_an_overdue_invoice_keeps_it_overdue_with_the_new_balance()
    {
        await _harness.DeliverAsync(Posted());
        await _harness.DeliverAsync(Status("Overdue", 18_500m, ServiceHarness.DefaultStart.AddDays(31)));

        await _harness.DeliverAsync(Paid(8_500m, 10_000m, day: 35));

        var deal = await DealAsync();
        Assert.Equal(("Overdue", 10_000m), (deal[HubSpotWriter.InvoiceStatus], Amount(deal[HubSpotWriter.BalanceDue])));
    }

    [Fact]
    public async Task A_credit_memo_applied_in_quickbooks_settles_the_invoice_without_a_paid_date()
    {
        await _harness.DeliverAsync(Posted());

        await _harness.DeliverAsync(Paid(18_500m, 0m, day: 10) with { AccountingCreditMemoId = "9" });

        var deal = await DealAsync();
        Assert.Equal(("Paid", 0m), (deal[HubSpotWriter.InvoiceStatus], Amount(deal[HubSpotWriter.BalanceDue])));
        Assert.True(string.IsNullOrEmpty(deal.GetValueOrDefault(HubSpotWriter.PaidDate)));
    }

    [Fact]
    public async Task A_payment_after_the_invoice_was_voided_does_not_bring_it_back()
    {
        await _harness.DeliverAsync(Posted());
        await _harness.DeliverAsync(Status("Voided", 0m, ServiceHarness.DefaultStart.AddDays(2)));

        await _harness.DeliverAsync(Paid(18_500m, 0m, day: 5));

        var deal = await DealAsync();
        Assert.Equal(("Voided", 0m), (deal[HubSpotWriter.InvoiceStatus], Amount(deal[HubSpotWriter.BalanceDue])));
    }

    [Fact]
    public async Task An_event_naming_another_tenant_than_the_flow_s_writes_nothing()
    {
        await _harness.DeliverAsync(Posted() with { TenantId = "no-crm-tenant" });

        var deal = await DealAsync();
        Assert.Null(deal.GetValueOrDefault(HubSpotWriter.InvoiceNumber));
        Assert.Null(await _harness.GetAsync<InvoiceWriteBackState>(InvoiceWriteBackState.CollectionName, InvoiceWriteBackState.Key(Flow, InvoiceId)));
    }
}
