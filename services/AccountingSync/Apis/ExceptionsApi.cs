using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Apis;

/// <summary>
/// The exception queue finance works from every day (ACC-4): list and filter, read one, assign, comment, retry (one or a
/// filtered set at once), resolve, ignore, and the weekly report as JSON or CSV. Anyone with access to the tenant reads;
/// finance (admin, finance manager, billing specialist) acts; ignoring needs a finance manager.
/// </summary>
public static class ExceptionsApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapExceptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounting/{tenant}/exceptions").RequireTenantAccess().WithTags("Sync exceptions");
        api.MapGet("/", List);
        api.MapGet("/report", Report);
        api.MapGet("/{id:guid}", Get);
        api.MapPost("/retry", BulkRetry).RequireAuthorization(Policies.Finance);
        api.MapPost("/{id:guid}/assign", Assign).RequireAuthorization(Policies.Finance);
        api.MapPost("/{id:guid}/comment", Comment).RequireAuthorization(Policies.Finance);
        api.MapPost("/{id:guid}/retry", Retry).RequireAuthorization(Policies.Finance);
        api.MapPost("/{id:guid}/resolve", Resolve).RequireAuthorization(Policies.Finance);
        api.MapPost("/{id:guid}/ignore", Ignore).RequireAuthorization(Policies.FinanceManager);
        return app;
    }

    public sealed record ExceptionSummaryView(Guid ExceptionId, SyncExceptionKind Kind, SyncExceptionStatus Status, RootCause RootCause, string Entity,
        string EntityId, string Operation, Guid? FlowId, string? DealRef, string? AccountingId, string Message, string SuggestedFix, string? Owner,
        DateTimeOffset OpenedAt, DateTimeOffset SlaDue, bool SlaBreached, int Occurrences, DateTimeOffset LastSeen, bool Retryable);

    public sealed record CommentView(string By, DateTimeOffset At, string Text);

    public sealed record HistoryView(SyncExceptionStatus? From, SyncExceptionStatus To, string By, DateTimeOffset At, string Why);

    public sealed record ExceptionView(Guid ExceptionId, SyncExceptionKind Kind, SyncExceptionStatus Status, RootCause RootCause, string Entity,
        string EntityId, string Operation, Guid? FlowId, string? DealRef, string? AccountingId, string? RequestId, string Message, string SuggestedFix,
        string? Detail, string? Owner, DateTimeOffset OpenedAt, DateTimeOffset SlaDue, DateTimeOffset? SlaBreachedAt, int Occurrences,
        DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset? ClosedAt, string? ClosedBy, bool ResolvedAutomatically, int Retries,
        DateTimeOffset? LastRetriedAt, bool Retryable, string? WhyNotRetryable, IReadOnlyList<CommentView> Comments, IReadOnlyList<HistoryView> History);

    public sealed record ExceptionPageView(int Total, int Page, int PageSize, IReadOnlyDictionary<SyncExceptionStatus, int> CountsByStatus,
        IReadOnlyList<ExceptionSummaryView> Items);

    public sealed record RetryView(string Retried, ExceptionView Exception);

    public sealed record SkippedView(Guid ExceptionId, string Reason);

    public sealed record BulkRetryView(int Matched, int Retried, IReadOnlyList<SkippedView> Skipped);

    public sealed record KindVolumeView(SyncExceptionKind Kind, int Opened, int Occurrences);

    public sealed record RootCauseView(RootCause RootCause, int Opened);

    public sealed record WeeklyReportView(string Week, DateTimeOffset From, DateTimeOffset To, int Opened, int Resolved, int ResolvedAutomatically, int Ignored,
        int StillOpen, IReadOnlyList<KindVolumeView> VolumeByKind, double? MedianHoursToResolve, double? P90HoursToResolve,
        IReadOnlyList<RootCauseView> TopRootCauses);

    public sealed record AssignRequest
    {
        public string? Owner { get; init; }
        public string? Note { get; init; }
    }

    public sealed record CommentRequest
    {
        public string? Text { get; init; }
    }

    /// <summary>Resolve: an optional note; ignore: the reason, required.</summary>
    public sealed record CloseRequest
    {
        public string? Note { get; init; }
    }

    /// <summary>Which exceptions to retry: the IDs, and/or a filter. With neither, every open or assigned retryable exception of the tenant.</summary>
    public sealed record BulkRetryRequest
    {
        public string? Kind { get; init; }
        public string? Status { get; init; }
        public string? Owner { get; init; }
        public List<Guid>? Ids { get; init; }
    }

    public static ExceptionSummaryView Summary(SyncExceptionRecord r) => new(r.ExceptionId, r.Kind, r.Status, r.RootCause, r.Entity, r.EntityId, r.Operation,
        r.FlowId, r.DealRef, r.AccountingId, r.Message, r.SuggestedFix, r.Owner, r.OpenedAt, r.SlaDue, r.SlaBreachedAt is not null, r.Occurrences, r.LastSeen,
        ExceptionRules.WhyNotRetryable(r.Kind, r.Entity) is null);

    public static ExceptionView View(SyncExceptionRecord r) => new(r.ExceptionId, r.Kind, r.Status, r.RootCause, r.Entity, r.EntityId, r.Operation, r.FlowId,
        r.DealRef, r.AccountingId, r.RequestId, r.Message, r.SuggestedFix, r.Detail, r.Owner, r.OpenedAt, r.SlaDue, r.SlaBreachedAt, r.Occurrences,
        r.FirstSeen, r.LastSeen, r.ClosedAt, r.ClosedBy, r.ResolvedAutomatically, r.Retries, r.LastRetriedAt, ExceptionRules.WhyNotRetryable(r.Kind, r.Entity) is null,
        ExceptionRules.WhyNotRetryable(r.Kind, r.Entity)?.Replace("{tenant}", r.TenantId, StringComparison.Ordinal),
        r.Comments.Select(c => new CommentView(c.By, c.At, c.Text)).ToList(), r.History.Select(h => new HistoryView(h.From, h.To, h.By, h.At, h.Why)).ToList());

    /// <summary>Newest first; counts by status cover the other filters, so every status tab shows its number.</summary>
    public static async Task<Results<Ok<ExceptionPageView>, ValidationProblem>> List(string tenant, string? status, string? kind, string? owner, Guid? flowId,
        int? page, int? pageSize, IDocumentStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = ParseEnum<SyncExceptionStatus>(status, "status", errors);
        var kindFilter = ParseEnum<SyncExceptionKind>(kind, "kind", errors);
        if (page is < 1)
            errors["page"] = ["Pages start at 1."];
        if (pageSize is < 1 or > MaxPageSize)
            errors["pageSize"] = [$"A page holds 1 to {MaxPageSize} exceptions."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The exception filter is not valid");

        var matching = (await LoadAsync(store, tenant, cancellationToken))
            .Where(r => kindFilter is null || r.Kind == kindFilter)
            .Where(r => owner is null || string.Equals(r.Owner, owner.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(r => flowId is null || r.FlowId == flowId)
            .ToList();
        var counts = Enum.GetValues<SyncExceptionStatus>().ToDictionary(s => s, s => matching.Count(r => r.Status == s));
        var shown = matching.Where(r => statusFilter is null || r.Status == statusFilter).OrderByDescending(r => r.OpenedAt).ThenByDescending(r => r.ExceptionId).ToList();
        var size = pageSize ?? DefaultPageSize;
        var number = page ?? 1;
        return TypedResults.Ok(new ExceptionPageView(shown.Count, number, size, counts,
            shown.Skip((number - 1) * size).Take(size).Select(Summary).ToList()));
    }

    public static async Task<Results<Ok<ExceptionView>, ProblemHttpResult>> Get(string tenant, Guid id, IDocumentStore store, CancellationToken cancellationToken) =>
        await store.GetForTenantAsync<SyncExceptionRecord>(SyncExceptionRecord.CollectionName, SyncExceptionRecord.KeyFor(id), tenant, r => r.TenantId, cancellationToken)
            is { } record
            ? TypedResults.Ok(View(record))
            : NotFound(tenant, id);

    public static async Task<Results<Ok<ExceptionView>, ValidationProblem, ProblemHttpResult>> Assign(string tenant, Guid id, AssignRequest request,
        ClaimsPrincipal user, SyncExceptionBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Owner) || request.Owner.Trim().Length > 200)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["owner"] = ["Name who owns the exception (at most 200 characters)."] },
                title: "The exception was not assigned");
        var document = await book.FindAsync(tenant, id, cancellationToken);
        if (document is null)
            return NotFound(tenant, id);
        if (!ExceptionRules.CanMove(document.Value.Status, SyncExceptionStatus.Assigned))
            return Closed(document.Value, "assigned");
        book.Assign(document, request.Owner.Trim(), Actor(user), string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim());
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Ok(View(document.Value));
    }

    public static async Task<Results<Ok<ExceptionView>, ValidationProblem, ProblemHttpResult>> Comment(string tenant, Guid id, CommentRequest request,
        ClaimsPrincipal user, SyncExceptionBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 4000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["Write the comment (at most 4,000 characters)."] },
                title: "The comment was not added");
        var document = await book.FindAsync(tenant, id, cancellationToken);
        if (document is null)
            return NotFound(tenant, id);
        book.Comment(document, request.Text.Trim(), Actor(user));
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Ok(View(document.Value));
    }

    public static async Task<Results<Ok<ExceptionView>, ProblemHttpResult>> Resolve(string tenant, Guid id, CloseRequest? request, ClaimsPrincipal user,
        SyncExceptionBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken) =>
        await CloseAsync(tenant, id, SyncExceptionStatus.Resolved, string.IsNullOrWhiteSpace(request?.Note) ? "resolved" : request.Note.Trim(), user, book,
            unitOfWork, cancellationToken);

    public static async Task<Results<Ok<ExceptionView>, ValidationProblem, ProblemHttpResult>> Ignore(string tenant, Guid id, CloseRequest? request,
        ClaimsPrincipal user, SyncExceptionBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Note))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["Say why the exception is ignored; the reason stays in its history."] },
                title: "The exception was not ignored");
        return await CloseAsync(tenant, id, SyncExceptionStatus.Ignored, request.Note.Trim(), user, book, unitOfWork, cancellationToken) switch
        {
            { Result: Ok<ExceptionView> ok } => ok,
            { Result: ProblemHttpResult problem } => problem,
            var other => throw new InvalidOperationException($"Unexpected result {other.Result}"),
        };
    }

    private static async Task<Results<Ok<ExceptionView>, ProblemHttpResult>> CloseAsync(string tenant, Guid id, SyncExceptionStatus to, string why,
        ClaimsPrincipal user, SyncExceptionBook book, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var document = await book.FindAsync(tenant, id, cancellationToken);
        if (document is null)
            return NotFound(tenant, id);
        if (!ExceptionRules.CanMove(document.Value.Status, to))
            return Closed(document.Value, to == SyncExceptionStatus.Resolved ? "resolved" : "ignored");
        book.Close(document, to, Actor(user), why);
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Ok(View(document.Value));
    }

    /// <summary>Re-runs the exception's operation (see <see cref="SyncExceptionRetry"/>); 409 when it cannot be retried, saying why.</summary>
    public static async Task<Results<Ok<RetryView>, ProblemHttpResult>> Retry(string tenant, Guid id, ClaimsPrincipal user, SyncExceptionBook book,
        SyncExceptionRetry retry, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var document = await book.FindAsync(tenant, id, cancellationToken);
        if (document is null)
            return NotFound(tenant, id);
        var outcome = await retry.RetryAsync(document, Actor(user), cancellationToken);
        if (outcome.Refusal is { } refusal)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This exception cannot be retried", detail: refusal);
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Ok(new RetryView(outcome.Retried!, View(document.Value)));
    }

    /// <summary>
    /// Retries every open or assigned exception the filter matches, each on its own (one that cannot be retried is listed
    /// with the reason and does not stop the others). Answers how many matched and how many were retried.
    /// </summary>
    public static async Task<Results<Ok<BulkRetryView>, ValidationProblem>> BulkRetry(string tenant, BulkRetryRequest? request, ClaimsPrincipal user,
        IDocumentStore store, IServiceProvider services, CancellationToken cancellationToken)
    {
        request ??= new BulkRetryRequest();
        var errors = new Dictionary<string, string[]>();
        var kind = ParseEnum<SyncExceptionKind>(request.Kind, "kind", errors);
        var status = ParseEnum<SyncExceptionStatus>(request.Status, "status", errors);
        if (status is { } s && !ExceptionRules.IsActive(s))
            errors["status"] = ["Only open or assigned exceptions can be retried."];
        if (request.Ids is { Count: > 10_000 })
            errors["ids"] = ["At most 10,000 exceptions at once."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The retry filter is not valid");

        var ids = request.Ids?.ToHashSet();
        var matching = (await LoadAsync(store, tenant, cancellationToken))
            .Where(r => ExceptionRules.IsActive(r.Status) && (status is null || r.Status == status) && (kind is null || r.Kind == kind)
                        && (request.Owner is null || string.Equals(r.Owner, request.Owner.Trim(), StringComparison.OrdinalIgnoreCase))
                        && (ids is null || ids.Contains(r.ExceptionId)))
            .OrderBy(r => r.OpenedAt)
            .ToList();
        var skipped = new List<SkippedView>();
        var retried = 0;
        var actor = Actor(user);
        foreach (var record in matching)
        {
            // Each retry commits on its own, so one conflict or refusal never holds back the rest.
            await using var scope = services.CreateAsyncScope();
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            var book = scope.ServiceProvider.GetRequiredService<SyncExceptionBook>();
            var document = await book.FindAsync(tenant, record.ExceptionId, cancellationToken);
            if (document is null)
                continue;
            try
            {
                var outcome = await scope.ServiceProvider.GetRequiredService<SyncExceptionRetry>().RetryAsync(document, actor, cancellationToken);
                if (outcome.Refusal is { } refusal)
                {
                    skipped.Add(new SkippedView(record.ExceptionId, refusal));
                    continue;
                }
                await unitOfWork.CommitAsync(cancellationToken);
                retried++;
            }
            catch (DocumentStoreException)
            {
                skipped.Add(new SkippedView(record.ExceptionId, "It changed while being retried (someone else acted on it); look at it again."));
            }
        }
        return TypedResults.Ok(new BulkRetryView(matching.Count, retried, skipped));
    }

    /// <summary>The weekly sync-exception report (this week unless <paramref name="week"/> names one, e.g. 2026-W48), as JSON, or CSV with <c>format=csv</c> or <c>Accept: text/csv</c>.</summary>
    public static async Task<Results<Ok<WeeklyReportView>, ContentHttpResult, ValidationProblem>> Report(string tenant, string? week, string? format,
        HttpRequest http, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        week = string.IsNullOrWhiteSpace(week) ? WeeklyExceptionReport.WeekOf(time.GetUtcNow()) : week.Trim();
        var errors = new Dictionary<string, string[]>();
        if (WeeklyExceptionReport.ParseWeek(week) is null)
            errors["week"] = [$"'{week}' is not an ISO week; write it like 2026-W48."];
        if (format is not null && format is not ("csv" or "json"))
            errors["format"] = ["Use format=csv or format=json."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The report cannot be made for that");

        var report = WeeklyExceptionReport.For(week, (await LoadAsync(store, tenant, cancellationToken)).Select(r => r.Facts()));
        var csv = format == "csv" || (format is null && http.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true));
        if (csv)
            return TypedResults.Text(report.ToCsv(), "text/csv; charset=utf-8");
        return TypedResults.Ok(new WeeklyReportView(report.Week, report.From, report.To, report.Opened, report.Resolved, report.ResolvedAutomatically,
            report.Ignored, report.StillOpen, report.VolumeByKind.Select(v => new KindVolumeView(v.Kind, v.Opened, v.Occurrences)).ToList(),
            report.MedianTimeToResolve?.TotalHours, report.P90TimeToResolve?.TotalHours,
            report.TopRootCauses.Select(c => new RootCauseView(c.RootCause, c.Opened)).ToList()));
    }

    private static async Task<List<SyncExceptionRecord>> LoadAsync(IDocumentStore store, string tenant, CancellationToken cancellationToken) =>
        (await store.Collection<SyncExceptionRecord>(SyncExceptionRecord.CollectionName).FindAsync(r => r.TenantId == tenant, cancellationToken: cancellationToken))
        .Select(d => d.Value).ToList();

    private static T? ParseEnum<T>(string? value, string field, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !value.Trim().All(char.IsAsciiDigit))
            return parsed;
        errors[field] = [$"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}."];
        return null;
    }

    private static ProblemHttpResult NotFound(string tenant, Guid id) =>
        ApiProblems.NotFound("No such exception", $"Tenant '{tenant}' has no sync exception {id}.");

    private static ProblemHttpResult Closed(SyncExceptionRecord record, string action) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The exception cannot be {action}",
            detail: $"The exception is {record.Status.ToString().ToLowerInvariant()} already ({record.History.LastOrDefault()?.Why}); a new failure opens a new exception.");

    internal static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? user.FindFirstValue("sub") ?? "unknown";
}
