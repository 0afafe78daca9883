using System.Globalization;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>Payment: a customer's money, applied through LinkedTxn to invoices (and credit memos).</summary>
public static class PaymentRules
{
    private static readonly string[] LinkTypes = ["Invoice", "CreditMemo"];

    public static void Apply(Operation op, JsonObject entity, JsonObject? existing)
    {
        Fields.Strip(entity, "UnappliedAmt");
        var total = Fields.Amount(entity, "TotalAmt", "TotalAmt") ?? throw Faults.RequiredParameterMissing("TotalAmt");
        if (total < 0)
            throw Faults.BusinessValidation("The payment amount cannot be negative.", "TotalAmt");
        var customer = Fields.Reference(op, entity, "CustomerRef", EntityKind.Customer, "CustomerRef", required: true)!;
        var customerId = customer.Text("Id");
        if (entity.Get("DepositToAccountRef") is null)
            entity.Set("DepositToAccountRef", Json.Ref(CompanySeed.UndepositedFundsAccountId, null));
        Fields.Reference(op, entity, "DepositToAccountRef", EntityKind.Account, "DepositToAccountRef");
        Fields.Reference(op, entity, "ARAccountRef", EntityKind.Account, "ARAccountRef");
        Fields.Date(op, entity, "TxnDate", defaultToday: true);
        ClosedBooks.RefuseIfClosed(op, EntityKind.Payment, entity);
        Fields.Reference(op, entity, "PaymentMethodRef", EntityKind.PaymentMethod, "PaymentMethodRef");

        // What this payment applied before the update is open again while it is re-applied.
        var previouslyApplied = existing is null ? new Dictionary<string, decimal>() : AppliedByTarget(existing);
        var appliedByTarget = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var lines = new JsonArray();
        var applied = 0m;
        foreach (var node in entity.Array("Line") ?? [])
        {
            if (node is not JsonObject input)
                throw Faults.InvalidProperty("Line");
            var line = input.Clone();
            var amount = Fields.Amount(line, "Amount", "Line.Amount") ?? throw Faults.RequiredParameterMissing("Line.Amount");
            if (amount < 0)
                throw Faults.BusinessValidation("A payment line amount cannot be negative.", "Line.Amount");
            if (line.Array("LinkedTxn") is not { Count: > 0 } links)
                throw Faults.RequiredParameterMissing("Line.LinkedTxn");
            foreach (var linkNode in links)
            {
                if (linkNode is not JsonObject link)
                    throw Faults.InvalidProperty("Line.LinkedTxn");
                var txnId = link.Text("TxnId") ?? throw Faults.RequiredParameterMissing("Line.LinkedTxn.TxnId");
                if (link.Text("TxnType") is null)
                    throw Faults.RequiredParameterMissing("Line.LinkedTxn.TxnType");
                Fields.Enumeration(link, "TxnType", LinkTypes, null);
                var kind = EntityKind.Find(link.Text("TxnType"))!;
                var target = op.Find(kind, txnId) ?? throw Faults.InvalidReference("Line.LinkedTxn.TxnId");
                if (target.RefValue("CustomerRef") != customerId)
                    throw Faults.BusinessValidation(
                        $"{kind.Name} {txnId} belongs to another customer; a payment can only be applied to its own customer's transactions.", "Line.LinkedTxn");
                var key = Key(kind, txnId);
                appliedByTarget[key] = appliedByTarget.GetValueOrDefault(key) + amount;
                var open = (target.Decimal("Balance", "Balance") ?? 0m) + previouslyApplied.GetValueOrDefault(key);
                if (appliedByTarget[key] > open)
                    throw Faults.BusinessValidation(
                        $"The amount applied to {kind.Name} {txnId} ({Money.Format(appliedByTarget[key])}) is more than its open balance ({Money.Format(open)}).", "Line.Amount");
            }
            // A line's amount counts once, against the first transaction it links: invoices add, credit memos subtract.
            applied += string.Equals(links.OfType<JsonObject>().First().Text("TxnType"), "CreditMemo", StringComparison.Ordinal) ? -amount : amount;
            lines.Add(line);
        }
        if (applied > total)
            throw Faults.BusinessValidation(
                $"The amount applied to transactions ({Money.Format(applied)}) is more than the payment amount ({Money.Format(total)}).", "TotalAmt");
        entity.Set("Line", lines);
        entity.Set("UnappliedAmt", Json.Number(total - applied));
        Fields.Default(entity, "ProcessPayment", false);
        Fields.Default(entity, "CurrencyRef", Fields.UsDollar());
        Fields.MaxLength(entity, "PrivateNote", 4000);
        Fields.MaxLength(entity, "PaymentRefNum", 21);
    }

    /// <summary>Amounts this payment applies, keyed "Invoice:67".</summary>
    public static Dictionary<string, decimal> AppliedByTarget(JsonObject payment)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var line in payment.Array("Line")?.OfType<JsonObject>() ?? [])
        {
            var amount = line.Decimal("Amount", "Line.Amount") ?? 0m;
            foreach (var link in line.Array("LinkedTxn")?.OfType<JsonObject>() ?? [])
            {
                if (EntityKind.Find(link.Text("TxnType")) is { } kind && link.Text("TxnId") is { } id)
                {
                    var key = Key(kind, id);
                    result[key] = result.GetValueOrDefault(key) + amount;
                }
            }
        }
        return result;
    }

    public static string Key(EntityKind kind, string id) => kind.Name + ":" + id.ToString(CultureInfo.InvariantCulture);
}
