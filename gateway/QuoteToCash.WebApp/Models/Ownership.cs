using QuoteToCash.Reporting.Domain.Kpis;

namespace QuoteToCash.WebApp.Models;

/// <summary>The RACI of a tenant's queues and data domains, as the pages show "who is responsible" on each item.</summary>
public sealed class Ownership(OwnershipView? view)
{
    public const string ExceptionsQueue = "sync-exceptions";
    public const string ReviewsQueue = "master-data-reviews";
    public const string ApprovalsQueue = "approvals";

    public static readonly Ownership Unknown = new(null);

    public bool Known => view is not null;

    public IReadOnlyList<RaciView> Entries => view?.Entries ?? [];

    /// <summary>The responsible people of a queue or domain, or null when nobody is named.</summary>
    public string? Responsible(string area, string name)
    {
        var entry = Entries.FirstOrDefault(e => string.Equals(e.Area, area, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        return entry is { Responsible.Count: > 0 } ? string.Join(", ", entry.Responsible) : null;
    }

    public string? ResponsibleForQueue(string queue) => Responsible("queue", queue);
}
