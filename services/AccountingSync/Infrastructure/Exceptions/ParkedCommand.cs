using System.Text.Json;
using QuoteToCash.AccountingSync.Consumers;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.AccountingSync.Infrastructure.Exceptions;

/// <summary>
/// A command that reached accounting-sync while the tenant's QuickBooks authorisation had expired or was revoked. It is
/// kept (not failed) and published again, in the same commit that saves the renewed connection, so the realm's work
/// resumes by itself with nothing lost.
/// </summary>
public sealed class ParkedCommand
{
    public const string CollectionName = "parked-commands";

    public string TenantId { get; set; } = string.Empty;
    /// <summary>The command's CLR full name (a contract type).</summary>
    public string CommandType { get; set; } = string.Empty;
    public string CommandJson { get; set; } = string.Empty;
    public DateTimeOffset ParkedAt { get; set; }
    /// <summary>The trace the command arrived in; publishing it again continues that trace.</summary>
    public StoredTraceContext? Trace { get; set; }

    /// <summary>One parked copy per command content: a redelivery overwrites instead of parking it twice.</summary>
    public static string KeyFor(string tenantId, string commandType, string subject) => DeterministicId.Create("parked-command", tenantId, commandType, subject).ToString("N");

    public static void Park<T>(IUnitOfWork unitOfWork, string tenantId, string subject, T command, DateTimeOffset at) where T : class =>
        unitOfWork.Upsert(CollectionName, KeyFor(tenantId, typeof(T).FullName!, subject), new ParkedCommand
        {
            TenantId = tenantId,
            CommandType = typeof(T).FullName!,
            CommandJson = JsonSerializer.Serialize(command, JsonSerializerOptions.Web),
            ParkedAt = at,
            Trace = StoredTraceContext.Capture(),
        });

    /// <summary>Publishes every command parked for the tenant and removes it, in the caller's unit of work. Returns how many.</summary>
    public static async Task<int> ReleaseAsync(IUnitOfWork unitOfWork, string tenantId, CancellationToken cancellationToken)
    {
        var parked = await unitOfWork.Store.Collection<ParkedCommand>(CollectionName).FindAsync(p => p.TenantId == tenantId, cancellationToken: cancellationToken);
        foreach (var document in parked.OrderBy(p => p.Value.ParkedAt))
        {
            if (MessageFaults.Resolve(document.Value.CommandType) is { } type
                && JsonSerializer.Deserialize(document.Value.CommandJson, type, JsonSerializerOptions.Web) is { } command)
            {
                // The outbox record takes the current trace: the command's own, linked to the request that released it.
                using var trace = document.Value.Trace.ContinueTrace("release parked command");
                unitOfWork.Publish(command);
            }
            unitOfWork.Delete(CollectionName, document.Id, document.Version);
        }
        return parked.Count;
    }
}
