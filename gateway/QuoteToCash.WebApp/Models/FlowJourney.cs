namespace QuoteToCash.WebApp.Models;

/// <summary>One step of a deal's journey: what happened, when, and how long it was until the next step.</summary>
public sealed record JourneyStep(string Event, DateTime At, TimeSpan? Took, TimelineEntry Entry);

/// <summary>A deal's journey from reporting's timeline: each state with its time and the time it took to reach the next.</summary>
public static class FlowJourney
{
    public static IReadOnlyList<JourneyStep> From(Timeline timeline)
    {
        var entries = timeline.Entries.OrderBy(e => e.At).ToList();
        return entries.Select((e, i) => new JourneyStep(e.Event, e.At, i + 1 < entries.Count ? entries[i + 1].At - e.At : null, e)).ToList();
    }

    /// <summary>An event name in words: "InvoicePosted" → "Invoice posted".</summary>
    public static string Words(string name) => ExceptionVocabulary.Words(name);

    /// <summary>The deal's address in its CRM, from the configured template; null for a source without one.</summary>
    public static string? CrmLink(Extensions.WebAppOptions.LinkOptions links, string tenant, string source, string dealId) => source.ToLowerInvariant() switch
    {
        "hubspot" => Fill(links.HubSpotDeal, tenant, dealId, links.HubSpotPortals.GetValueOrDefault(tenant)),
        "salesforce" => Fill(links.SalesforceOpportunity, tenant, dealId, null),
        _ => null,
    };

    public static string? QuickBooksLink(Extensions.WebAppOptions.LinkOptions links, string tenant, string? invoiceId) =>
        invoiceId is null ? null : Fill(links.QuickBooksInvoice, tenant, invoiceId, null);

    private static string? Fill(string template, string tenant, string id, string? portal)
    {
        if (string.IsNullOrWhiteSpace(template) || (template.Contains("{portal}", StringComparison.Ordinal) && portal is null))
            return null;
        return template.Replace("{tenant}", Uri.EscapeDataString(tenant), StringComparison.Ordinal)
            .Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal)
            .Replace("{portal}", Uri.EscapeDataString(portal ?? ""), StringComparison.Ordinal);
    }
}
