using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

// System.Text.Json models of the QuickBooks Online entities the platform uses. Property names are QBO's
// (PascalCase); unknown fields land in Extra and are sent back unchanged, so a newer QBO field is never lost.

public sealed record QboRef
{
    [JsonPropertyName("value")] public string Value { get; init; } = string.Empty;
    [JsonPropertyName("name")] public string? Name { get; init; }

    public static QboRef To(string id, string? name = null) => new() { Value = id, Name = name };
}

public sealed record QboMetaData
{
    public DateTimeOffset? CreateTime { get; init; }
    public DateTimeOffset? LastUpdatedTime { get; init; }
}

public sealed record QboAddress
{
    public string? Id { get; init; }
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? CountrySubDivisionCode { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
}

public sealed record QboEmail
{
    public string? Address { get; init; }
}

/// <summary>What every entity carries.</summary>
public abstract record QboEntity
{
    public string? Id { get; init; }
    public string? SyncToken { get; init; }
    public QboMetaData? MetaData { get; init; }
    [JsonPropertyName("sparse")] public bool? Sparse { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record QboCustomer : QboEntity
{
    public string? DisplayName { get; init; }
    public string? CompanyName { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public QboEmail? PrimaryEmailAddr { get; init; }
    public QboAddress? BillAddr { get; init; }
    public QboAddress? ShipAddr { get; init; }
    public QboRef? SalesTermRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public QboRef? ParentRef { get; init; }
    public bool? Job { get; init; }
    public bool? BillWithParent { get; init; }
    public bool? Taxable { get; init; }
    public QboRef? DefaultTaxCodeRef { get; init; }
    public string? Notes { get; init; }
    public bool? Active { get; init; }
    public decimal? Balance { get; init; }
}

public sealed record QboItem : QboEntity
{
    public string? Name { get; init; }
    public string? Sku { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public decimal? UnitPrice { get; init; }
    public QboRef? IncomeAccountRef { get; init; }
    public QboRef? ClassRef { get; init; }
    public bool? Taxable { get; init; }
    public bool? Active { get; init; }
}

public sealed record QboSalesItemLineDetail
{
    public QboRef? ItemRef { get; init; }
    public decimal? Qty { get; init; }
    public decimal? UnitPrice { get; init; }
    public QboRef? TaxCodeRef { get; init; }
    public QboRef? ClassRef { get; init; }
    public DateOnly? ServiceDate { get; init; }
}

public sealed record QboLinkedTxn
{
    public string TxnId { get; init; } = string.Empty;
    public string TxnType { get; init; } = string.Empty;
}

public sealed record QboLine
{
    public string? Id { get; init; }
    public int? LineNum { get; init; }
    public string? Description { get; init; }
    public decimal? Amount { get; init; }
    public string? DetailType { get; init; }
    public QboSalesItemLineDetail? SalesItemLineDetail { get; init; }
    public List<QboLinkedTxn>? LinkedTxn { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record QboInvoice : QboEntity
{
    public string? DocNumber { get; init; }
    public DateOnly? TxnDate { get; init; }
    public DateOnly? DueDate { get; init; }
    public QboRef? CustomerRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public QboRef? SalesTermRef { get; init; }
    public QboRef? ClassRef { get; init; }
    public QboRef? DepartmentRef { get; init; }
    public List<QboLine>? Line { get; init; }
    public string? PrivateNote { get; init; }
    public QboEmail? BillEmail { get; init; }
    public string? EmailStatus { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? Balance { get; init; }
    public List<QboLinkedTxn>? LinkedTxn { get; init; }
}

public sealed record QboPayment : QboEntity
{
    public QboRef? CustomerRef { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? UnappliedAmt { get; init; }
    public DateOnly? TxnDate { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public List<QboLine>? Line { get; init; }
    public string? PaymentRefNum { get; init; }
}

public sealed record QboCreditMemo : QboEntity
{
    public string? DocNumber { get; init; }
    public QboRef? CustomerRef { get; init; }
    public List<QboLine>? Line { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? Balance { get; init; }
    public decimal? RemainingCredit { get; init; }
}

public sealed record QboTerm : QboEntity
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public int? DueDays { get; init; }
    public bool? Active { get; init; }
}

public sealed record QboTaxCode : QboEntity
{
    public string? Name { get; init; }
    public bool? Taxable { get; init; }
    public bool? Active { get; init; }
}

public sealed record QboClass : QboEntity
{
    public string? Name { get; init; }
    public string? FullyQualifiedName { get; init; }
    public bool? Active { get; init; }
}

public sealed record QboDepartment : QboEntity
{
    public string? Name { get; init; }
    public string? FullyQualifiedName { get; init; }
    public bool? Active { get; init; }
}

public sealed record QboAccount : QboEntity
{
    public string? Name { get; init; }
    public string? AccountType { get; init; }
    public string? AccountSubType { get; init; }
    public string? Classification { get; init; }
    public bool? Active { get; init; }
}

/// <summary>The entity's resource name in URLs and its JSON wrapper name.</summary>
public static class QboEntityNames
{
    public static string Of<T>() where T : QboEntity => Of(typeof(T));

    public static string Of(Type type) => type.Name switch
    {
        nameof(QboCustomer) => "Customer",
        nameof(QboItem) => "Item",
        nameof(QboInvoice) => "Invoice",
        nameof(QboPayment) => "Payment",
        nameof(QboCreditMemo) => "CreditMemo",
        nameof(QboTerm) => "Term",
        nameof(QboTaxCode) => "TaxCode",
        nameof(QboClass) => "Class",
        nameof(QboDepartment) => "Department",
        nameof(QboAccount) => "Account",
        var other => throw new NotSupportedException($"{other} is not a QuickBooks entity model."),
    };

    public static string Resource<T>() where T : QboEntity => Of<T>().ToLowerInvariant();
}

/// <summary>One item of a batch request: an operation on an entity, or a query.</summary>
public sealed record QboBatchItem(string BatchId, string Operation, QboEntity? Entity, string? Query = null);

/// <summary>One item of a batch response: the entity JSON, or a fault.</summary>
public sealed record QboBatchResult(string BatchId, JsonElement? Entity, Domain.QboException? Fault);

/// <summary>A change reported by the CDC endpoint: the entity's JSON, or only its ID when deleted.</summary>
public sealed record QboChange(string Entity, string Id, bool Deleted, DateTimeOffset? LastUpdated, JsonElement Payload);
