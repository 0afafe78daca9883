using System.Globalization;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>Invoice, CreditMemo and RefundReceipt: lines, line math, tax, totals, DocNumber, dates.</summary>
public static class SalesFormRules
{
    private static readonly string[] DetailTypes =
        ["SalesItemLineDetail", "DiscountLineDetail", "DescriptionOnly", "SubTotalLineDetail", "GroupLineDetail"];

    private static readonly string[] PaymentTypes = ["Cash", "Check", "CreditCard", "Other"];

    /// <summary>Accounts money can be refunded from: RefundReceipt.DepositToAccountRef.</summary>
    private static readonly string[] RefundAccountTypes = ["Bank", "Other Current Asset"];

    public const int FirstDocNumber = 1001;

    /// <summary>The customer-visible message (MemoRef.value) is limited to 1000 characters.</summary>
    public const int CustomerMemoMaxLength = 1000;

    public static void Apply(Operation op, EntityKind kind, JsonObject entity, JsonObject? existing)
    {
        Fields.Strip(entity, "TotalAmt", "Balance", "HomeBalance", "HomeTotalAmt", "RemainingCredit", "InvoiceLink");
        // A refund receipt may be made out to nobody in particular; invoices and credit memos belong to a customer.
        var customer = Fields.Reference(op, entity, "CustomerRef", EntityKind.Customer, "CustomerRef", required: kind != EntityKind.RefundReceipt);
        var lines = entity.Get("Line") switch
        {
            JsonArray array when array.Count > 0 => array,
            null or JsonArray => throw Faults.RequiredParameterMissing("Line"),
            _ => throw Faults.InvalidProperty("Line"),
        };

        var output = new JsonArray();
        var subtotal = 0m;
        var taxableBase = 0m;
        var discountLines = new List<(JsonObject Line, decimal? Percent)>();
        var lineNumber = 1;
        foreach (var node in lines)
        {
            if (node is not JsonObject input)
                throw Faults.InvalidProperty("Line");
            var line = input.Clone();
            var detailType = line.Text("DetailType") ?? throw Faults.RequiredParameterMissing("Line.DetailType");
            Fields.Enumeration(line, "DetailType", DetailTypes, null);
            detailType = line.Text("DetailType");
            switch (detailType)
            {
                case "SubTotalLineDetail":
                    // QBO computes the subtotal line itself.
                    continue;
                case "GroupLineDetail":
                    throw Faults.BusinessValidation("Group (bundle) lines are not supported by the QuickBooks sandbox.", "Line.GroupLineDetail");
                case "SalesItemLineDetail":
                {
                    var (amount, taxable) = SalesItemLine(op, line);
                    subtotal += amount;
                    if (taxable)
                        taxableBase += amount;
                    break;
                }
                case "DiscountLineDetail":
                {
                    var detail = line.Object("DiscountLineDetail") ?? new JsonObject();
                    line.Set("DiscountLineDetail", detail);
                    Fields.Reference(op, detail, "DiscountAccountRef", EntityKind.Account, "Line.DiscountLineDetail.DiscountAccountRef");
                    if (detail.Bool("PercentBased") == true)
                    {
                        var percent = detail.Decimal("DiscountPercent", "Line.DiscountLineDetail.DiscountPercent")
                            ?? throw Faults.RequiredParameterMissing("Line.DiscountLineDetail.DiscountPercent");
                        discountLines.Add((line, percent));
                    }
                    else
                    {
                        var amount = Fields.Amount(line, "Amount", "Line.Amount") ?? throw Faults.RequiredParameterMissing("Line.Amount");
                        if (amount < 0)
                            throw Faults.BusinessValidation("A discount amount cannot be negative.", "Line.Amount");
                        discountLines.Add((line, null));
                    }
                    break;
                }
                case "DescriptionOnly":
                    line.RemoveAny("Amount");
                    Fields.Default(line, "DescriptionLineDetail", new JsonObject());
                    break;
            }
            line.Set("Id", lineNumber.ToString(CultureInfo.InvariantCulture));
            line.Set("LineNum", lineNumber);
            lineNumber++;
            output.Add(line);
        }

        var discount = 0m;
        foreach (var (line, percent) in discountLines)
        {
            if (percent is { } p)
                line.Set("Amount", Json.Number(Money.Round(subtotal * p / 100m)));
            discount += line.Decimal("Amount", "Line.Amount") ?? 0m;
        }

        var tax = Tax(op, entity, taxableBase);
        var total = subtotal - discount + tax;
        if (total < 0)
            throw Faults.BusinessValidation("The transaction total cannot be negative.", "TotalAmt");
        output.Add(new JsonObject
        {
            ["Amount"] = Json.Number(subtotal),
            ["DetailType"] = "SubTotalLineDetail",
            ["SubTotalLineDetail"] = new JsonObject(),
        });
        entity.Set("Line", output);
        entity.Set("TotalAmt", Json.Number(total));

        var txnDate = Fields.Date(op, entity, "TxnDate", defaultToday: true);
        ClosedBooks.RefuseIfClosed(op, kind, entity);
        if (kind == EntityKind.Invoice)
            DueDate(op, entity, customer!, txnDate);
        Fields.Reference(op, entity, "ClassRef", EntityKind.Class, "ClassRef");
        Fields.Reference(op, entity, "DepartmentRef", EntityKind.Department, "DepartmentRef");
        Fields.Default(entity, "CurrencyRef", Fields.UsDollar());
        Fields.Default(entity, "ApplyTaxAfterDiscount", false);
        if (kind == EntityKind.RefundReceipt)
            RefundPayment(op, entity);
        Fields.Default(entity, "PrintStatus", "NotSet");
        if (kind != EntityKind.RefundReceipt)
            Fields.Default(entity, "EmailStatus", "NotSet");
        Fields.MaxLength(entity, "PrivateNote", 4000);
        if (entity.Object("CustomerMemo") is { } memo)
            Fields.MaxLength(memo, "value", CustomerMemoMaxLength);

        if (kind == EntityKind.RefundReceipt)
        {
            // The money leaves the bank at once: nothing stays open on a refund receipt.
            entity.Set("Balance", 0);
        }
        else
        {
            // What payments already applied stays applied; the new total has to cover it.
            var id = existing?.Text("Id");
            var applied = id is null ? 0m : Balances.AppliedTo(op.Realm, kind, id);
            if (total < applied)
                throw Faults.BusinessValidation(
                    $"The transaction total ({Money.Format(total)}) is less than the amount already applied to it ({Money.Format(applied)}).", "TotalAmt");
            entity.Set("Balance", Json.Number(total - applied));
            if (kind == EntityKind.CreditMemo)
                entity.Set("RemainingCredit", Json.Number(total - applied));
        }
        // Links to payments are QBO's to maintain; a client may only carry other links (an Estimate, say).
        if (entity.Array("LinkedTxn") is { } links)
        {
            var kept = new JsonArray(links.OfType<JsonObject>()
                .Where(l => !string.Equals(l.Text("TxnType"), "Payment", StringComparison.OrdinalIgnoreCase))
                .Select(l => (JsonNode)l.Clone()).ToArray());
            entity.Set("LinkedTxn", kept);
        }

        DocNumber(op, kind, entity, existing);
    }

    /// <summary>
    /// RefundReceipt: the account the money is paid from (a bank or other current asset account) is required; refunded
    /// from a bank account without a check number, the receipt is left to print ("To Print"), as QBO does.
    /// </summary>
    private static void RefundPayment(Operation op, JsonObject entity)
    {
        var account = Fields.Reference(op, entity, "DepositToAccountRef", EntityKind.Account, "DepositToAccountRef", required: true)!;
        var accountType = account.Text("AccountType") ?? string.Empty;
        if (!RefundAccountTypes.Contains(accountType, StringComparer.OrdinalIgnoreCase))
            throw Faults.InvalidAccountType("DepositToAccountRef", accountType);
        Fields.Reference(op, entity, "PaymentMethodRef", EntityKind.PaymentMethod, "PaymentMethodRef");
        if (entity.Get("PaymentType") is not null)
            Fields.Enumeration(entity, "PaymentType", PaymentTypes, null);
        Fields.MaxLength(entity, "PaymentRefNum", 100);
        if (string.Equals(accountType, "Bank", StringComparison.OrdinalIgnoreCase)
            && Fields.TrimmedText(entity, "PaymentRefNum") is null && entity.Get("PrintStatus") is null)
        {
            entity.Set("PrintStatus", "NeedToPrint");
            entity.Set("PaymentRefNum", "To Print");
        }
    }

    private static (decimal Amount, bool Taxable) SalesItemLine(Operation op, JsonObject line)
    {
        var detail = line.Object("SalesItemLineDetail") ?? throw Faults.RequiredParameterMissing("Line.SalesItemLineDetail");
        Fields.Reference(op, detail, "ItemRef", EntityKind.Item, "Line.SalesItemLineDetail.ItemRef", required: true);
        var amount = Fields.Amount(line, "Amount", "Line.Amount") ?? throw Faults.RequiredParameterMissing("Line.Amount");
        var quantity = Fields.Amount(detail, "Qty", "Line.SalesItemLineDetail.Qty");
        var price = Fields.Amount(detail, "UnitPrice", "Line.SalesItemLineDetail.UnitPrice");
        if (quantity is { } q && price is { } p && Money.Round(q * p) != amount)
            throw Faults.AmountNotQtyTimesPrice(amount);
        if (quantity is { } qty && price is null && qty != 0)
            detail.Set("UnitPrice", Json.Number(Math.Round(amount / qty, 7, MidpointRounding.AwayFromZero)));
        var taxCode = Fields.Reference(op, detail, "TaxCodeRef", EntityKind.TaxCode, "Line.SalesItemLineDetail.TaxCodeRef", withName: false);
        Fields.Reference(op, detail, "ClassRef", EntityKind.Class, "Line.SalesItemLineDetail.ClassRef");
        Fields.Date(op, detail, "ServiceDate", defaultToday: false);
        return (amount, taxCode?.Bool("Taxable") == true);
    }

    /// <summary>TotalTax as sent, else the rates of TxnTaxCodeRef applied to the taxable lines.</summary>
    private static decimal Tax(Operation op, JsonObject entity, decimal taxableBase)
    {
        var detail = entity.Object("TxnTaxDetail") ?? new JsonObject();
        entity.Set("TxnTaxDetail", detail);
        var code = Fields.Reference(op, detail, "TxnTaxCodeRef", EntityKind.TaxCode, "TxnTaxDetail.TxnTaxCodeRef", withName: false);
        var given = Fields.Amount(detail, "TotalTax", "TxnTaxDetail.TotalTax");
        if (given is { } total)
        {
            if (total < 0)
                throw Faults.BusinessValidation("TotalTax cannot be negative.", "TxnTaxDetail.TotalTax");
            return total;
        }
        var taxLines = new JsonArray();
        var tax = 0m;
        var rates = code?.Object("SalesTaxRateList")?.Array("TaxRateDetail")?.OfType<JsonObject>() ?? [];
        foreach (var rateDetail in rates)
        {
            var rateId = rateDetail.RefValue("TaxRateRef");
            if (op.Realm.Find(EntityKind.TaxRate, rateId) is not { } rate)
                continue;
            var percent = rate.Decimal("RateValue", "RateValue") ?? 0m;
            var amount = Money.Round(taxableBase * percent / 100m);
            tax += amount;
            taxLines.Add(new JsonObject
            {
                ["Amount"] = Json.Number(amount),
                ["DetailType"] = "TaxLineDetail",
                ["TaxLineDetail"] = new JsonObject
                {
                    ["TaxRateRef"] = Json.Ref(rateId!, null),
                    ["PercentBased"] = true,
                    ["TaxPercent"] = Json.Number(percent),
                    ["NetAmountTaxable"] = Json.Number(taxableBase),
                },
            });
        }
        detail.Set("TotalTax", Json.Number(tax));
        if (taxLines.Count > 0)
            detail.Set("TaxLine", taxLines);
        return tax;
    }

    private static void DueDate(Operation op, JsonObject entity, JsonObject customer, DateOnly txnDate)
    {
        if (entity.Get("SalesTermRef") is null && customer.Object("SalesTermRef") is { } customerTerm)
            entity.Set("SalesTermRef", customerTerm.Clone());
        var term = Fields.Reference(op, entity, "SalesTermRef", EntityKind.Term, "SalesTermRef");
        if (entity.Text("DueDate") is not null)
        {
            var due = Fields.Date(op, entity, "DueDate", defaultToday: false);
            if (due < txnDate)
                throw Faults.BusinessValidation("The due date cannot be before the transaction date.", "DueDate");
            return;
        }
        var dueDate = txnDate;
        if (term is not null)
        {
            if (term.Text("Type") == "DATE_DRIVEN" && term.Decimal("DayOfMonthDue", "DayOfMonthDue") is { } day)
            {
                var next = txnDate.AddMonths(1);
                dueDate = new DateOnly(next.Year, next.Month, Math.Clamp((int)day, 1, DateTime.DaysInMonth(next.Year, next.Month)));
            }
            else
            {
                dueDate = txnDate.AddDays((int)(term.Decimal("DueDays", "DueDays") ?? 0));
            }
        }
        entity.Set("DueDate", dueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>DocNumber: at most 21 characters, unique per form type (invoices, credit memos and refund receipts each), and numbered from 1001 when omitted.</summary>
    private static void DocNumber(Operation op, EntityKind kind, JsonObject entity, JsonObject? existing)
    {
        var sequence = "DocNumber:" + kind.Name;
        var table = op.Realm.Table(kind);
        var id = existing?.Text("Id");
        var docNumber = Fields.TrimmedText(entity, "DocNumber");
        if (docNumber is null && existing?.Text("DocNumber") is { } kept)
        {
            entity.Set("DocNumber", kept);
            return;
        }
        if (docNumber is null)
        {
            var next = op.Realm.Peek(sequence, FirstDocNumber);
            while (table.Values.Any(e => e.Text("DocNumber") == next.ToString(CultureInfo.InvariantCulture)))
                next++;
            op.Realm.Sequences[sequence] = next + 1;
            entity.Set("DocNumber", next.ToString(CultureInfo.InvariantCulture));
            return;
        }
        Fields.MaxLength(entity, "DocNumber", 21);
        if (!op.AllowDuplicateDocNumber)
        {
            var duplicate = table.Values.FirstOrDefault(e => e.Text("Id") != id && string.Equals(e.Text("DocNumber"), docNumber, StringComparison.OrdinalIgnoreCase));
            if (duplicate is not null)
                throw Faults.DuplicateDocumentNumber(docNumber, kind.Name, duplicate.Text("Id")!);
        }
        // Like QBO, automatic numbering continues after the highest number a client used.
        if (long.TryParse(docNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) && numeric >= op.Realm.Peek(sequence, FirstDocNumber))
            op.Realm.Sequences[sequence] = numeric + 1;
    }
}
