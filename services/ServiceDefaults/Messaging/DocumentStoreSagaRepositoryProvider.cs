using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>The collection a saga's instances live in.</summary>
public sealed record SagaCollection<TSaga>(string Name) where TSaga : class, ISaga;

/// <summary>
/// MassTransit saga repository on the document-store port with optimistic concurrency: an instance is
/// written only if its version is still the one that was loaded. A conflict throws, and the endpoint's
/// retry policy re-runs the message against the fresh instance. Writes join the consume's unit of work,
/// so the saga's new state and the messages it sends commit together.
/// </summary>
public sealed class StoreSagaRepositoryContextFactory<TSaga>(
    IDocumentStore store,
    UnitOfWork unitOfWork,
    SagaCollection<TSaga> collection,
    ISagaConsumeContextFactory<IDocumentStore, TSaga> factory)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class =>
        next.Send(new StoreSagaRepositoryContext<TSaga, T>(store, unitOfWork, collection.Name, context, factory));

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var repositoryContext = new StoreSagaRepositoryContext<TSaga, T>(store, unitOfWork, collection.Name, context, factory);
        var found = await store.Collection<TSaga>(collection.Name).FindAsync(query.FilterExpression, cancellationToken: context.CancellationToken);
        var instances = found.Select(repositoryContext.Track).ToList();
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class => asyncMethod(new StoreSagaQueryContext<TSaga>(store, collection.Name, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class => asyncMethod(new StoreSagaQueryContext<TSaga>(store, collection.Name, cancellationToken));

    public void Probe(ProbeContext context) => context.Add("persistence", $"document-store:{store.Engine}");
}

internal sealed class StoreSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly Dictionary<Guid, long> _versions = [];
    private readonly IDocumentStore store;
    private readonly UnitOfWork unitOfWork;
    private readonly string collection;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<IDocumentStore, TSaga> factory;

    public StoreSagaRepositoryContext(IDocumentStore store, UnitOfWork unitOfWork, string collection, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<IDocumentStore, TSaga> factory)
        : base(consumeContext)
    {
        this.store = store;
        this.unitOfWork = unitOfWork;
        this.collection = collection;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public TSaga Track(StoredDocument<TSaga> document)
    {
        _versions[document.Value.CorrelationId] = document.Version;
        if (document.Value is ISagaVersion versioned)
            versioned.Version = (int)document.Version;
        return document.Value;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance, SagaConsumeContextMode mode)
        where T : class => factory.CreateSagaConsumeContext(store, context, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        try
        {
            await store.InsertAsync(collection, Key(instance.CorrelationId), instance, CancellationToken);
        }
        catch (DuplicateDocumentException)
        {
            return default!; // exists already: MassTransit falls back to Load
        }
        _versions[instance.CorrelationId] = 1;
        return await factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var document = await store.Collection<TSaga>(collection).GetAsync(Key(correlationId), CancellationToken);
        if (document is null)
            return default!;
        return await factory.CreateSagaConsumeContext(store, consumeContext, Track(document), SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context)
    {
        if (context.Saga is ISagaVersion versioned)
            versioned.Version = 1;
        unitOfWork.Insert(collection, Key(context.Saga.CorrelationId), context.Saga);
        return CommitUnlessConsuming();
    }

    public Task Update(SagaConsumeContext<TSaga> context)
    {
        var expected = LoadedVersion(context.Saga.CorrelationId);
        if (context.Saga is ISagaVersion versioned)
            versioned.Version = (int)expected + 1;
        unitOfWork.Replace(collection, Key(context.Saga.CorrelationId), context.Saga, expected);
        return CommitUnlessConsuming();
    }

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        unitOfWork.Delete(collection, Key(context.Saga.CorrelationId), LoadedVersion(context.Saga.CorrelationId));
        return CommitUnlessConsuming();
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    private long LoadedVersion(Guid correlationId) =>
        _versions.TryGetValue(correlationId, out var version)
            ? version
            : throw new InvalidOperationException($"Saga {typeof(TSaga).Name} {correlationId} was not loaded through this repository context.");

    private Task CommitUnlessConsuming() => unitOfWork.InConsume ? Task.CompletedTask : unitOfWork.CommitAsync(CancellationToken);

    internal static string Key(Guid correlationId) => correlationId.ToString("D");
}

internal sealed class StoreSagaQueryContext<TSaga>(IDocumentStore store, string collection, CancellationToken cancellationToken)
    : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>, QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public async Task<TSaga> Load(Guid correlationId)
    {
        var document = await store.Collection<TSaga>(collection).GetAsync(correlationId.ToString("D"), CancellationToken);
        return document?.Value!;
    }

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var found = await store.Collection<TSaga>(collection).FindAsync(query.FilterExpression, cancellationToken: cancellationToken);
        return new DefaultSagaRepositoryQueryContext<TSaga>(this, found.Select(d => d.Value.CorrelationId).ToList());
    }
}

/// <summary>Registers the document-store saga repository for every saga added to the bus.</summary>
public sealed class DocumentStoreSagaRepositoryProvider : ISagaRepositoryRegistrationProvider
{
    public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator) where TSaga : class, ISaga =>
        configurator.DocumentStoreRepository();
}

public static class StoreSagaRepositoryExtensions
{
    /// <summary>Keeps the saga's instances in the service's document store, in collection "saga-{saga type}".</summary>
    public static ISagaRegistrationConfigurator<TSaga> DocumentStoreRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator,
        string? collectionName = null) where TSaga : class, ISaga =>
        configurator.Repository(r =>
        {
            r.TryAddSingleton(new SagaCollection<TSaga>(collectionName ?? "saga-" + KebabCaseEndpointNameFormatter.Instance.SanitizeName(typeof(TSaga).Name)));
            r.TryAddSingleton<ISagaConsumeContextFactory<IDocumentStore, TSaga>, SagaConsumeContextFactory<IDocumentStore, TSaga>>();
            r.RegisterLoadSagaRepository<TSaga, StoreSagaRepositoryContextFactory<TSaga>>();
            r.RegisterQuerySagaRepository<TSaga, StoreSagaRepositoryContextFactory<TSaga>>();
            r.RegisterSagaRepository<TSaga, IDocumentStore, SagaConsumeContextFactory<IDocumentStore, TSaga>, StoreSagaRepositoryContextFactory<TSaga>>();
        });
}
