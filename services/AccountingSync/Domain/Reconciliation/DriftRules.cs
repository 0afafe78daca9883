using System.Globalization;
using QuoteToCash.AccountingSync.Domain.Inbound;

namespace QuoteToCash.AccountingSync.Domain.Reconciliation;

/// <summary>The ways an invoice in QuickBooks can differ from what the platform knows.</summary>
public enum DriftKind
{
    /// <summary>The invoice is gone from QuickBooks though the platform never heard of its deletion.</summary>
    Missing,
    /// <summary>The total differs from what was posted (someone edited the invoice).</summary>
    TotalChanged,
    /// <summary>QuickBooks shows less owed than the platform knew: a payment or credit was missed.</summary>
    BalanceLower,
    /// <summary>QuickBooks shows more owed than the platform knew: a payment was removed or reduced there.</summary>
    BalanceHigher,
    /// <summary>Voided in QuickBooks while the platform still has it open.</summary>
    StatusChanged,
    /// <summary>The invoice now belongs to another QuickBooks customer.</summary>
    CustomerChanged,
}

/// <summary>What the platform knows about an invoice it posted.</summary>
public sealed record ExpectedInvoice(PostedInvoiceState State, decimal Total, decimal Balance, string? CustomerRef);

/// <summary>What QuickBooks holds for it; null when the Id query did not return it.</summary>
public sealed record ObservedInvoice(decimal Total, decimal Balance, bool Voided, string? CustomerRef);

/// <summary>One difference, with the figures on both sides (amounts typed, states and customers as text).</summary>
public sealed record InvoiceDrift(DriftKind Kind, decimal? ExpectedAmount, decimal? ActualAmount, string? ExpectedValue, string? ActualValue)
{
    /// <summary>The difference in finance's words.</summary>
    public string Describe() => Kind switch
    {
        DriftKind.Missing => "the invoice no longer exists in QuickBooks",
        DriftKind.TotalChanged => $"the total is {Money(ActualAmount)} in QuickBooks but {Money(ExpectedAmount)} was posted",
        DriftKind.BalanceLower => $"QuickBooks shows {Money(ActualAmount)} still owed where the platform knew {Money(ExpectedAmount)}: a payment or credit was not received by the platform",
        DriftKind.BalanceHigher => $"QuickBooks shows {Money(ActualAmount)} still owed where the platform knew {Money(ExpectedAmount)}: a payment was removed or reduced in QuickBooks",
        DriftKind.StatusChanged => $"the invoice is {ActualValue} in QuickBooks but {ExpectedValue} in the platform",
        _ => $"the invoice belongs to QuickBooks customer {ActualValue ?? "(none)"} but was posted to {ExpectedValue ?? "(none)"}",
    };

    private static string Money(decimal? amount) => amount?.ToString("N2", CultureInfo.InvariantCulture) ?? "nothing";
}

/// <summary>
/// Compares one posted invoice with QuickBooks (ACC-6): existence, total, balance, status and customer. An invoice the
/// platform already knows to be voided or deleted only drifts if QuickBooks disagrees about that.
/// </summary>
public static class DriftRules
{
    public static IReadOnlyList<InvoiceDrift> Compare(ExpectedInvoice expected, ObservedInvoice? observed)
    {
        var drifts = new List<InvoiceDrift>();
        if (expected.State == PostedInvoiceState.Deleted)
            return drifts; // deleted in QuickBooks and known here; a deleted Id cannot come back
        if (observed is null)
        {
            drifts.Add(new InvoiceDrift(DriftKind.Missing, null, null, State(expected.State), "Deleted"));
            return drifts;
        }
        if (expected.State == PostedInvoiceState.Voided)
            return drifts; // voided there and known here; QuickBooks has no un-void
        if (observed.Voided)
        {
            drifts.Add(new InvoiceDrift(DriftKind.StatusChanged, expected.Balance, observed.Balance, State(expected.State), "Voided"));
            return drifts;
        }
        if (Round(observed.Total) != Round(expected.Total))
            drifts.Add(new InvoiceDrift(DriftKind.TotalChanged, expected.Total, observed.Total, null, null));
        if (Round(observed.Balance) < Round(expected.Balance))
            drifts.Add(new InvoiceDrift(DriftKind.BalanceLower, expected.Balance, observed.Balance, null, null));
        else if (Round(observed.Balance) > Round(expected.Balance))
            drifts.Add(new InvoiceDrift(DriftKind.BalanceHigher, expected.Balance, observed.Balance, null, null));
        if (expected.CustomerRef is not null && !string.Equals(expected.CustomerRef, observed.CustomerRef, StringComparison.Ordinal))
            drifts.Add(new InvoiceDrift(DriftKind.CustomerChanged, null, null, expected.CustomerRef, observed.CustomerRef));
        return drifts;
    }

    private static string State(PostedInvoiceState state) => state.ToString();

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
