using System.Globalization;
using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Turns a due invoice into accounting invoices (BIL-2): one per purchase order, each line booked to its product's
/// item with its tax code, class and department, amounts rounded once per line to the currency's minor unit, the
/// total exactly the sum of the lines, and a private note that leads back to the deal. Pure: the same input gives the
/// same drafts, with the same IDs, every time.
/// </summary>
public static class InvoiceDrafter
{
    /// <summary>Reported in <see cref="DraftResult.MissingProducts"/> for lines without a product when the tenant has no default item.</summary>
    public const string NoProduct = "(no product)";

    private const int PrivateNoteMaxLength = 4000;
    private const int CustomerMemoMaxLength = 1000;

    /// <summary>
    /// The stable ID of the invoice for due invoice <paramref name="dueKey"/> of the flow; <paramref name="split"/> is
    /// the purchase order when the due invoice is split into several invoices, else null. Purchase orders compare
    /// without case and surrounding spaces.
    /// </summary>
    public static Guid InvoiceIdFor(Guid flowId, string dueKey, string? split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dueKey);
        var po = NormalisePurchaseOrder(split);
        return FlowId.Operation(flowId, "invoice", po is null ? dueKey : dueKey + "|po:" + po.ToUpperInvariant());
    }

    public static DraftResult Draft(DueInvoice due, DraftContext context)
    {
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(due.Key);
        ArgumentException.ThrowIfNullOrWhiteSpace(context.Currency);
        if (due.Lines.Count == 0)
            throw new ArgumentException($"Due invoice {due.Key} has no lines to draft.", nameof(due));

        var currency = context.Currency.Trim().ToUpperInvariant();
        var result = new DraftResult();

        var booked = new List<(ChargeLine Charge, ItemTarget Item, string? Fallback)>();
        foreach (var charge in due.Lines)
        {
            var (item, fallback, missing) = ItemFor(charge, context);
            if (item is null)
            {
                if (!result.MissingProducts.Contains(missing!, StringComparer.Ordinal))
                    result.MissingProducts.Add(missing!);
                continue;
            }
            booked.Add((charge, item, fallback));
        }
        if (result.MissingProducts.Count > 0)
            return result;

        var groups = booked
            .GroupBy(b => NormalisePurchaseOrder(b.Charge.PurchaseOrder ?? due.PurchaseOrder)?.ToUpperInvariant())
            .ToList();
        var split = groups.Count > 1;
        var number = 0;
        foreach (var group in groups)
        {
            number++;
            var purchaseOrder = NormalisePurchaseOrder(group.First().Charge.PurchaseOrder ?? due.PurchaseOrder);
            var draft = new InvoiceDraft
            {
                InvoiceId = InvoiceIdFor(context.FlowId, due.Key, split ? purchaseOrder : null),
                Key = due.Key,
                Kind = due.Kind,
                Currency = currency,
                InvoiceDate = due.BillOn,
                PaymentTerms = string.IsNullOrWhiteSpace(context.PaymentTerms) ? null : context.PaymentTerms.Trim(),
                PurchaseOrder = purchaseOrder,
                Notes = [.. due.Notes],
            };
            draft.DueDate = DueDate(draft, context);
            foreach (var (charge, item, fallback) in group)
            {
                var line = LineFor(charge, item, context, currency, draft.Notes);
                draft.Lines.Add(line);
                if (fallback is not null)
                    draft.Notes.Add($"\"{line.Description}\": {fallback}; booked to the default item {item.ItemName ?? item.ItemRef}.");
            }
            draft.Total = draft.Lines.Sum(l => l.Amount);
            draft.PrivateNote = PrivateNoteFor(draft, due, context);
            draft.CustomerMemo = CustomerMemoFor(draft, context);

            if (split)
                draft.Notes.Add($"Split by purchase order: invoice {number} of {groups.Count} for {due.Key}, "
                    + (purchaseOrder is null ? "the lines without a purchase order." : $"purchase order {purchaseOrder}."));
            if (draft.Lines.Select(l => l.DepartmentRef).Distinct(StringComparer.Ordinal).Count() > 1)
                draft.Notes.Add("The lines name more than one department (location); QuickBooks records one per invoice.");
            if (draft.Total < 0)
                draft.Notes.Add($"The total is {DraftMoney.Format(draft.Total, currency)}: a negative amount is a credit, not an invoice.");
            result.Invoices.Add(draft);
        }
        return result;
    }

    private static (ItemTarget? Item, string? Fallback, string? Missing) ItemFor(ChargeLine charge, DraftContext context)
    {
        var product = string.IsNullOrWhiteSpace(charge.Product) ? null : charge.Product.Trim();
        if (product is not null && context.Items.TryGetValue(product, out var mapped) && !string.IsNullOrWhiteSpace(mapped.ItemRef))
            return (mapped, null, null);
        if (context.DefaultItem is { } fallback && !string.IsNullOrWhiteSpace(fallback.ItemRef))
            return (fallback, product is null ? "no product" : $"product {product} has no item mapping", null);
        return (null, null, product ?? NoProduct);
    }

    private static DateOnly DueDate(InvoiceDraft draft, DraftContext context)
    {
        if (PaymentTermsRules.IsRecognised(draft.PaymentTerms))
            return PaymentTermsRules.DueDate(draft.InvoiceDate, draft.PaymentTerms);
        var standard = string.IsNullOrWhiteSpace(context.StandardTerms) ? "Net 30" : context.StandardTerms.Trim();
        if (draft.PaymentTerms is not null)
            draft.Notes.Add($"Payment terms \"{draft.PaymentTerms}\" are not recognised; the due date follows the standard {standard}.");
        return PaymentTermsRules.DueDate(draft.InvoiceDate, standard);
    }

    private static DraftLine LineFor(ChargeLine charge, ItemTarget item, DraftContext context, string currency, List<string> notes)
    {
        var amount = DraftMoney.Round(charge.Amount, currency);
        var reproduces = DraftMoney.LineAmount(charge.Quantity, charge.UnitPrice, charge.DiscountPercent, currency) == amount;
        var description = string.IsNullOrWhiteSpace(charge.Description)
            ? item.ItemName ?? charge.Product ?? "Charge"
            : charge.Description.Trim();
        if (ServicePeriod.Describe(charge.ServiceFrom, charge.ServiceTo) is { } period && !description.Contains(period, StringComparison.Ordinal))
            description += $" ({period})";
        if (!reproduces)
            notes.Add($"\"{description}\" bills an allocated {DraftMoney.Format(amount, currency)} "
                + $"of {Quantity(charge.Quantity)} × {DraftMoney.Format(charge.UnitPrice, currency)}"
                + (charge.DiscountPercent != 0 ? $" less {Percent(charge.DiscountPercent)}%" : string.Empty)
                + ", shown as quantity 1 at that amount.");

        return new DraftLine
        {
            Description = description,
            ItemRef = item.ItemRef.Trim(),
            ProductKey = string.IsNullOrWhiteSpace(charge.Product) ? null : charge.Product.Trim(),
            Quantity = reproduces ? charge.Quantity : 1m,
            UnitPrice = reproduces ? charge.UnitPrice : amount,
            DiscountPercent = reproduces ? charge.DiscountPercent : 0m,
            DealDiscountPercent = charge.DiscountPercent,
            Amount = amount,
            TaxCodeRef = context.TaxExempt ? context.ExemptCode : Filled(item.TaxCodeRef) ?? context.TaxableCode,
            ServiceDate = charge.ServiceFrom,
            ServiceFrom = charge.ServiceFrom,
            ServiceTo = charge.ServiceTo,
            ClassRef = Filled(item.ClassRef) ?? Filled(context.ClassRef),
            DepartmentRef = Filled(item.DepartmentRef) ?? Filled(context.DepartmentRef),
            Manual = charge.Manual,
        };
    }

    private static string PrivateNoteFor(InvoiceDraft draft, DueInvoice due, DraftContext context)
    {
        var marker = $"deal:{context.SourceSystem.Trim().ToLowerInvariant()}:{context.ExternalDealId.Trim()} due:{due.Key} "
            + $"flow:{context.FlowId:D} invoice:{draft.InvoiceId:D}"
            + (draft.PurchaseOrder is null ? string.Empty : $" po:{draft.PurchaseOrder}");
        var note = string.Join('\n', due.Notes.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Prepend(marker));
        return note.Length <= PrivateNoteMaxLength ? note : note[..(PrivateNoteMaxLength - 1)] + "…";
    }

    private static string CustomerMemoFor(InvoiceDraft draft, DraftContext context)
    {
        var charge = draft.Lines.Count == 1 ? draft.Lines[0].Description : KindLabel(draft);
        var memo = string.IsNullOrWhiteSpace(context.DealName) ? charge : $"{context.DealName.Trim()} — {charge}";
        return memo.Length <= CustomerMemoMaxLength ? memo : memo[..(CustomerMemoMaxLength - 1)] + "…";
    }

    private static string KindLabel(InvoiceDraft draft)
    {
        var label = draft.Kind switch
        {
            ChargeKind.FixedFee => "Fixed fee",
            ChargeKind.Milestone => "Milestone",
            ChargeKind.TimeAndMaterials => "Time and materials",
            ChargeKind.RetainerDeposit => "Retainer deposit",
            ChargeKind.RetainerReplenishment => "Retainer replenishment",
            ChargeKind.RetainerOverage => "Retainer overage",
            ChargeKind.Subscription => "Subscription",
            ChargeKind.Proration => "Prorated change",
            _ => "Charges",
        };
        var from = draft.Lines.Select(l => l.ServiceFrom).Where(d => d is not null).Min();
        var to = draft.Lines.Select(l => l.ServiceTo).Where(d => d is not null).Max();
        return ServicePeriod.Describe(from, to) is { } period ? $"{label}, {period}" : label;
    }

    private static string? NormalisePurchaseOrder(string? purchaseOrder) => Filled(purchaseOrder);

    private static string? Filled(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Quantity(decimal quantity) => quantity.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Percent(decimal percent) => percent.ToString("0.####", CultureInfo.InvariantCulture);
}
