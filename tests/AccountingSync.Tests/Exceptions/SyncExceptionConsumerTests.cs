using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuoteToCash.AccountingSync.Consumers;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>
/// The exception queue's consumers on the test harness with accounting-sync's store: raising, repeating, resolving by a later
/// success, the SLA alert, billing's holds, and messages that failed for good in any service (their Fault). No QuickBooks.
/// </summary>
public sealed class SyncExceptionConsumerTests : IAsyncLifetime
{
    private static readonly Guid InvoiceId = Guid.Parse("0b6d1f0e-55aa-4f1c-a0c4-2c0a8e6f7d11");
    private readonly Guid _flowId = FlowOf("deal-9001");
    private ServiceHarness _harness = null!;
    private ExceptionQueue _queue = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x =>
        {
            x.AddSyncExceptionHandlers();
            x.AddConsumer<BillingThatCannotReadTheDeal>(); // stands in for a service whose consumer fails a message for good
        }, cancellationToken: TestContext.Current.CancellationToken);
        _queue = new ExceptionQueue(_harness);
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    /// <summary>Fails every DealWon it is given, as a consumer with a bug would.</summary>
    public sealed class BillingThatCannotReadTheDeal : IConsumer<DealWon>
    {
        public Task Consume(ConsumeContext<DealWon> context) =>
            throw new InvalidOperationException("The deal's line 'ERP rollout, phase 1 (fixed fee)' has no billing model the saga knows.");
    }

    private OpenSyncException TermsMissing(DateTimeOffset? at = null) => new()
    {
        TenantId = Tenant, Kind = SyncExceptionKind.Validation, Entity = "Invoice", EntityId = InvoiceId.ToString("D"), Operation = "PostInvoice",
        FlowId = _flowId, DealRef = "hubspot:deal-9001", RequestId = InvoiceId.ToString("N"),
        Message = "Invoice HP-2026-0042 of 4,200.00 GBP for deal hubspot:deal-9001 was not posted to QuickBooks: the payment terms 'Net 45' do not exist in QuickBooks.",
        SuggestedFix = "Create these payment terms in QuickBooks, or give the deal terms QuickBooks has, then press Retry.",
        Detail = "Validation unknown-terms", OccurredAt = at ?? _harness.Time.GetUtcNow(),
    };

    private SyncSucceeded Posted(DateTimeOffset at) => new()
    {
        TenantId = Tenant, Entity = "Invoice", EntityId = InvoiceId.ToString("D"), Operation = "PostInvoice", AccountingId = "130", SucceededAt = at,
    };

    [Fact]
    public async Task A_raised_exception_is_a_record_with_its_deal_plain_message_fix_root_cause_and_SLA()
    {
        await _harness.DeliverAsync(TermsMissing());

        var exception = await _queue.SingleAsync(SyncExceptionKind.Validation);
        Assert.Equal((SyncExceptionStatus.Open, RootCause.QuickBooksRules, "Invoice", InvoiceId.ToString("D"), "PostInvoice", _flowId, "hubspot:deal-9001"),
            (exception.Status, exception.RootCause, exception.Entity, exception.EntityId, exception.Operation, exception.FlowId, exception.DealRef));
        Assert.Equal((ServiceHarness.DefaultStart.AddHours(48), 1, (string?)null), (exception.SlaDue, exception.Occurrences, exception.Owner));
        Assert.StartsWith("Invoice HP-2026-0042", exception.Message);
        Assert.Contains("then press Retry", exception.SuggestedFix);
        Assert.Equal("Validation unknown-terms", exception.Detail);
        Assert.NotNull(await _harness.GetAsync<ScheduledJob>(ScheduledJob.CollectionName, SyncExceptionBook.SlaJobId(exception.ExceptionId)));
    }

    [Fact]
    public async Task A_repeat_adds_an_occurrence_to_the_open_record_instead_of_a_second_record()
    {
        await _harness.DeliverAsync(TermsMissing());
        _harness.Time.Advance(TimeSpan.FromMinutes(10));
        await _harness.DeliverAsync(TermsMissing() with { Message = "Invoice HP-2026-0042 … (again)" });

        var page = await _queue.ListAsync();
        var only = Assert.Single(page.Items);
        Assert.Single(_harness.Published<SyncExceptionOpened>());
        Assert.Equal((2, ServiceHarness.DefaultStart.AddMinutes(10), "Invoice HP-2026-0042 … (again)"), (only.Occurrences, only.LastSeen, only.Message));
        Assert.Equal(ServiceHarness.DefaultStart, (await _queue.GetAsync(only.ExceptionId)).FirstSeen);
    }

    [Fact]
    public async Task A_later_success_for_the_same_entity_and_operation_resolves_the_older_exception_and_says_so()
    {
        await _harness.DeliverAsync(TermsMissing());
        var raised = await _queue.SingleAsync(SyncExceptionKind.Validation);

        await _harness.DeliverAsync(Posted(ServiceHarness.DefaultStart.AddMinutes(30)));
        await _harness.DeliverAsync(TermsMissing(ServiceHarness.DefaultStart.AddHours(1))); // a newer failure opens a new record

        var resolved = await _queue.GetAsync(raised.ExceptionId);
        Assert.Equal((SyncExceptionStatus.Resolved, true, "platform"), (resolved.Status, resolved.ResolvedAutomatically, resolved.ClosedBy));
        Assert.Equal("resolved automatically by a later success at 2026-03-02 09:30:00 UTC (QuickBooks Id 130)", resolved.History[^1].Why);
        var page = await _queue.ListAsync();
        Assert.Equal((2, 1, 1), (page.Total, page.CountsByStatus[SyncExceptionStatus.Open], page.CountsByStatus[SyncExceptionStatus.Resolved]));
        // Two records opened (the repeat after the success is a new one), one closed by the platform.
        Assert.Equal(2, _harness.Published<SyncExceptionOpened>().Count);
        var closed = Assert.Single(_harness.Published<SyncExceptionClosed>());
        Assert.Equal((raised.ExceptionId, "Resolved", "platform", true), (closed.ExceptionId, closed.Status, closed.ClosedBy, closed.ResolvedAutomatically));
    }

    [Fact]
    public async Task A_success_older_than_the_failure_does_not_resolve_it()
    {
        _harness.Time.Advance(TimeSpan.FromHours(1));
        await _harness.DeliverAsync(TermsMissing());

        await _harness.DeliverAsync(Posted(ServiceHarness.DefaultStart)); // reported late, but it happened before the failure

        Assert.Equal(SyncExceptionStatus.Open, (await _queue.SingleAsync(SyncExceptionKind.Validation)).Status);
    }

    [Fact]
    public async Task An_exception_still_open_at_its_SLA_raises_one_alert_and_a_resolved_one_none()
    {
        await _harness.DeliverAsync(TermsMissing());
        await _harness.DeliverAsync(TermsMissing() with { EntityId = Guid.NewGuid().ToString("D") });
        var open = (await _queue.ListAsync()).Items.OrderBy(i => i.OpenedAt).ToList();
        await _queue.AssignAsync(open[0].ExceptionId, "maya");
        await _queue.ResolveAsync(open[1].ExceptionId, "terms created in QuickBooks");
        var scheduler = _harness.Services.GetServices<IHostedService>().OfType<JobSchedulerService>().Single();

        _harness.Time.Advance(TimeSpan.FromHours(47));
        await scheduler.FireDueJobsAsync(TestContext.Current.CancellationToken);
        await _harness.SettleAsync();
        Assert.Empty(_harness.Published<ExceptionSlaBreached>());

        _harness.Time.Advance(TimeSpan.FromHours(2));
        await scheduler.FireDueJobsAsync(TestContext.Current.CancellationToken);
        await _harness.SettleAsync();
        await _harness.DeliverAsync(new ExceptionSlaDue { TenantId = Tenant, ExceptionId = open[0].ExceptionId }); // fired twice: still one alert

        var breach = Assert.Single(_harness.Published<ExceptionSlaBreached>());
        Assert.Equal((open[0].ExceptionId, "Validation", "maya", "hubspot:deal-9001", ServiceHarness.DefaultStart.AddHours(48)),
            (breach.ExceptionId, breach.Kind, breach.Owner, breach.DealRef, breach.SlaDue));
        Assert.True((await _queue.GetAsync(open[0].ExceptionId)).SlaBreachedAt is not null);
    }

    private FlowHoldChanged Hold(string? hold, params string[] details) => new()
    {
        TenantId = Tenant, FlowId = _flowId, SourceSystem = Crm, ExternalDealId = "deal-9001", Hold = hold, Details = details,
        ChangedAt = _harness.Time.GetUtcNow(),
    };

    [Fact]
    public async Task A_missing_mapping_hold_opens_a_MappingMissing_exception_whose_retry_asks_billing_to_retry_the_flow()
    {
        await _harness.DeliverAsync(Hold("MissingMapping", "no QuickBooks item is mapped for product 'Data migration'"));

        var exception = await _queue.SingleAsync(SyncExceptionKind.MappingMissing);
        Assert.Equal((RootCause.MasterData, _flowId, "hubspot:deal-9001"), (exception.RootCause, exception.FlowId, exception.DealRef));
        Assert.Equal("The invoice for deal hubspot:deal-9001 is on hold: no QuickBooks item is mapped for product 'Data migration'.", exception.Message);
        Assert.Equal("Map product 'Data migration' to a QuickBooks item in master data (item mappings), then press Retry.", exception.SuggestedFix);

        var retried = Assert.IsType<Ok<QuoteToCash.AccountingSync.Apis.ExceptionsApi.RetryView>>(await _queue.RetryAsync(exception.ExceptionId));
        await _harness.SettleAsync();

        var retry = Assert.Single(_harness.Published<RetryFlow>());
        Assert.Equal((_flowId, "maya", exception.ExceptionId), (retry.FlowId, retry.RequestedBy, retry.ExceptionId));
        Assert.Equal((1, SyncExceptionStatus.Open), (retried.Value!.Exception.Retries, retried.Value.Exception.Status));
    }

    [Fact]
    public async Task Lifting_the_hold_resolves_the_exception_and_other_holds_are_not_exceptions()
    {
        await _harness.DeliverAsync(Hold("MissingMapping", "no QuickBooks item is mapped for product 'Data migration'"));
        var exception = await _queue.SingleAsync(SyncExceptionKind.MappingMissing);
        _harness.Time.Advance(TimeSpan.FromHours(3));

        await _harness.DeliverAsync(Hold(null));
        await _harness.DeliverAsync(Hold("DealReopened", "the deal was moved back to an open stage"));

        var lifted = await _queue.GetAsync(exception.ExceptionId);
        Assert.Equal((SyncExceptionStatus.Resolved, true, "resolved automatically: billing lifted the hold"),
            (lifted.Status, lifted.ResolvedAutomatically, lifted.History[^1].Why));
        Assert.Equal(1, (await _queue.ListAsync()).Total);
    }

    [Fact]
    public async Task A_message_that_failed_for_good_in_any_service_shows_up_with_its_flow_and_retrying_sends_it_again()
    {
        var won = ErpRolloutWon();
        await _harness.PublishAsync(won);

        var poison = await _queue.SingleAsync(SyncExceptionKind.PoisonMessage);
        Assert.Equal(("DealWon", _flowId.ToString("D"), _flowId, "hubspot:deal-9001", RootCause.Platform),
            (poison.Entity, poison.EntityId, poison.FlowId, poison.DealRef, poison.RootCause));
        Assert.StartsWith("Consume:", poison.Operation);
        Assert.Contains("could not be processed by", poison.Message);
        Assert.EndsWith("has no billing model the saga knows.", poison.Message);
        Assert.DoesNotContain("   at ", poison.Message); // no stack trace for finance…
        Assert.Contains("System.InvalidOperationException", poison.Detail); // …it is kept for engineers
        Assert.Contains(nameof(BillingThatCannotReadTheDeal), poison.Detail);

        Assert.IsType<Ok<QuoteToCash.AccountingSync.Apis.ExceptionsApi.RetryView>>(await _queue.RetryAsync(poison.ExceptionId));

        // Sent again, it fails again: the same record counts a second occurrence.
        Assert.True(await Polling.Eventually(async () => (await _queue.GetAsync(poison.ExceptionId)).Occurrences == 2, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, (await _queue.ListAsync()).Total);
    }

    [Fact]
    public void Every_contract_message_naming_a_tenant_has_its_faults_watched()
    {
        var watched = MessageFaults.ContractMessageTypes;

        Assert.Contains(typeof(DealWon), watched);
        Assert.Contains(typeof(PostInvoice), watched);
        Assert.Contains(typeof(FlowHoldChanged), watched);
        Assert.Contains(typeof(SyncCustomer), watched);
        Assert.DoesNotContain(typeof(QuoteToCash.Contracts.AccountingSync.AccountingInvoice), watched); // a part of a message, not a message
        Assert.Null(MessageFaults.Resolve("System.IO.File"));
        Assert.Equal(typeof(DealWon), MessageFaults.Resolve(typeof(DealWon).FullName));
    }
}
