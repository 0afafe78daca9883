using Microsoft.Extensions.Options;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>With Salesforce:DataFile set, the Salesforce sandbox's state survives restarts (see <see cref="Shared.StatePersistence"/>).</summary>
public sealed class StatePersistence(SalesforceStore store, IOptions<SalesforceSandboxOptions> options, ILogger<StatePersistence> logger)
    : Shared.StatePersistence(store, options.Value.DataFile, "Salesforce", logger);
