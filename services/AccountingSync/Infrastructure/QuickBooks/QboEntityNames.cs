using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

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
        nameof(QboRefundReceipt) => "RefundReceipt",
        nameof(QboPaymentMethod) => "PaymentMethod",
        nameof(QboTerm) => "Term",
        nameof(QboTaxCode) => "TaxCode",
        nameof(QboClass) => "Class",
        nameof(QboDepartment) => "Department",
        nameof(QboAccount) => "Account",
        nameof(QboCompanyCurrency) => "CompanyCurrency",
        nameof(QboEmployee) => "Employee",
        nameof(QboTimeActivity) => "TimeActivity",
        var other => throw new NotSupportedException($"{other} is not a QuickBooks entity model."),
    };

    public static string Resource<T>() where T : QboEntity => Of<T>().ToLowerInvariant();
}
