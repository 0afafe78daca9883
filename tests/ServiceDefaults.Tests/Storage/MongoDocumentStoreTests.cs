using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(MongoDbServer))]
[assembly: AssemblyFixture(typeof(RabbitMqBroker))]

namespace QuoteToCash.ServiceDefaults.Tests.Storage;

/// <summary>The same contract against MongoDB: runs with MONGODB_URI (a replica set) or Docker, otherwise skips saying so.</summary>
public sealed class MongoDocumentStoreTests(MongoDbServer server) : DocumentStoreContract
{
    private readonly string _database = "q2c_contract_" + Guid.NewGuid().ToString("N")[..10];
    private MongoDocumentStore? _store;

    protected override IDocumentStore Store
    {
        get
        {
            Assert.SkipWhen(server.Unavailable is not null, server.Unavailable ?? string.Empty);
            return _store ??= new MongoDocumentStore(server.ConnectionString!, _database);
        }
    }
}
