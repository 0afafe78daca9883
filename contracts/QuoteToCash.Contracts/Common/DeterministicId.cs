using System.Security.Cryptography;
using System.Text;

namespace QuoteToCash.Contracts;

/// <summary>
/// Name-based UUIDs (RFC 9562, version 5, SHA-1). The same inputs always give the same ID, on every
/// machine and in every release, which is what makes redelivery and QuickBooks <c>requestid</c>s safe.
/// </summary>
public static class DeterministicId
{
    /// <summary>The QuoteToCash namespace UUID. Never change it: every stored flow ID derives from it.</summary>
    public static readonly Guid Namespace = new("5b0c2a7e-4e8f-5d3a-9c61-0f2d7a9b3e11");

    public static Guid Create(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> ns = stackalloc byte[16];
        namespaceId.TryWriteBytes(ns, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        ns.CopyTo(input);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static Guid Create(params string[] parts) =>
        Create(Namespace, string.Join('\u001f', parts.Select(p => p ?? throw new ArgumentNullException(nameof(parts)))));
}

/// <summary>Flow and operation identities used across services.</summary>
public static class FlowId
{
    /// <summary>
    /// The flow of one CRM deal: tenant + source system + the CRM's own deal ID. Tenant and source are
    /// case-insensitive; the external ID is kept exactly as the CRM sends it.
    /// </summary>
    public static Guid For(string tenantId, string sourceSystem, string externalDealId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceSystem);
        ArgumentException.ThrowIfNullOrWhiteSpace(externalDealId);
        return DeterministicId.Create("flow", tenantId.Trim().ToLowerInvariant(), sourceSystem.Trim().ToLowerInvariant(), externalDealId.Trim());
    }

    /// <summary>A stable ID for one operation inside a flow, e.g. ("post-invoice", "1").</summary>
    public static Guid Operation(Guid flowId, string operation, string? key = null) =>
        DeterministicId.Create("operation", flowId.ToString("N"), operation, key ?? string.Empty);
}
