using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Exceptions;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Apis;
using QuoteToCash.Testing.Harness;
using QuoteToCash.Testing.Scenarios;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>
/// The exceptions API's handlers called as a request would call them (a fresh scope, the firm's billing specialist Maya
/// as the user), against a harness's store and bus; answers are written out as ASP.NET Core writes them.
/// </summary>
public sealed class ExceptionQueue(ServiceHarness harness)
{
    public static readonly ClaimsPrincipal Maya = Operators.User("maya", "billing-specialist");

    public async Task<ExceptionsApi.ExceptionPageView> ListAsync(string? status = null, string? kind = null, string? owner = null, Guid? flowId = null,
        int? page = null, int? pageSize = null)
    {
        var result = await ExceptionsApi.List(Tenant, status, kind, owner, flowId, page, pageSize, harness.Store, TestContext.Current.CancellationToken);
        return Assert.IsType<Ok<ExceptionsApi.ExceptionPageView>>(result.Result).Value!;
    }

    public async Task<IResult> ListResultAsync(string? status = null, string? kind = null) =>
        (await ExceptionsApi.List(Tenant, status, kind, null, null, null, null, harness.Store, TestContext.Current.CancellationToken)).Result;

    /// <summary>The one exception of the kind, once the bus has delivered what raised it.</summary>
    public async Task<ExceptionsApi.ExceptionView> SingleAsync(SyncExceptionKind kind, Func<ExceptionsApi.ExceptionSummaryView, bool>? match = null)
    {
        await Polling.Eventually(async () => (await ListAsync(kind: kind.ToString())).Items.Any(i => match?.Invoke(i) ?? true), TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(20));
        var summary = Assert.Single((await ListAsync(kind: kind.ToString())).Items, i => match?.Invoke(i) ?? true);
        return await GetAsync(summary.ExceptionId);
    }

    public async Task<ExceptionsApi.ExceptionView> GetAsync(Guid id)
    {
        var result = await ExceptionsApi.Get(Tenant, id, harness.Store, TestContext.Current.CancellationToken);
        return Assert.IsType<Ok<ExceptionsApi.ExceptionView>>(result.Result).Value!;
    }

    public Task<IResult> RetryAsync(Guid id) => InScope(async s => (await ExceptionsApi.Retry(Tenant, id, Maya, s.GetRequiredService<SyncExceptionBook>(),
        s.GetRequiredService<SyncExceptionRetry>(), s.GetRequiredService<IUnitOfWork>(), TestContext.Current.CancellationToken)).Result);

    public async Task<ExceptionsApi.BulkRetryView> BulkRetryAsync(ExceptionsApi.BulkRetryRequest request)
    {
        var result = await ExceptionsApi.BulkRetry(Tenant, request, Maya, harness.Store, harness.Services, TestContext.Current.CancellationToken);
        return Assert.IsType<Ok<ExceptionsApi.BulkRetryView>>(result.Result).Value!;
    }

    public Task<IResult> AssignAsync(Guid id, string owner, string? note = null) => InScope(async s => (await ExceptionsApi.Assign(Tenant, id,
        new ExceptionsApi.AssignRequest { Owner = owner, Note = note }, Maya, s.GetRequiredService<SyncExceptionBook>(), s.GetRequiredService<IUnitOfWork>(),
        TestContext.Current.CancellationToken)).Result);

    public Task<IResult> CommentAsync(Guid id, string text) => InScope(async s => (await ExceptionsApi.Comment(Tenant, id,
        new ExceptionsApi.CommentRequest { Text = text }, Maya, s.GetRequiredService<SyncExceptionBook>(), s.GetRequiredService<IUnitOfWork>(),
        TestContext.Current.CancellationToken)).Result);

    public Task<IResult> ResolveAsync(Guid id, string? note = null) => InScope(async s => (await ExceptionsApi.Resolve(Tenant, id,
        new ExceptionsApi.CloseRequest { Note = note }, Maya, s.GetRequiredService<SyncExceptionBook>(), s.GetRequiredService<IUnitOfWork>(),
        TestContext.Current.CancellationToken)).Result);

    public Task<IResult> IgnoreAsync(Guid id, string? note) => InScope(async s => (await ExceptionsApi.Ignore(Tenant, id,
        new ExceptionsApi.CloseRequest { Note = note }, Operators.User("olivia", "finance-manager"), s.GetRequiredService<SyncExceptionBook>(),
        s.GetRequiredService<IUnitOfWork>(), TestContext.Current.CancellationToken)).Result);

    public async Task<IResult> ReportAsync(string week, string? format = null, string? accept = null)
    {
        var http = new DefaultHttpContext().Request;
        if (accept is not null)
            http.Headers.Accept = accept;
        return (await ExceptionsApi.Report(Tenant, week, format, http, harness.Store, harness.Time, TestContext.Current.CancellationToken)).Result;
    }

    private async Task<IResult> InScope(Func<IServiceProvider, Task<IResult>> handler)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await handler(scope.ServiceProvider);
    }

    public static Task<ProblemAnswer> WriteAsync(IResult result) => ProblemAnswer.WriteAsync(result);
}
