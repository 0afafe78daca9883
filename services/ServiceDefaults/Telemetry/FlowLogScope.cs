using System.Collections;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// The logging scope of work done for one tenant and (when known) one quote-to-cash flow: every log line written inside
/// it carries <c>TenantId</c> and <c>FlowId</c> as structured fields (OpenTelemetry log attributes; JSON console
/// properties), next to the trace and span IDs the host adds. Only identifiers go in, never message bodies.
/// </summary>
public sealed class FlowLogScope(string? tenantId, Guid? flowId, string? messageType = null) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _fields = Fields(tenantId, flowId, messageType);

    private static KeyValuePair<string, object?>[] Fields(string? tenantId, Guid? flowId, string? messageType)
    {
        var fields = new List<KeyValuePair<string, object?>>(3);
        if (!string.IsNullOrEmpty(tenantId))
            fields.Add(new("TenantId", tenantId));
        if (flowId is { } flow && flow != Guid.Empty)
            fields.Add(new("FlowId", flow.ToString("D")));
        if (!string.IsNullOrEmpty(messageType))
            fields.Add(new("MessageType", messageType));
        return [.. fields];
    }

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    public int Count => _fields.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>How the scope reads in a plain-text log line.</summary>
    public override string ToString() => string.Join(", ", _fields.Select(f => $"{f.Key}:{f.Value}"));
}
