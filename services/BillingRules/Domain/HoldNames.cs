namespace QuoteToCash.BillingRules.Domain;

/// <summary>A hold's name on the bus (<c>FlowHoldChanged.Hold</c>), the vocabulary the exception queue reads.</summary>
public static class HoldNames
{
    /// <summary>MissingMapping, ClosedBooks, PostingFailure, Currency, DealReopened or DealLostAfterInvoicing; null for no hold.</summary>
    public static string? Of(HoldReason reason) => reason switch
    {
        HoldReason.None => null,
        HoldReason.MappingMissing => "MissingMapping",
        HoldReason.ClosedBooks => "ClosedBooks",
        HoldReason.PostingFailed => "PostingFailure",
        HoldReason.CurrencyMismatch => "Currency",
        HoldReason.DealReopened => "DealReopened",
        HoldReason.DealLostAfterInvoicing => "DealLostAfterInvoicing",
        _ => reason.ToString(),
    };
}
