using Microsoft.Extensions.Options;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>With HubSpot:DataFile set, the HubSpot sandbox's state survives restarts (see <see cref="Shared.StatePersistence"/>).</summary>
public sealed class StatePersistence(HubSpotStore store, IOptions<HubSpotSandboxOptions> options, ILogger<StatePersistence> logger)
    : Shared.StatePersistence(store, options.Value.DataFile, "HubSpot", logger);
