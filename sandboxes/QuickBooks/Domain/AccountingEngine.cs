using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Domain.Query;
using QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

namespace QuoteToCash.Sandbox.QuickBooks.Domain;

/// <summary>
/// The Accounting API's operations on one realm: read, create, full and sparse update, delete, void,
/// query and change data capture. Every rule is checked before anything is written, so a fault leaves
/// the realm as it was.
/// </summary>
public static class AccountingEngine
{
    public const int CdcMaxObjects = 1000;
    public static readonly TimeSpan CdcLookBack = TimeSpan.FromDays(30);

    public static JsonObject Read(Operation op, EntityKind kind, string id)
    {
        if (kind == EntityKind.CompanyInfo && id == op.Realm.Id)
            id = "1";
        return op.Find(kind, id)?.Clone() ?? throw Faults.ObjectNotFound(kind.IsTransaction);
    }

    public static JsonObject Create(Operation op, EntityKind kind, JsonObject input)
    {
        if (!kind.Writable)
            throw Faults.UnsupportedOperation($"Create for {kind.Name}");
        var entity = input.Clone();
        Fields.Strip(entity, Fields.SystemProperties);
        Prepare(op, kind, entity, existing: null);

        var id = op.Realm.NextId(kind);
        var stored = new JsonObject { ["Id"] = id, ["SyncToken"] = "0", ["domain"] = "QBO", ["sparse"] = false };
        foreach (var (name, value) in entity.ToList())
        {
            entity.Remove(name);
            stored[name] = value;
        }
        stored["MetaData"] = new JsonObject { ["CreateTime"] = op.MetaNow, ["LastUpdatedTime"] = op.MetaNow };
        op.Realm.Table(kind)[id] = stored;
        op.Touch(kind, id);
        op.Record(kind, id, "Create");
        AfterWrite(op, kind, stored, previous: null);
        return stored.Clone();
    }

    public static JsonObject Update(Operation op, EntityKind kind, JsonObject input)
    {
        if (!kind.Writable)
            throw Faults.UnsupportedOperation($"Update for {kind.Name}");
        var existing = Current(op, kind, input);
        var sparse = input.Bool("sparse") == true;
        JsonObject entity;
        if (sparse)
        {
            // Sparse: only the elements sent change; everything else stays.
            entity = existing.Clone();
            Fields.Strip(entity, Fields.SystemProperties);
            foreach (var (name, value) in input)
            {
                if (!Fields.SystemProperties.Contains(name, StringComparer.OrdinalIgnoreCase))
                    entity.Set(name, value?.DeepClone());
            }
        }
        else
        {
            // Full: writable elements left out are cleared.
            entity = input.Clone();
            Fields.Strip(entity, Fields.SystemProperties);
        }
        ClosedBooks.RefuseIfClosed(op, kind, existing);
        Prepare(op, kind, entity, existing);
        var previous = existing.Clone();
        Replace(op, kind, existing, entity);
        op.Record(kind, existing.Text("Id")!, "Update");
        AfterWrite(op, kind, existing, previous);
        return existing.Clone();
    }

    public static JsonObject Delete(Operation op, EntityKind kind, JsonObject input)
    {
        if (!kind.IsTransaction)
            throw Faults.UnsupportedOperation($"Delete for {kind.Name}; make it inactive with Active=false");
        var existing = Current(op, kind, input);
        var id = existing.Text("Id")!;
        ClosedBooks.RefuseIfClosed(op, kind, existing);
        RefuseIfPaymentsApplied(op, kind, id, "deleted");
        op.Realm.Table(kind).Remove(id);
        op.Realm.Tombstones.Add(new State.Tombstone(kind.Name, id, op.Now));
        op.Touch(kind, id);
        op.Record(kind, id, "Delete");
        AfterWrite(op, kind, null, existing);
        return new JsonObject { ["domain"] = "QBO", ["status"] = "Deleted", ["Id"] = id };
    }

    /// <summary>Void keeps the transaction with zero amounts and "Voided" at the start of PrivateNote.</summary>
    public static JsonObject Void(Operation op, EntityKind kind, JsonObject input)
    {
        if (kind != EntityKind.Invoice && kind != EntityKind.Payment && kind != EntityKind.CreditMemo)
            throw Faults.UnsupportedOperation($"Void for {kind.Name}");
        var existing = Current(op, kind, input);
        var id = existing.Text("Id")!;
        ClosedBooks.RefuseIfClosed(op, kind, existing);
        if (kind != EntityKind.Payment)
            RefuseIfPaymentsApplied(op, kind, id, "voided");
        var previous = existing.Clone();

        foreach (var line in existing.Array("Line")?.OfType<JsonObject>() ?? [])
        {
            if (line.Get("Amount") is not null)
                line.Set("Amount", 0);
            if (line.Object("SalesItemLineDetail") is { } detail && detail.Get("Qty") is not null)
                detail.Set("Qty", 0);
        }
        existing.Set("TotalAmt", 0);
        if (kind == EntityKind.Payment)
        {
            existing.Set("UnappliedAmt", 0);
        }
        else
        {
            existing.Set("Balance", 0);
            if (kind == EntityKind.CreditMemo)
                existing.Set("RemainingCredit", 0);
            if (existing.Object("TxnTaxDetail") is { } tax)
            {
                tax.Set("TotalTax", 0);
                tax.RemoveAny("TaxLine");
            }
        }
        var note = existing.Text("PrivateNote");
        if (note is null || !note.StartsWith("Voided", StringComparison.Ordinal))
            existing.Set("PrivateNote", string.IsNullOrEmpty(note) ? "Voided" : "Voided - " + note);
        op.Touch(kind, id);
        Balances.Bump(op, existing);
        op.Record(kind, id, "Void");
        AfterWrite(op, kind, existing, previous);
        return existing.Clone();
    }

    /// <summary>
    /// POST /invoice/{id}/send: QuickBooks e-mails the invoice to its BillEmail, or to sendTo (which becomes the
    /// BillEmail), and marks it EmailSent with the delivery time.
    /// </summary>
    public static JsonObject SendInvoice(Operation op, string id, string? sendTo)
    {
        var invoice = op.Find(EntityKind.Invoice, id) ?? throw Faults.ObjectNotFound(isTransaction: true);
        string address;
        if (!string.IsNullOrWhiteSpace(sendTo))
        {
            address = sendTo.Trim();
            if (!PersonRules.IsEmailAddress(address))
                throw Faults.InvalidEmail("sendTo", address);
        }
        else
        {
            address = invoice.Object("BillEmail")?.Text("Address")?.Trim() ?? string.Empty;
            if (address.Length == 0)
                throw Faults.NoEmailAddress();
        }
        invoice.Set("BillEmail", new JsonObject { ["Address"] = address });
        invoice.Set("EmailStatus", "EmailSent");
        invoice.Set("DeliveryInfo", new JsonObject { ["DeliveryType"] = "Email", ["DeliveryTime"] = op.MetaNow });
        op.Touch(EntityKind.Invoice, id);
        Balances.Bump(op, invoice);
        op.Realm.SentEmails.Add(new State.SentEmail("Invoice", id, invoice.Text("DocNumber"), address, op.Now));
        op.Record(EntityKind.Invoice, id, "Emailed");
        return invoice.Clone();
    }

    public static JsonObject Query(Operation op, string? text)
    {
        var statement = QueryParser.Parse(text);
        var kind = EntityKind.Find(statement.Entity)
            ?? throw Faults.QueryValidation($"Entity '{statement.Entity}' is not supported by the QuickBooks sandbox");
        var page = QueryEvaluator.Run(statement, kind, op.All(kind), op.Clock);
        var response = new JsonObject();
        if (statement.Count)
        {
            response["totalCount"] = page.TotalCount;
            return response;
        }
        if (page.Entities.Count == 0)
            return response;
        response[kind.Name] = new JsonArray(page.Entities.Select(e => (JsonNode)e.Clone()).ToArray());
        response["startPosition"] = page.StartPosition;
        response["maxResults"] = page.Entities.Count;
        return response;
    }

    /// <summary>CDC: full entities changed since the given time, deleted ones as {"status":"Deleted"}.</summary>
    public static JsonArray ChangeDataCapture(Operation op, string? entities, string? changedSince)
    {
        if (string.IsNullOrWhiteSpace(entities))
            throw Faults.RequiredParameterMissing("entities");
        if (string.IsNullOrWhiteSpace(changedSince))
            throw Faults.RequiredParameterMissing("changedSince");
        if (!op.Clock.TryParseTimestamp(changedSince, out var since))
            throw Faults.InvalidProperty("changedSince");
        if (since < op.Now - CdcLookBack)
            throw Faults.UnsupportedOperation($"cdc with changedSince date {changedSince} which is older than fixed days");

        var kinds = new List<EntityKind>();
        foreach (var name in entities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kind = EntityKind.Find(name);
            if (kind is null || !kind.InChangeDataCapture)
                throw Faults.UnsupportedOperation($"cdc for entity {name}");
            if (!kinds.Contains(kind))
                kinds.Add(kind);
        }

        var budget = CdcMaxObjects;
        var responses = new JsonArray();
        foreach (var kind in kinds)
        {
            var changed = new List<(DateTimeOffset At, JsonObject Entity)>();
            foreach (var entity in op.All(kind))
            {
                if (op.Clock.TryParseTimestamp(entity.Object("MetaData")?.Text("LastUpdatedTime"), out var updated) && updated >= Truncate(since))
                    changed.Add((updated, entity.Clone()));
            }
            foreach (var tombstone in op.Realm.Tombstones.Where(t => t.Entity == kind.Name && t.DeletedAt >= Truncate(since)))
            {
                changed.Add((tombstone.DeletedAt, new JsonObject
                {
                    ["domain"] = "QBO",
                    ["status"] = "Deleted",
                    ["Id"] = tombstone.Id,
                    ["MetaData"] = new JsonObject { ["LastUpdatedTime"] = op.Clock.MetaTime(tombstone.DeletedAt) },
                }));
            }
            var page = changed.OrderBy(c => c.At).Take(budget).Select(c => (JsonNode)c.Entity).ToArray();
            budget -= page.Length;
            var response = new JsonObject();
            if (page.Length > 0)
            {
                response[kind.Name] = new JsonArray(page);
                response["startPosition"] = 1;
                response["maxResults"] = page.Length;
            }
            responses.Add(response);
        }
        return new JsonArray(new JsonObject { ["QueryResponse"] = responses });
    }

    private static DateTimeOffset Truncate(DateTimeOffset instant)
        => new(instant.Ticks - (instant.Ticks % TimeSpan.TicksPerSecond), instant.Offset);

    private static JsonObject Current(Operation op, EntityKind kind, JsonObject input)
    {
        var id = input.Text("Id") ?? throw Faults.RequiredParameterMissing("Id");
        var syncToken = input.Text("SyncToken") ?? throw Faults.RequiredParameterMissing("SyncToken");
        var existing = op.Find(kind, id) ?? throw Faults.ObjectNotFound(kind.IsTransaction);
        if (!string.Equals(syncToken.Trim(), existing.Text("SyncToken"), StringComparison.Ordinal))
            throw Faults.StaleObject();
        return existing;
    }

    private static void Prepare(Operation op, EntityKind kind, JsonObject entity, JsonObject? existing)
    {
        if (kind == EntityKind.Customer)
            NameListRules.Customer(op, entity, existing);
        else if (kind == EntityKind.Item)
            NameListRules.Item(op, entity, existing);
        else if (kind == EntityKind.Term)
            NameListRules.Term(op, entity, existing);
        else if (kind == EntityKind.PaymentMethod)
            NameListRules.PaymentMethod(op, entity, existing);
        else if (kind == EntityKind.Class || kind == EntityKind.Department || kind == EntityKind.Account)
            NameListRules.Hierarchical(op, kind, entity, existing);
        else if (kind == EntityKind.Invoice || kind == EntityKind.CreditMemo || kind == EntityKind.RefundReceipt)
            SalesFormRules.Apply(op, kind, entity, existing);
        else if (kind == EntityKind.Payment)
            PaymentRules.Apply(op, entity, existing);
        else if (kind == EntityKind.Employee)
            PersonRules.Employee(op, entity, existing);
        else if (kind == EntityKind.Vendor)
            PersonRules.Vendor(op, entity, existing);
        else if (kind == EntityKind.TimeActivity)
            TimeActivityRules.Apply(op, entity, existing);
    }

    /// <summary>Moves the prepared fields into the stored entity and bumps SyncToken and LastUpdatedTime.</summary>
    private static void Replace(Operation op, EntityKind kind, JsonObject existing, JsonObject prepared)
    {
        var id = existing.Text("Id")!;
        var meta = existing.Object("MetaData")?.Clone() ?? new JsonObject { ["CreateTime"] = op.MetaNow };
        var syncToken = existing.Text("SyncToken");
        foreach (var name in existing.Select(p => p.Key).ToList())
            existing.Remove(name);
        existing["Id"] = id;
        existing["SyncToken"] = syncToken;
        existing["domain"] = "QBO";
        existing["sparse"] = false;
        foreach (var (name, value) in prepared.ToList())
        {
            prepared.Remove(name);
            existing[name] = value;
        }
        existing["MetaData"] = meta;
        op.Touch(kind, id);
        Balances.Bump(op, existing);
    }

    private static void RefuseIfPaymentsApplied(Operation op, EntityKind kind, string id, string verb)
    {
        var applied = Balances.AppliedTo(op.Realm, kind, id);
        if (applied != 0)
            throw Faults.BusinessValidation(
                $"This {kind.Name.ToLowerInvariant()} has payments applied ({Money.Format(applied)}) and cannot be {verb}. Remove it from the payments first.");
    }

    /// <summary>Effects on other records: payments move invoice balances; any sale moves its customer's balance.</summary>
    private static void AfterWrite(Operation op, EntityKind kind, JsonObject? current, JsonObject? previous)
    {
        var customers = new[] { current?.RefValue("CustomerRef"), previous?.RefValue("CustomerRef") };
        if (kind == EntityKind.Payment)
        {
            var targets = new List<string>();
            if (current is not null)
                targets.AddRange(PaymentRules.AppliedByTarget(current).Keys);
            if (previous is not null)
                targets.AddRange(PaymentRules.AppliedByTarget(previous).Keys);
            Balances.RefreshLinkedTransactions(op, targets);
        }
        else if (kind == EntityKind.Invoice || kind == EntityKind.CreditMemo)
        {
            if (current is not null)
                Balances.RefreshLinkedTransactions(op, [PaymentRules.Key(kind, current.Text("Id")!)]);
        }
        if (kind == EntityKind.Payment || kind == EntityKind.Invoice || kind == EntityKind.CreditMemo)
            Balances.RefreshCustomers(op, customers);
    }
}
