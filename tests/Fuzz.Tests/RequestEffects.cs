using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Http;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// What each fuzz request changed: the store writes it committed and the messages it published or sent, counted per
/// request by the <see cref="CaseHeader"/> it carries. Work a host does in the background (the outbox dispatcher,
/// consumers of earlier, accepted requests) has no request and is not counted against any case.
/// </summary>
public sealed class RequestEffects(IHttpContextAccessor accessor) : IPublishObserver, ISendObserver
{
    public const string CaseHeader = "X-Fuzz-Case";

    private readonly ConcurrentDictionary<string, int> _writes = new();
    private readonly ConcurrentDictionary<string, int> _messages = new();

    public int WritesOf(string caseId) => _writes.GetValueOrDefault(caseId);

    public int MessagesOf(string caseId) => _messages.GetValueOrDefault(caseId);

    private string? CurrentCase() =>
        accessor.HttpContext?.Request.Headers[CaseHeader].ToString() is { Length: > 0 } id ? id : null;

    internal void Committed(int writes)
    {
        if (CurrentCase() is { } id)
            _writes.AddOrUpdate(id, writes, (_, n) => n + writes);
    }

    private Task Message()
    {
        if (CurrentCase() is { } id)
            _messages.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Message();
    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    public Task PreSend<T>(SendContext<T> context) where T : class => Message();
    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;
    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>The service's own store, with every committed write reported to <see cref="RequestEffects"/>.</summary>
internal sealed class CountingDocumentStore(IDocumentStore inner, RequestEffects effects) : IDocumentStore
{
    public string Engine => inner.Engine;

    public IDocumentCollection<T> Collection<T>(string name) where T : class => inner.Collection<T>(name);

    public async Task CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        await inner.CommitAsync(writes, cancellationToken);
        effects.Committed(writes.Count);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
