using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>
/// The exceptions API on the harness's store: finance's filters, assigning, commenting, resolving and ignoring, the answers
/// to what a caller gets wrong (problem+json), and the weekly report as JSON and CSV. The firm's queue on a Monday morning.
/// </summary>
public sealed class ExceptionsApiTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;
    private ExceptionQueue _queue = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x => x.AddSyncExceptionHandlers(), cancellationToken: TestContext.Current.CancellationToken);
        _queue = new ExceptionQueue(_harness);
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<Guid> RaiseAsync(SyncExceptionKind kind, string entityId, string deal = "deal-9001")
    {
        await _harness.DeliverAsync(new OpenSyncException
        {
            TenantId = Tenant, Kind = kind, Entity = "Invoice", EntityId = entityId, Operation = "PostInvoice", FlowId = FlowOf(deal), DealRef = $"hubspot:{deal}",
            Message = $"{kind} for {entityId}", SuggestedFix = "Fix it, then press Retry.", OccurredAt = _harness.Time.GetUtcNow(),
        });
        return (await _queue.ListAsync(kind: kind.ToString())).Items.Single(i => i.EntityId == entityId && ExceptionRules.IsActive(i.Status)).ExceptionId;
    }

    [Fact]
    public async Task Finance_filters_by_status_kind_owner_and_flow_newest_first_with_counts_by_status()
    {
        var first = await RaiseAsync(SyncExceptionKind.Validation, "inv-1");
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await RaiseAsync(SyncExceptionKind.Validation, "inv-2", "deal-9002");
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var third = await RaiseAsync(SyncExceptionKind.QboUnavailable, "inv-3");
        Assert.IsType<Ok<ExceptionsApi.ExceptionView>>(await _queue.AssignAsync(second, "maya"));

        var all = await _queue.ListAsync();
        var assignedToMaya = await _queue.ListAsync(owner: "Maya");
        var openValidation = await _queue.ListAsync(status: "open", kind: "validation");
        var ofDeal9001 = await _queue.ListAsync(flowId: FlowOf("deal-9001"));
        var secondPage = await _queue.ListAsync(page: 2, pageSize: 2);

        Assert.Equal([third, second, first], all.Items.Select(i => i.ExceptionId));
        Assert.Equal((2, 1, 0), (all.CountsByStatus[SyncExceptionStatus.Open], all.CountsByStatus[SyncExceptionStatus.Assigned], all.CountsByStatus[SyncExceptionStatus.Resolved]));
        Assert.Equal([second], assignedToMaya.Items.Select(i => i.ExceptionId));
        Assert.Equal([first], openValidation.Items.Select(i => i.ExceptionId));
        Assert.Equal([third, first], ofDeal9001.Items.Select(i => i.ExceptionId));
        Assert.Equal(3, secondPage.Total);
        Assert.Equal([first], secondPage.Items.Select(i => i.ExceptionId));
    }

    [Fact]
    public async Task Assigning_commenting_and_resolving_are_recorded_with_who_when_and_why()
    {
        var id = await RaiseAsync(SyncExceptionKind.Validation, "inv-1");

        await _queue.AssignAsync(id, "maya", "I'll check the terms with the customer.");
        _harness.Time.Advance(TimeSpan.FromHours(2));
        await _queue.CommentAsync(id, "Terms created in QuickBooks.");
        var resolved = Assert.IsType<Ok<ExceptionsApi.ExceptionView>>(await _queue.ResolveAsync(id, "terms created, invoice posted by hand")).Value!;

        Assert.Equal((SyncExceptionStatus.Resolved, "maya", "maya", false), (resolved.Status, resolved.Owner, resolved.ClosedBy, resolved.ResolvedAutomatically));
        Assert.Equal(ServiceHarness.DefaultStart.AddHours(2), resolved.ClosedAt);
        Assert.Equal(["raised", "assigned to maya", "terms created, invoice posted by hand"], resolved.History.Select(h => h.Why));
        Assert.Equal([(SyncExceptionStatus?)null, SyncExceptionStatus.Open, SyncExceptionStatus.Assigned], resolved.History.Select(h => h.From));
        Assert.Equal(["I'll check the terms with the customer.", "Terms created in QuickBooks."], resolved.Comments.Select(c => c.Text));

        // Reporting hears of the opening and of the closing, each once, with the record's facts and times.
        Assert.True(await Polling.Eventually(() => _harness.Published<SyncExceptionClosed>().Count == 1));
        var opened = Assert.Single(_harness.Published<SyncExceptionOpened>());
        Assert.Equal((id, "Validation", "QuickBooksRules", "Invoice", "inv-1", "PostInvoice", (Guid?)FlowOf("deal-9001"), ServiceHarness.DefaultStart,
            ServiceHarness.DefaultStart.AddHours(48)), (opened.ExceptionId, opened.Kind, opened.RootCause, opened.Entity, opened.EntityId, opened.Operation, opened.FlowId,
            opened.OpenedAt, opened.SlaDue));
        var closed = Assert.Single(_harness.Published<SyncExceptionClosed>());
        Assert.Equal((id, "Resolved", "maya", "maya", ServiceHarness.DefaultStart.AddHours(2), ServiceHarness.DefaultStart, false, "terms created, invoice posted by hand"),
            (closed.ExceptionId, closed.Status, closed.Owner, closed.ClosedBy, closed.ClosedAt, closed.OpenedAt, closed.ResolvedAutomatically, closed.Reason));
    }

    [Fact]
    public async Task Ignoring_needs_a_reason_and_a_closed_exception_cannot_be_changed_again()
    {
        var id = await RaiseAsync(SyncExceptionKind.Validation, "inv-1");

        var withoutReason = await ExceptionQueue.WriteAsync(await _queue.IgnoreAsync(id, null));
        var ignored = Assert.IsType<Ok<ExceptionsApi.ExceptionView>>(await _queue.IgnoreAsync(id, "test invoice, deleted in QuickBooks")).Value!;
        var reassigned = await ExceptionQueue.WriteAsync(await _queue.AssignAsync(id, "maya"));
        var retried = await ExceptionQueue.WriteAsync(await _queue.RetryAsync(id));

        Assert.Equal((400, true), (withoutReason.Status, withoutReason.IsProblemJson));
        Assert.Equal((SyncExceptionStatus.Ignored, "olivia"), (ignored.Status, ignored.ClosedBy));
        Assert.True(await Polling.Eventually(() => _harness.Published<SyncExceptionClosed>().Count == 1));
        Assert.Equal(("Ignored", "olivia", "test invoice, deleted in QuickBooks"),
            _harness.Published<SyncExceptionClosed>().Select(c => (c.Status, c.ClosedBy, c.Reason)).Single());
        Assert.Equal((409, true), (reassigned.Status, reassigned.IsProblemJson));
        Assert.Contains("ignored already", reassigned.Body);
        Assert.Equal(409, retried.Status);
        // The same failure again opens a new record rather than reviving the ignored one.
        await RaiseAsync(SyncExceptionKind.Validation, "inv-1");
        Assert.Equal(2, (await _queue.ListAsync()).Total);
    }

    [Fact]
    public async Task What_a_caller_gets_wrong_is_answered_with_problem_json()
    {
        var unknown = await ExceptionQueue.WriteAsync(await _queue.RetryAsync(Guid.NewGuid()));
        var badStatus = await ExceptionQueue.WriteAsync(await _queue.ListResultAsync(status: "pending"));
        var numericKind = await ExceptionQueue.WriteAsync(await _queue.ListResultAsync(kind: "3"));
        var badWeek = await ExceptionQueue.WriteAsync(await _queue.ReportAsync("2026-48"));

        Assert.Equal((404, true), (unknown.Status, unknown.IsProblemJson));
        Assert.Equal((400, true), (badStatus.Status, badStatus.IsProblemJson));
        Assert.Contains("Open, Assigned, Resolved, Ignored", badStatus.Body);
        Assert.Equal(400, numericKind.Status);
        Assert.Equal(400, badWeek.Status);
        Assert.Contains("2026-W48", badWeek.Body);
    }

    [Fact]
    public async Task The_weekly_report_comes_as_JSON_and_as_CSV()
    {
        var mapping = await RaiseAsync(SyncExceptionKind.MappingMissing, "inv-1");
        await RaiseAsync(SyncExceptionKind.MappingMissing, "inv-2");
        await RaiseAsync(SyncExceptionKind.QboUnavailable, "inv-3");
        _harness.Time.Advance(TimeSpan.FromHours(6));
        await _queue.ResolveAsync(mapping, "mapped");
        var week = WeeklyExceptionReport.WeekOf(ServiceHarness.DefaultStart); // 2026-W10

        var json = Assert.IsType<Ok<ExceptionsApi.WeeklyReportView>>(await _queue.ReportAsync(week)).Value!;
        var csv = await ExceptionQueue.WriteAsync(await _queue.ReportAsync(week, accept: "text/csv"));
        var csvByFormat = await ExceptionQueue.WriteAsync(await _queue.ReportAsync(week, format: "csv"));

        Assert.Equal(("2026-W10", 3, 1, 6.0), (json.Week, json.Opened, json.Resolved, json.MedianHoursToResolve));
        Assert.Equal([(SyncExceptionKind.MappingMissing, 2), (SyncExceptionKind.QboUnavailable, 1)], json.VolumeByKind.Select(v => (v.Kind, v.Opened)));
        Assert.Equal(RootCause.MasterData, json.TopRootCauses[0].RootCause);
        Assert.StartsWith("text/csv", csv.ContentType);
        Assert.StartsWith("section,name,value\r\n", csv.Body);
        Assert.Contains("volume,MappingMissing,2\r\n", csv.Body);
        Assert.Contains("time-to-resolve-hours,median,6.00\r\n", csv.Body);
        Assert.Equal(csv.Body, csvByFormat.Body);
    }
}
