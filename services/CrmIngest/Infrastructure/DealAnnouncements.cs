using System.Security.Cryptography;
using System.Text.Json;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>What announcing a won deal's current state publishes: the deal the first time, a change when it changed, nothing when it did not.</summary>
public sealed record Announcement(DealWon? Won, DealChanged? Changed)
{
    public bool IsNew => Won is not null || Changed is not null;
}

/// <summary>
/// One DealWon per deal, from any intake: the same content again announces nothing; changed content of an announced
/// deal (amount, lines, billing terms) becomes DealChanged, an expansion when the amount grew; a deal won again after it
/// was reopened is announced again. The record of what was announced goes into the caller's unit of work, so it commits
/// with the message.
/// </summary>
public static class DealAnnouncements
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<StoredDocument<AnnouncedDeal>?> FindAsync(IDocumentStore store, Guid flowId, CancellationToken cancellationToken) =>
        store.Collection<AnnouncedDeal>(AnnouncedDeal.CollectionName).GetAsync(flowId.ToString("D"), cancellationToken);

    /// <summary>Decides what <paramref name="won"/> announces against what was announced before (<paramref name="announced"/>, read in this unit of work) and records it.</summary>
    public static Announcement Announce(IUnitOfWork unitOfWork, StoredDocument<AnnouncedDeal>? announced, DealWon won, DateTimeOffset changedAt, DateTime now)
    {
        var hash = ContentHash(won);
        var billing = won.Billing is null ? null : JsonSerializer.Serialize(won.Billing, Json);
        if (announced is null)
        {
            unitOfWork.Insert(AnnouncedDeal.CollectionName, won.FlowId.ToString("D"), new AnnouncedDeal
            {
                FlowId = won.FlowId, TenantId = won.TenantId, ContentHash = hash, Amount = won.Amount, AnnouncedAt = now, Currency = won.Currency, Billing = billing,
            });
            return new Announcement(won, null);
        }
        var deal = announced.Value;
        if (deal.Reopened)
        {
            // Won again after being reopened: billing starts from this state.
            deal.Reopened = false;
            deal.ContentHash = hash;
            deal.Amount = won.Amount;
            deal.AnnouncedAt = now;
            deal.Currency = won.Currency;
            deal.Billing = billing;
            unitOfWork.Replace(AnnouncedDeal.CollectionName, announced, deal);
            return new Announcement(won, null);
        }
        if (deal.ContentHash == hash)
            return new Announcement(null, null);
        var changed = new DealChanged
        {
            TenantId = won.TenantId,
            FlowId = won.FlowId,
            SourceSystem = won.SourceSystem,
            ExternalDealId = won.ExternalDealId,
            Lines = won.Lines,
            Amount = won.Amount,
            IsExpansion = won.Amount > deal.Amount,
            Billing = won.Billing,
            ChangedAt = changedAt,
        };
        deal.ContentHash = hash;
        deal.Amount = won.Amount;
        deal.Currency = won.Currency;
        deal.Billing = billing;
        deal.Changes++;
        unitOfWork.Replace(AnnouncedDeal.CollectionName, announced, deal);
        return new Announcement(null, changed);
    }

    /// <summary>An announced deal back in an open stage: winning it again announces it again. False when there is nothing to reopen.</summary>
    public static bool MarkReopened(IUnitOfWork unitOfWork, StoredDocument<AnnouncedDeal>? announced)
    {
        if (announced is null || announced.Value.Reopened)
            return false;
        announced.Value.Reopened = true;
        unitOfWork.Replace(AnnouncedDeal.CollectionName, announced, announced.Value);
        return true;
    }

    /// <summary>The billing terms last announced for the deal, or null when none are known.</summary>
    public static BillingTerms? TermsOf(AnnouncedDeal deal) =>
        string.IsNullOrEmpty(deal.Billing) ? null : JsonSerializer.Deserialize<BillingTerms>(deal.Billing, Json);

    /// <summary>Everything announced except the time it was reported: the same deal reported twice hashes the same.</summary>
    public static string ContentHash(DealWon won) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(won with { WonAt = default })));
}
