using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

public sealed partial class SalesforceStore
{
    private static readonly string[] AuditFields = ["CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp"];

    // ---- REST operations ----

    public ApiResult Create(SfCaller caller, SObjectType type, JsonObject? body) => Transaction(caller, (org, change) =>
    {
        var created = Insert(org, type, body ?? [], change);
        return new ApiResult(StatusCodes.Status201Created, SaveResult(created.Id));
    });

    public ApiResult Update(SfCaller caller, SObjectType type, string id, JsonObject? body) => Transaction(caller, (org, change) =>
    {
        if (FindRecord(org, type, id) is not { } record)
            return ApiResult.NotFound();
        Modify(org, type, record, body ?? [], change);
        return ApiResult.NoContent;
    });

    public ApiResult Delete(SfCaller caller, SObjectType type, string id) => Transaction(caller, (org, change) =>
    {
        var normalized = SalesforceId.Normalize(id);
        if (normalized is null || !org.Records[type.Name].TryGetValue(normalized, out var record))
            return ApiResult.NotFound();
        if (record.IsDeleted)
            return ApiResult.Errors(StatusCodes.Status404NotFound, new SfError("ENTITY_IS_DELETED", "entity is deleted"));
        Remove(org, type, record, change);
        return ApiResult.NoContent;
    });

    public ApiResult Retrieve(SfCaller caller, SObjectType type, string id, IReadOnlyList<string>? fields)
    {
        lock (_gate)
        {
            var org = OrgOf(caller);
            if (FindRecord(org, type, id) is not { } record)
                return ApiResult.NotFound();
            var selected = new List<FieldDef>();
            foreach (var name in fields ?? [])
            {
                var field = type.Field(name);
                if (field is null)
                    return ApiResult.BadRequest(new SfError("INVALID_FIELD", $"No such column '{name}' on entity '{type.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."));
                selected.Add(field);
            }
            return ApiResult.Ok(RenderRecord(caller, type, record, selected.Count > 0 ? selected : type.Fields));
        }
    }

    /// <summary>POST /composite/sobjects: up to 200 records of any types; allOrNone rolls all back on one failure.</summary>
    public ApiResult CompositeCreate(SfCaller caller, JsonObject? body) =>
        Composite(caller, body, (org, record, change) =>
        {
            var type = RecordType(record);
            return Insert(org, type, record, change).Id;
        });

    /// <summary>PATCH /composite/sobjects: records carry "id" and attributes.type.</summary>
    public ApiResult CompositeUpdate(SfCaller caller, JsonObject? body) =>
        Composite(caller, body, (org, record, change) =>
        {
            var type = RecordType(record);
            var id = record["id"]?.ToString() ?? record["Id"]?.ToString();
            if (FindRecord(org, type, id ?? "") is not { } target)
                throw new DmlException(new SfError("ENTITY_IS_DELETED", "entity is deleted"));
            var fields = record.DeepClone().AsObject();
            fields.Remove("id");
            fields.Remove("Id");
            Modify(org, type, target, fields, change);
            return target.Id;
        });

    /// <summary>DELETE /composite/sobjects?ids=…</summary>
    public ApiResult CompositeDelete(SfCaller caller, IReadOnlyList<string> ids, bool allOrNone)
    {
        var records = new JsonObject
        {
            ["allOrNone"] = allOrNone,
            ["records"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()),
        };
        return Composite(caller, records, (org, record, change) =>
        {
            var id = SalesforceId.Normalize(record["id"]?.ToString()) ?? throw new DmlException(new SfError("MALFORMED_ID", $"malformed id {record["id"]}"));
            var type = Schema.ByPrefix(id) ?? throw new DmlException(new SfError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
            if (!org.Records[type.Name].TryGetValue(id, out var target) || target.IsDeleted)
                throw new DmlException(new SfError("ENTITY_IS_DELETED", "entity is deleted"));
            if (!type.Deletable)
                throw new DmlException(new SfError("INSUFFICIENT_ACCESS_OR_READONLY", $"entity type cannot be deleted: {type.Name}"));
            Remove(org, type, target, change);
            return id;
        });
    }

    /// <summary>POST /composite/sobjects/{type}: {ids, fields} → records in the same order (null when missing).</summary>
    public ApiResult CompositeRetrieve(SfCaller caller, SObjectType type, JsonObject? body)
    {
        lock (_gate)
        {
            var org = OrgOf(caller);
            var ids = (body?["ids"] as JsonArray)?.Select(i => i?.ToString() ?? "").ToList() ?? [];
            var names = (body?["fields"] as JsonArray)?.Select(f => f?.ToString() ?? "").ToList() ?? [];
            var fields = new List<FieldDef>();
            foreach (var name in names)
            {
                var field = type.Field(name);
                if (field is null)
                    return ApiResult.BadRequest(new SfError("INVALID_FIELD", $"No such column '{name}' on entity '{type.Name}'."));
                fields.Add(field);
            }
            if (ids.Count > 2000)
                return ApiResult.BadRequest(new SfError("EXCEEDED_ID_LIMIT", "too many ids: at most 2000"));
            return ApiResult.Ok(new JsonArray(ids.Select(id => FindRecord(org, type, id) is { } record
                ? (JsonNode)RenderRecord(caller, type, record, fields.Count > 0 ? fields : type.Fields)
                : null).ToArray()));
        }
    }

    // ---- transactions ----

    private ApiResult Transaction(SfCaller caller, Func<Org, ChangeSet, ApiResult> work)
    {
        lock (_gate)
        {
            var org = OrgOf(caller);
            var change = new ChangeSet(caller, Now);
            var snapshot = Snapshot(org);
            try
            {
                var result = work(org, change);
                Commit(org, change);
                return result;
            }
            catch (DmlException exception)
            {
                Restore(org, snapshot);
                return ApiResult.BadRequest(exception.Error);
            }
        }
    }

    private ApiResult Composite(SfCaller caller, JsonObject? body, Func<Org, JsonObject, ChangeSet, string> operation)
    {
        var records = (body?["records"] as JsonArray)?.Select(r => r as JsonObject ?? []).ToList() ?? [];
        var allOrNone = body?["allOrNone"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        if (records.Count > 200)
            return ApiResult.BadRequest(new SfError("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call"));
        lock (_gate)
        {
            var org = OrgOf(caller);
            var change = new ChangeSet(caller, Now);
            var snapshot = Snapshot(org);
            var results = new List<JsonObject>();
            var failed = false;
            foreach (var record in records)
            {
                var before = Snapshot(org);
                var changesBefore = change.Changes.Count;
                try
                {
                    var id = operation(org, record, change);
                    results.Add(new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
                }
                catch (DmlException exception)
                {
                    failed = true;
                    Restore(org, before);
                    change.Changes.RemoveRange(changesBefore, change.Changes.Count - changesBefore);
                    results.Add(new JsonObject
                    {
                        ["success"] = false,
                        ["errors"] = new JsonArray(new JsonObject
                        {
                            ["statusCode"] = exception.Error.ErrorCode,
                            ["message"] = exception.Error.Message,
                            ["fields"] = new JsonArray((exception.Error.Fields ?? []).Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
                        }),
                    });
                }
            }
            if (failed && allOrNone)
            {
                Restore(org, snapshot);
                foreach (var result in results.Where(r => r["success"]!.GetValue<bool>()))
                {
                    result["success"] = false;
                    result.Remove("id");
                    result["errors"] = new JsonArray(new JsonObject
                    {
                        ["statusCode"] = "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                        ["message"] = "Record rolled back because not all records were valid and the request was using AllOrNone header",
                        ["fields"] = new JsonArray(),
                    });
                }
            }
            else
            {
                Commit(org, change);
            }
            return ApiResult.Ok(new JsonArray(results.Select(r => (JsonNode)r).ToArray()));
        }
    }

    private static SObjectType RecordType(JsonObject record)
    {
        var name = record["attributes"]?["type"]?.ToString();
        return (name is null ? null : Schema.Resolve(name))
            ?? throw new DmlException(new SfError("INVALID_TYPE", name is null ? "attributes.type is required for each record" : $"sObject type '{name}' is not supported."));
    }

    private static string Snapshot(Org org) => JsonSerializer.Serialize(org.Records, StateJson.Options);

    private static void Restore(Org org, string snapshot) =>
        org.Records = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, SRecord>>>(snapshot, StateJson.Options)!;

    private static JsonObject SaveResult(string id) => new() { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };

    private static SRecord? FindRecord(Org org, SObjectType type, string id)
    {
        var normalized = SalesforceId.Normalize(id);
        return normalized is not null && org.Records[type.Name].TryGetValue(normalized, out var record) && !record.IsDeleted ? record : null;
    }

    // ---- DML ----

    private SRecord Insert(Org org, SObjectType type, JsonObject body, ChangeSet change, bool standardPricebook = false)
    {
        if (!type.Createable)
            throw new DmlException(new SfError("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", $"entity type cannot be inserted: {type.Label}"));
        var values = ReadFields(org, type, body, forInsert: true);
        var id = NewId(org, type);
        var record = new SRecord { Id = id, Type = type.Name };
        record.Fields["Id"] = id;
        record.Fields["IsDeleted"] = false;
        foreach (var (name, value) in values)
            record.Fields[name] = value;
        if (type.Field("OwnerId") is not null && record.Get("OwnerId") is null)
            record.Fields["OwnerId"] = change.Caller.UserId;
        var stamp = FieldValues.FormatDateTime(change.Now);
        record.Fields["CreatedDate"] = stamp;
        record.Fields["CreatedById"] = change.Caller.UserId;
        record.Fields["LastModifiedDate"] = stamp;
        record.Fields["LastModifiedById"] = change.Caller.UserId;
        record.Fields["SystemModstamp"] = stamp;
        ApplyDefaultsAndRules(org, type, record, values, change, inserting: true, standardPricebook);
        var missing = type.Fields.Where(f => !f.Nillable && f.Createable && record.Get(f.Name) is null).Select(f => f.Name).ToList();
        if (missing.Count > 0)
            throw new DmlException(new SfError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing));
        org.Records[type.Name][id] = record;
        AfterWrite(org, type, record, change);
        var payload = record.Fields.Where(f => f.Value is not null && f.Key is not "Id" and not "IsDeleted")
            .ToDictionary(f => f.Key, f => FieldValues.ForChangeEvent(type.Field(f.Key)!, f.Value));
        change.Changes.Add(new RecordChange("CREATE", type, id, payload, [], [], type == Schema.Opportunity && record.GetBool("IsWon")));
        return record;
    }

    private void Modify(Org org, SObjectType type, SRecord record, JsonObject body, ChangeSet change)
    {
        if (!type.Updateable)
            throw new DmlException(new SfError("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", $"entity type cannot be updated: {type.Label}"));
        var before = record.Fields.ToDictionary(f => f.Key, f => f.Value?.DeepClone());
        var values = ReadFields(org, type, body, forInsert: false);
        foreach (var (name, value) in values)
        {
            if (value is null && type.Field(name) is { Nillable: false } required)
                throw new DmlException(new SfError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{required.Name}]", [required.Name]));
            record.Fields[name] = value;
        }
        ApplyDefaultsAndRules(org, type, record, values, change, inserting: false, standardPricebook: false);
        Track(org, type, record, before, change);
        AfterWrite(org, type, record, change);
    }

    /// <summary>Records an update if anything changed: audit fields, change event, outbound-message trigger.</summary>
    private static void Track(Org org, SObjectType type, SRecord record, Dictionary<string, JsonNode?> before, ChangeSet change)
    {
        var changed = record.Fields.Keys.Union(before.Keys)
            .Where(k => !JsonNode.DeepEquals(record.Get(k), before.GetValueOrDefault(k)))
            .ToList();
        if (changed.Count == 0)
            return;
        var stamp = FieldValues.FormatDateTime(change.Now);
        record.Fields["LastModifiedDate"] = stamp;
        record.Fields["LastModifiedById"] = change.Caller.UserId;
        record.Fields["SystemModstamp"] = stamp;
        foreach (var audit in new[] { "LastModifiedDate", "LastModifiedById" })
        {
            if (!changed.Contains(audit) && !JsonNode.DeepEquals(record.Get(audit), before.GetValueOrDefault(audit)))
                changed.Add(audit);
        }
        changed.Remove("SystemModstamp");
        var payload = changed.Where(k => record.Get(k) is not null).ToDictionary(k => k, k => FieldValues.ForChangeEvent(type.Field(k)!, record.Get(k)));
        var nulled = changed.Where(k => record.Get(k) is null).ToList();
        var becameWon = type == Schema.Opportunity && record.GetBool("IsWon")
            && !(before.GetValueOrDefault("IsWon") is JsonValue previous && previous.GetValueKind() == JsonValueKind.True);
        change.Changes.Add(new RecordChange("UPDATE", type, record.Id, payload, changed, nulled, becameWon));
    }

    private void Remove(Org org, SObjectType type, SRecord record, ChangeSet change)
    {
        if (!type.Deletable)
            throw new DmlException(new SfError("INSUFFICIENT_ACCESS_OR_READONLY", $"entity type cannot be deleted: {type.Name}"));
        if (type == Schema.Pricebook2 && record.GetBool("IsStandard"))
            throw new DmlException(new SfError("DELETE_FAILED", "Your attempt to delete Standard Price Book could not be completed: the standard price book cannot be deleted."));
        record.IsDeleted = true;
        record.Fields["IsDeleted"] = true;
        change.Changes.Add(new RecordChange("DELETE", type, record.Id, [], [], [], false));
        // Master-detail and standard cascades.
        foreach (var relationship in type.ChildRelationships)
        {
            var childType = Schema.Resolve(relationship.ChildSObject)!;
            var cascades = (type.Name, childType.Name) is ("Account", "Opportunity") or ("Account", "Contact") or ("Opportunity", "OpportunityLineItem")
                or ("Product2", "PricebookEntry") or ("Pricebook2", "PricebookEntry");
            if (!cascades)
                continue;
            foreach (var child in org.Records[childType.Name].Values.Where(c => !c.IsDeleted && c.GetString(relationship.Field) == record.Id).ToList())
                Remove(org, childType, child, change);
        }
        if (type == Schema.OpportunityLineItem && record.GetString("OpportunityId") is { } opportunityId
            && FindRecord(org, Schema.Opportunity, opportunityId) is { } opportunity)
            RollUp(org, opportunity, change);
    }

    /// <summary>Reads request fields: unknown → INVALID_FIELD, not writable → INVALID_FIELD_FOR_INSERT_UPDATE, values by type.</summary>
    private Dictionary<string, JsonNode?> ReadFields(Org org, SObjectType type, JsonObject body, bool forInsert)
    {
        var values = new Dictionary<string, JsonNode?>();
        var notWritable = new List<string>();
        foreach (var (name, node) in body)
        {
            if (name == "attributes")
                continue;
            var field = type.Field(name)
                ?? throw new DmlException(new SfError("INVALID_FIELD", $"No such column '{name}' on sobject of type {type.Name}"));
            if (forInsert ? !field.Createable : !field.Updateable)
            {
                notWritable.Add(field.Name);
                continue;
            }
            var error = FieldValues.Normalize(type, field, node, out var value);
            if (error is not null)
                throw new DmlException(error);
            if (field.Type == "reference" && value is not null)
            {
                var target = Schema.Resolve(field.ReferenceTo!)!;
                if (FindRecord(org, target, value.ToString()) is null)
                    throw new DmlException(new SfError("INVALID_CROSS_REFERENCE_KEY", $"invalid cross reference id", [field.Name]));
            }
            values[field.Name] = value;
        }
        if (notWritable.Count > 0)
            throw new DmlException(new SfError("INVALID_FIELD_FOR_INSERT_UPDATE",
                $"Unable to create/update fields: {string.Join(", ", notWritable)}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", notWritable));
        return values;
    }

    private SRecord? Stage(Org org, string? label) =>
        label is null ? null : org.Records[Schema.OpportunityStage.Name].Values.FirstOrDefault(s => s.GetString("MasterLabel") == label && s.GetBool("IsActive"));

    /// <summary>Per-object defaults, derived fields and integrity rules.</summary>
    private void ApplyDefaultsAndRules(Org org, SObjectType type, SRecord record, Dictionary<string, JsonNode?> given, ChangeSet change, bool inserting, bool standardPricebook)
    {
        switch (type.Name)
        {
            case "Contact":
                record.Fields["Name"] = string.Join(' ', new[] { record.GetString("FirstName"), record.GetString("LastName") }.Where(p => !string.IsNullOrEmpty(p)));
                break;
            case "Product2":
                if (inserting && record.Get("IsActive") is null)
                    record.Fields["IsActive"] = false;
                break;
            case "Pricebook2":
                if (inserting)
                {
                    record.Fields["IsStandard"] = standardPricebook;
                    if (record.Get("IsActive") is null)
                        record.Fields["IsActive"] = false;
                }
                break;
            case "PricebookEntry":
                ApplyPricebookEntryRules(org, record, inserting);
                break;
            case "Opportunity":
                ApplyOpportunityRules(org, record, given, inserting);
                break;
            case "OpportunityLineItem":
                ApplyLineItemRules(org, record, given, change, inserting);
                break;
        }
    }

    private void ApplyPricebookEntryRules(Org org, SRecord entry, bool inserting)
    {
        if (entry.Get("IsActive") is null)
            entry.Fields["IsActive"] = false;
        if (entry.Get("UseStandardPrice") is null)
            entry.Fields["UseStandardPrice"] = false;
        var product = FindRecord(org, Schema.Product2, entry.GetString("Product2Id") ?? "");
        var pricebook = FindRecord(org, Schema.Pricebook2, entry.GetString("Pricebook2Id") ?? "");
        if (product is null || pricebook is null)
            return;
        entry.Fields["Name"] = product.GetString("Name");
        entry.Fields["ProductCode"] = product.GetString("ProductCode");
        if (!inserting)
            return;
        var entries = org.Records[Schema.PricebookEntry.Name].Values.Where(e => !e.IsDeleted && e.GetString("Product2Id") == product.Id).ToList();
        if (entries.Any(e => e.GetString("Pricebook2Id") == pricebook.Id))
            throw new DmlException(new SfError("DUPLICATE_VALUE", "This price definition already exists in this price book"));
        if (!pricebook.GetBool("IsStandard") && !entries.Any(e => FindRecord(org, Schema.Pricebook2, e.GetString("Pricebook2Id") ?? "")?.GetBool("IsStandard") == true))
            throw new DmlException(new SfError("STANDARD_PRICE_NOT_DEFINED", "Before creating a custom price, create a standard price."));
    }

    private void ApplyOpportunityRules(Org org, SRecord opportunity, Dictionary<string, JsonNode?> given, bool inserting)
    {
        var stageName = opportunity.GetString("StageName");
        var stage = Stage(org, stageName);
        if (stageName is not null && stage is null)
            throw new DmlException(new SfError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Stage: bad value for restricted picklist field: {stageName}", ["StageName"]));
        if (stage is not null)
        {
            var stageChanged = inserting || given.ContainsKey("StageName");
            opportunity.Fields["IsClosed"] = stage.GetBool("IsClosed");
            opportunity.Fields["IsWon"] = stage.GetBool("IsWon");
            opportunity.Fields["ForecastCategory"] = stage.GetString("ForecastCategory");
            if (stageChanged && !given.ContainsKey("ForecastCategoryName"))
                opportunity.Fields["ForecastCategoryName"] = stage.GetString("ForecastCategoryName");
            if (stageChanged && !given.ContainsKey("Probability"))
                opportunity.Fields["Probability"] = stage.Get("DefaultProbability")?.DeepClone();
        }
        if (inserting)
            opportunity.Fields["HasOpportunityLineItem"] = false;
        if (!inserting && given.ContainsKey("Amount") && opportunity.GetBool("HasOpportunityLineItem"))
        {
            // "For opportunities with products, the amount is the sum of the related products": direct updates are ignored.
            opportunity.Fields["Amount"] = SumOfLineItems(org, opportunity.Id);
        }
    }

    private void ApplyLineItemRules(Org org, SRecord item, Dictionary<string, JsonNode?> given, ChangeSet change, bool inserting)
    {
        var opportunity = FindRecord(org, Schema.Opportunity, item.GetString("OpportunityId") ?? "");
        if (inserting)
        {
            if (opportunity is null)
                throw new DmlException(new SfError("REQUIRED_FIELD_MISSING", "Required fields are missing: [OpportunityId]", ["OpportunityId"]));
            var entry = FindRecord(org, Schema.PricebookEntry, item.GetString("PricebookEntryId") ?? "");
            if (entry is null && item.GetString("Product2Id") is { } productId)
            {
                var pricebookId = opportunity.GetString("Pricebook2Id") ?? StandardPricebook(org)?.Id;
                entry = org.Records[Schema.PricebookEntry.Name].Values.FirstOrDefault(e => !e.IsDeleted && e.GetString("Product2Id") == productId && e.GetString("Pricebook2Id") == pricebookId)
                    ?? throw new DmlException(new SfError("FIELD_INTEGRITY_EXCEPTION", "field integrity exception: unknown (no price book entry for this product in the opportunity's price book)", ["Product2Id"]));
            }
            if (entry is null)
                throw new DmlException(new SfError("REQUIRED_FIELD_MISSING", "Required fields are missing: [PricebookEntryId]", ["PricebookEntryId"]));
            if (!entry.GetBool("IsActive"))
                throw new DmlException(new SfError("FIELD_INTEGRITY_EXCEPTION", "field integrity exception: PricebookEntryId (inactive price book entry)", ["PricebookEntryId"]));
            var opportunityPricebook = opportunity.GetString("Pricebook2Id");
            if (opportunityPricebook is not null && opportunityPricebook != entry.GetString("Pricebook2Id"))
                throw new DmlException(new SfError("FIELD_INTEGRITY_EXCEPTION", "field integrity exception: PricebookEntryId (pricebook entry is in a different pricebook than the one assigned to the opportunity)", ["PricebookEntryId"]));
            if (opportunityPricebook is null)
            {
                var before = opportunity.Fields.ToDictionary(f => f.Key, f => f.Value?.DeepClone());
                opportunity.Fields["Pricebook2Id"] = entry.GetString("Pricebook2Id");
                Track(org, Schema.Opportunity, opportunity, before, change);
            }
            var product = FindRecord(org, Schema.Product2, entry.GetString("Product2Id") ?? "");
            item.Fields["PricebookEntryId"] = entry.Id;
            item.Fields["Product2Id"] = entry.GetString("Product2Id");
            item.Fields["ProductCode"] = product?.GetString("ProductCode");
            item.Fields["ListPrice"] = entry.Get("UnitPrice")?.DeepClone();
            item.Fields["Name"] = $"{opportunity.GetString("Name")} {product?.GetString("Name")}".Trim();
            if (given.ContainsKey("UnitPrice") && given.ContainsKey("TotalPrice"))
                throw new DmlException(new SfError("FIELD_INTEGRITY_EXCEPTION", "field integrity exception: TotalPrice (cannot specify both unit price and total price)", ["TotalPrice"]));
            if (!given.ContainsKey("UnitPrice") && !given.ContainsKey("TotalPrice"))
                throw new DmlException(new SfError("FIELD_INTEGRITY_EXCEPTION", "field integrity exception: unknown (must specify either UnitPrice or TotalPrice)", ["UnitPrice", "TotalPrice"]));
        }
        var quantity = item.GetDecimal("Quantity") ?? 0m;
        if (quantity == 0m && item.Get("Quantity") is not null)
            throw new DmlException(new SfError("FIELD_INTEGRITY_EXCEPTION", "field integrity exception: Quantity (quantity must be nonzero)", ["Quantity"]));
        var discount = item.GetDecimal("Discount") ?? 0m;
        if (given.ContainsKey("TotalPrice") && !given.ContainsKey("UnitPrice") && item.GetDecimal("TotalPrice") is { } total && quantity != 0m)
        {
            var factor = 1m - (discount / 100m);
            item.Fields["UnitPrice"] = factor == 0m ? 0m : decimal.Round(total / quantity / factor, 2, MidpointRounding.AwayFromZero);
        }
        else if (item.GetDecimal("UnitPrice") is { } unit)
        {
            item.Fields["TotalPrice"] = decimal.Round(unit * quantity * (1m - (discount / 100m)), 2, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>After a line item changes, the opportunity's Amount and HasOpportunityLineItem follow.</summary>
    private void AfterWrite(Org org, SObjectType type, SRecord record, ChangeSet change)
    {
        if (type == Schema.OpportunityLineItem && FindRecord(org, Schema.Opportunity, record.GetString("OpportunityId") ?? "") is { } opportunity)
            RollUp(org, opportunity, change);
    }

    private void RollUp(Org org, SRecord opportunity, ChangeSet change)
    {
        var before = opportunity.Fields.ToDictionary(f => f.Key, f => f.Value?.DeepClone());
        var hasItems = org.Records[Schema.OpportunityLineItem.Name].Values.Any(i => !i.IsDeleted && i.GetString("OpportunityId") == opportunity.Id);
        opportunity.Fields["HasOpportunityLineItem"] = hasItems;
        opportunity.Fields["Amount"] = hasItems ? SumOfLineItems(org, opportunity.Id) : opportunity.Get("Amount")?.DeepClone();
        Track(org, Schema.Opportunity, opportunity, before, change);
    }

    private static JsonNode SumOfLineItems(Org org, string opportunityId) =>
        JsonValue.Create(org.Records[Schema.OpportunityLineItem.Name].Values
            .Where(i => !i.IsDeleted && i.GetString("OpportunityId") == opportunityId)
            .Sum(i => i.GetDecimal("TotalPrice") ?? 0m));

    private static SRecord? StandardPricebook(Org org) =>
        org.Records[Schema.Pricebook2.Name].Values.FirstOrDefault(p => !p.IsDeleted && p.GetBool("IsStandard"));

    /// <summary>A record as the REST API returns it: attributes, then the chosen fields in describe order.</summary>
    private static JsonObject RenderRecord(SfCaller caller, SObjectType type, SRecord record, IEnumerable<FieldDef> fields)
    {
        var body = new JsonObject { ["attributes"] = Attributes(caller, type, record.Id) };
        foreach (var field in fields)
            body[field.Name] = record.Get(field.Name)?.DeepClone();
        return body;
    }

    private static JsonObject Attributes(SfCaller caller, SObjectType type, string id) => new()
    {
        ["type"] = type.Name,
        ["url"] = $"/services/data/v{caller.ApiVersion}/sobjects/{type.Name}/{id}",
    };

    internal static string FormatNumber(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
