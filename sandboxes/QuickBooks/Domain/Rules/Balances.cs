using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>
/// Keeps derived amounts true after every write: an invoice's Balance and its LinkedTxn to payments,
/// a credit memo's RemainingCredit, and a customer's Balance.
/// </summary>
public static class Balances
{
    /// <summary>How much of a transaction's total payments have applied.</summary>
    public static decimal AppliedTo(Realm realm, EntityKind kind, string id)
    {
        var key = PaymentRules.Key(kind, id);
        return realm.Table(EntityKind.Payment).Values.Sum(p => PaymentRules.AppliedByTarget(p).GetValueOrDefault(key));
    }

    /// <summary>
    /// Recomputes the transactions a payment touches. When one changes, QBO bumps its SyncToken and
    /// LastUpdatedTime (the invoice was updated) and tells webhook subscribers; so does the sandbox.
    /// </summary>
    public static void RefreshLinkedTransactions(Operation op, IEnumerable<string> targets)
    {
        foreach (var target in targets.Distinct(StringComparer.Ordinal))
        {
            var separator = target.IndexOf(':');
            var kind = EntityKind.Find(target[..separator])!;
            var id = target[(separator + 1)..];
            if (op.Realm.Find(kind, id) is not { } txn)
                continue;
            var payments = op.Realm.Table(EntityKind.Payment).Values
                .Select(p => (Id: p.Text("Id")!, Amount: PaymentRules.AppliedByTarget(p).GetValueOrDefault(target), Linked: PaymentRules.AppliedByTarget(p).ContainsKey(target)))
                .Where(p => p.Linked)
                .OrderBy(p => long.TryParse(p.Id, out var n) ? n : long.MaxValue)
                .ToList();
            var total = txn.Decimal("TotalAmt", "TotalAmt") ?? 0m;
            var balance = total - payments.Sum(p => p.Amount);
            var links = new JsonArray();
            foreach (var link in txn.Array("LinkedTxn")?.OfType<JsonObject>() ?? [])
            {
                if (!string.Equals(link.Text("TxnType"), "Payment", StringComparison.OrdinalIgnoreCase))
                    links.Add(link.Clone());
            }
            foreach (var payment in payments)
                links.Add(new JsonObject { ["TxnId"] = payment.Id, ["TxnType"] = "Payment" });

            var changed = txn.Decimal("Balance", "Balance") != balance
                || !JsonNode.DeepEquals(txn.Get("LinkedTxn") ?? new JsonArray(), links);
            if (!changed)
                continue;
            txn.Set("Balance", Json.Number(balance));
            if (kind == EntityKind.CreditMemo)
                txn.Set("RemainingCredit", Json.Number(balance));
            if (links.Count > 0)
                txn.Set("LinkedTxn", links);
            else
                txn.RemoveAny("LinkedTxn");
            if (op.Touch(kind, id))
            {
                Bump(op, txn);
                op.Record(kind, id, "Update");
            }
        }
    }

    /// <summary>Customer.Balance: open invoices less unused credit and unapplied payments. Not a change of the customer record itself.</summary>
    public static void RefreshCustomers(Operation op, IEnumerable<string?> customerIds)
    {
        foreach (var customerId in customerIds.Where(c => c is not null).Distinct(StringComparer.Ordinal))
        {
            if (op.Realm.Find(EntityKind.Customer, customerId) is not { } customer)
                continue;
            decimal Sum(EntityKind kind, string property)
                => op.Realm.Table(kind).Values.Where(t => t.RefValue("CustomerRef") == customerId).Sum(t => t.Decimal(property, property) ?? 0m);
            var balance = Sum(EntityKind.Invoice, "Balance") - Sum(EntityKind.CreditMemo, "Balance") - Sum(EntityKind.Payment, "UnappliedAmt");
            customer.Set("Balance", Json.Number(balance));
            customer.Set("BalanceWithJobs", Json.Number(balance));
        }
    }

    public static void Bump(Operation op, JsonObject entity)
    {
        var token = long.TryParse(entity.Text("SyncToken"), out var current) ? current + 1 : 1;
        entity.Set("SyncToken", token.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var meta = entity.Object("MetaData") ?? new JsonObject();
        meta.Set("LastUpdatedTime", op.MetaNow);
        entity.Set("MetaData", meta);
    }
}
