namespace QuoteToCash.AccountingSync.Domain;

/// <summary>The Kind a failed posting or adjustment reports to its peer: the fault's kind in the names the contracts document. Pure.</summary>
public static class FailureKinds
{
    public const string NotConnected = "NotConnected";
    public const string ClosedPeriod = "ClosedPeriod";
    public const string DuplicateDocNumber = "DuplicateDocNumber";
    public const string InvoiceNotPosted = "InvoiceNotPosted";
    public const string NotConfigured = "NotConfigured";
    public const string Validation = "Validation";

    public static string For(QboException fault) => fault.Kind switch
    {
        QboErrorKind.Authentication when fault.FirstCode == "not-connected" => NotConnected,
        QboErrorKind.DuplicateDocumentNumber => DuplicateDocNumber,
        QboErrorKind.ClosedPeriod => ClosedPeriod,
        var kind => kind.ToString(),
    };

    /// <summary>QuickBooks' own words for the fault: the first error's detail, else its message.</summary>
    public static string Detail(QboException fault) =>
        fault.Errors.FirstOrDefault() is { } first ? first.Detail ?? first.Message : fault.Message;
}
