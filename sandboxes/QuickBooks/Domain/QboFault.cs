namespace QuoteToCash.Sandbox.QuickBooks.Domain;

/// <summary>One entry of a QBO <c>Fault.Error</c> array.</summary>
public sealed record QboError(string Code, string Message, string Detail, string Element = "");

/// <summary>A QBO fault: what the API answers instead of an entity. <see cref="HttpStatus"/> is 400 for validation faults.</summary>
public sealed class QboException(string type, int httpStatus, params QboError[] errors)
    : Exception(errors.Length > 0 ? $"{errors[0].Code} {errors[0].Message}: {errors[0].Detail}" : type)
{
    public string FaultType { get; } = type;

    public int HttpStatus { get; } = httpStatus;

    public IReadOnlyList<QboError> Errors { get; } = errors;
}

/// <summary>The faults this sandbox raises, with QBO's codes and messages (see README "Error codes").</summary>
public static class Faults
{
    public const string Validation = "ValidationFault";
    public const string System = "SystemFault";

    private const string BusinessValidationMessage = "A business validation error has occurred while processing your request";
    private const string InactiveDetail = "Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.";

    private static QboException Fault(string code, string message, string detail, string element = "")
        => new(Validation, 400, new QboError(code, message, detail, element));

    public static QboException RequiredParameterMissing(string element)
        => Fault("2020", "Required param missing, need to supply the required value for the API",
            $"Required parameter {element} is missing in the request", element);

    public static QboException InvalidReference(string element)
        => Fault("2500", "Invalid Reference Id", $"Invalid Reference Id : {element}", element);

    public static QboException InactiveReference(string element)
        => Fault("610", "Object Not Found", $"Object Not Found : {InactiveDetail}", element);

    public static QboException ObjectNotFound(bool isTransaction)
        => Fault("610", "Object Not Found",
            isTransaction ? "Object Not Found : Another user has deleted this transaction." : $"Object Not Found : {InactiveDetail}");

    public static QboException BusinessValidation(string detail, string element = "")
        => Fault("6000", BusinessValidationMessage, $"Business Validation Error: {detail}", element);

    public static QboException AmountNotQtyTimesPrice(decimal amount)
        => BusinessValidation($"Amount is not equal to UnitPrice * Qty. Supplied value:{Money.Format(amount)}", "Line.Amount");

    /// <summary>An e-mail address without an at sign and a dot (QBO's rule; the code is the business-validation one).</summary>
    public static QboException InvalidEmail(string element, string address)
        => BusinessValidation($"The email address '{address}' is not valid. An email address needs an at sign (@) and a dot (.).", element);

    /// <summary>Sending an invoice with no billing e-mail address and no sendTo.</summary>
    public static QboException NoEmailAddress()
        => BusinessValidation("An email address is required to send this invoice. Add an email address to the invoice (BillEmail) or send it with sendTo.", "BillEmail");

    public static QboException DuplicateName()
        => Fault("6240", "Duplicate Name Exists Error",
            "The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.");

    public static QboException DuplicateDocumentNumber(string docNumber, string txnType, string txnId)
        => Fault("6140", "Duplicate Document Number Error",
            $"Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber={docNumber} is assigned to TxnType={txnType} with TxnId={txnId}",
            "DocNumber");

    /// <summary>
    /// A transaction dated on or before the company's closing date (Preferences.AccountingInfoPrefs.BookCloseDate), or a
    /// change to one: the code, message and detail QBO answers through the API.
    /// </summary>
    public static QboException AccountPeriodClosed()
        => Fault("6210", "Account Period Closed, Cannot Update Through Services API",
            "The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.",
            "TxnDate");

    public static QboException InvalidAccountType(string element, string accountType)
        => Fault("6430", "Invalid account type used", $"Invalid account type: {accountType}", element);

    public static QboException StaleObject()
        => Fault("5010", "Stale Object Error",
            "Stale Object Error : You and sandbox-user were working on this at the same time. sandbox-user finished before you did, so your work was not saved.");

    public static QboException StringLength(string element, int max, int supplied)
        => Fault("2050", "String length specified does not match the supported length",
            $"String length is either shorter or longer than supported by specification. Min:0 Max:{max} supported. Supplied length:{supplied}", element);

    public static QboException InvalidEnumeration(string element, string value)
        => Fault("2170", "Invalid Enumeration", $"Invalid Enumeration : {value}", element);

    public static QboException InvalidProperty(string element)
        => Fault("2010", "Request has invalid or unsupported property",
            $"Property Name:{element} specified is unsupported or invalid", element);

    public static QboException UnsupportedOperation(string what)
        => Fault("500", "Unsupported Operation", $"Operation {what} is not supported.");

    public static QboException QueryParse(string detail)
        => Fault("4000", "Error parsing query", $"QueryParserError: {detail}");

    public static QboException QueryValidation(string detail)
        => Fault("4001", "Invalid query", $"QueryValidationError: {detail}");

    public static QboException RequestIdTooLong(string requestId, int max)
        => BusinessValidation(
            $"You cannot enter more than {max} characters in the request_id field. You tried entering {requestId[..Math.Min(10, requestId.Length)]}..., which is {requestId.Length} characters.",
            "requestid");
}
