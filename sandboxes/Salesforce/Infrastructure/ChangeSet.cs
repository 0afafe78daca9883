using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>A DML error raised inside the store and turned into Salesforce's error body at the edge.</summary>
public sealed class DmlException(SfError error) : Exception(error.Message)
{
    public SfError Error { get; } = error;
}

/// <summary>The record-level changes of one request (one transaction), for change events and outbound messages.</summary>
internal sealed class ChangeSet(SfCaller caller, DateTimeOffset now)
{
    public SfCaller Caller { get; } = caller;
    public DateTimeOffset Now { get; } = now;
    public string TransactionKey { get; } = Guid.NewGuid().ToString();
    public bool Silent { get; init; }
    public List<RecordChange> Changes { get; } = [];
}

/// <summary>One committed change of one record; Fields holds the payload values (all on CREATE, the changed ones on UPDATE).</summary>
internal sealed record RecordChange(
    string ChangeType, SObjectType Type, string RecordId, Dictionary<string, JsonNode?> Fields,
    IReadOnlyList<string> ChangedFields, IReadOnlyList<string> NulledFields, bool BecameWon);
