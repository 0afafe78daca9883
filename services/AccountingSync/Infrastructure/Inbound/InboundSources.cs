namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>Where a change from QuickBooks was learnt (<see cref="Contracts.AccountingSync.QuickBooksEntityChanged.Source"/>, <see cref="Messages.ApplyQuickBooksChange.Source"/>).</summary>
public static class InboundSources
{
    public const string Webhook = "webhook";
    public const string Cdc = "cdc";
    public const string Reconciliation = "reconciliation";
}
