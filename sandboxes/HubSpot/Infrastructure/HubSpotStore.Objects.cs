using System.Globalization;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>What a read asks for: properties, properties with history, associated object types.</summary>
public sealed record ReadOptions(IReadOnlyList<string>? Properties, IReadOnlyList<string>? History, IReadOnlyList<ObjectType> Associations)
{
    public static ReadOptions Defaults { get; } = new(null, null, []);
}

public sealed partial class HubSpotStore
{
    public const int BatchLimit = 100;

    public ApiResult CreateObject(Caller caller, ObjectType type, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var context = new ChangeContext(caller, Now);
            var error = ValidateCreate(portal, type, body, out var values, out var associations);
            if (error is not null)
                return error;
            var created = CreateObject(portal, type, values, context);
            foreach (var (association, toId) in associations)
                AddAssociation(portal, type, created.Id, association, toId, context);
            Commit(portal, context);
            return new ApiResult(StatusCodes.Status201Created, Render(portal, type, created, null, allSetValues: true));
        }
    }

    public ApiResult BatchCreate(Caller caller, ObjectType type, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var started = Now;
            var prepared = new List<(Dictionary<string, string?> Values, List<(AssociationType, string)> Associations)>();
            foreach (var input in inputs)
            {
                var error = ValidateCreate(portal, type, input as JsonObject, out var values, out var associations);
                if (error is not null)
                    return error;
                prepared.Add((values, associations));
            }
            var context = new ChangeContext(caller, started);
            var results = new JsonArray();
            foreach (var (values, associations) in prepared)
            {
                var created = CreateObject(portal, type, values, context);
                foreach (var (association, toId) in associations)
                    AddAssociation(portal, type, created.Id, association, toId, context);
                results.Add(Render(portal, type, created, null, allSetValues: true));
            }
            Commit(portal, context);
            return new ApiResult(StatusCodes.Status201Created, BatchBody(results, started, []));
        }
    }

    public ApiResult GetObject(Caller caller, ObjectType type, string id, ReadOptions options, string? idProperty, bool archived)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var found = Find(portal, type, id, idProperty, archived);
            return found is null
                ? ObjectNotFound(type, id)
                : new ApiResult(StatusCodes.Status200OK, Render(portal, type, found, options, allSetValues: false));
        }
    }

    public ApiResult ListObjects(Caller caller, ObjectType type, int limit, string? after, ReadOptions options, bool archived)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            limit = Math.Clamp(limit, 1, 100);
            var all = portal.Objects[type.Name].Values.Where(o => o.Archived == archived).OrderBy(o => long.Parse(o.Id, CultureInfo.InvariantCulture)).ToList();
            var start = 0;
            if (after is not null)
            {
                var index = all.FindIndex(o => o.Id == after);
                start = index < 0 ? all.Count(o => string.CompareOrdinal(o.Id, after) <= 0) : index + 1;
            }
            var page = all.Skip(start).Take(limit).ToList();
            var body = new JsonObject
            {
                ["results"] = new JsonArray(page.Select(o => (JsonNode)Render(portal, type, o, options, allSetValues: false)).ToArray()),
            };
            if (start + limit < all.Count)
                body["paging"] = Paging(page[^1].Id, $"/crm/v3/objects/{type.Name}?after={page[^1].Id}");
            return new ApiResult(StatusCodes.Status200OK, body);
        }
    }

    public ApiResult UpdateObject(Caller caller, ObjectType type, string id, JsonObject? body, string? idProperty)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var found = Find(portal, type, id, idProperty, archived: false);
            if (found is null)
                return ObjectNotFound(type, id);
            var error = ValidateUpdate(portal, type, found, body, out var values);
            if (error is not null)
                return error;
            var context = new ChangeContext(caller, Now);
            ApplyValues(portal, type, found, values, context, creating: false);
            Commit(portal, context);
            return new ApiResult(StatusCodes.Status200OK, Render(portal, type, found, null, allSetValues: true));
        }
    }

    public ApiResult BatchUpdate(Caller caller, ObjectType type, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var idProperty = body?["idProperty"]?.ToString();
            var started = Now;
            var missing = new List<string>();
            var prepared = new List<(CrmObject Target, Dictionary<string, string?> Values)>();
            foreach (var input in inputs)
            {
                var id = input?["id"]?.ToString() ?? "";
                var target = Find(portal, type, id, idProperty, archived: false);
                if (target is null)
                {
                    missing.Add(id);
                    continue;
                }
                var error = ValidateUpdate(portal, type, target, input as JsonObject, out var values);
                if (error is not null)
                    return error;
                prepared.Add((target, values));
            }
            var context = new ChangeContext(caller, started);
            var results = new JsonArray();
            foreach (var (target, values) in prepared)
            {
                ApplyValues(portal, type, target, values, context, creating: false);
                results.Add(Render(portal, type, target, null, allSetValues: true));
            }
            Commit(portal, context);
            return new ApiResult(missing.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status207MultiStatus,
                BatchBody(results, started, missing.Count == 0 ? [] : [NotFoundBatchError(type, missing)]));
        }
    }

    public ApiResult ArchiveObject(Caller caller, ObjectType type, string id)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var context = new ChangeContext(caller, Now);
            Archive(portal, type, id, context);
            Commit(portal, context);
            return ApiResult.NoContent;
        }
    }

    public ApiResult BatchArchive(Caller caller, ObjectType type, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var context = new ChangeContext(caller, Now);
            foreach (var input in inputs)
                Archive(portal, type, input?["id"]?.ToString() ?? "", context);
            Commit(portal, context);
            return ApiResult.NoContent;
        }
    }

    public ApiResult BatchRead(Caller caller, ObjectType type, JsonObject? body, bool archived)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var started = Now;
            var options = new ReadOptions(StringList(body?["properties"]), StringList(body?["propertiesWithHistory"]), []);
            var idProperty = body?["idProperty"]?.ToString();
            var results = new JsonArray();
            var missing = new List<string>();
            foreach (var input in inputs)
            {
                var id = input?["id"]?.ToString() ?? "";
                var found = Find(portal, type, id, idProperty, archived);
                if (found is null)
                    missing.Add(id);
                else
                    results.Add(Render(portal, type, found, options, allSetValues: false));
            }
            return new ApiResult(missing.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status207MultiStatus,
                BatchBody(results, started, missing.Count == 0 ? [] : [NotFoundBatchError(type, missing)]));
        }
    }

    // ---- internals ----

    private CrmObject? Find(Portal portal, ObjectType type, string id, string? idProperty, bool archived)
    {
        var objects = portal.Objects[type.Name];
        if (string.IsNullOrEmpty(idProperty) || idProperty == "hs_object_id")
            return objects.TryGetValue(id, out var byId) && byId.Archived == archived ? byId : null;
        return objects.Values.FirstOrDefault(o => o.Archived == archived
            && string.Equals(o.Get(idProperty), id, idProperty == "email" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
    }

    private static ApiResult ObjectNotFound(ObjectType type, string id) =>
        ApiResult.NotFound($"Object not found.  objectId are usually numeric.", new JsonObject { ["id"] = new JsonArray(id) });

    private static JsonObject NotFoundBatchError(ObjectType type, List<string> ids) => new()
    {
        ["status"] = "error",
        ["category"] = "OBJECT_NOT_FOUND",
        ["message"] = $"Could not get some {type.Singular.ToUpperInvariant()} objects, they may be deleted or not exist. Check that ids are valid.",
        ["context"] = new JsonObject { ["ids"] = new JsonArray(ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()) },
    };

    private static JsonObject BatchBody(JsonArray results, DateTimeOffset started, List<JsonObject> errors)
    {
        var body = new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = results,
        };
        if (errors.Count > 0)
        {
            body["numErrors"] = errors.Count;
            body["errors"] = new JsonArray(errors.Select(e => (JsonNode)e).ToArray());
        }
        body["startedAt"] = PropertyValues.FormatInstant(started);
        body["completedAt"] = PropertyValues.FormatInstant(started);
        return body;
    }

    private static ApiResult? BatchInputs(JsonObject? body, out List<JsonNode?> inputs)
    {
        inputs = body?["inputs"] is JsonArray array ? [.. array] : [];
        if (body?["inputs"] is not JsonArray)
            return ApiResult.Validation("Invalid input JSON: the body needs an \"inputs\" array.");
        if (inputs.Count > BatchLimit)
            return ApiResult.Validation($"Batch input limit exceeded: {inputs.Count} inputs were sent, at most {BatchLimit} are allowed.",
                new JsonObject { ["limit"] = new JsonArray(BatchLimit.ToString(CultureInfo.InvariantCulture)) });
        return null;
    }

    internal static List<string>? StringList(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n?.ToString()).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList() : null;

    private static JsonObject Paging(string after, string link) => new()
    {
        ["next"] = new JsonObject { ["after"] = after, ["link"] = link },
    };

    private PropertyDefinition? Definition(Portal portal, ObjectType type, string name) =>
        portal.Properties[type.Name].FirstOrDefault(p => p.Name == name && !p.Archived);

    private ApiResult? ValidateCreate(Portal portal, ObjectType type, JsonObject? body, out Dictionary<string, string?> values,
        out List<(AssociationType, string)> associations)
    {
        associations = [];
        var errors = ReadValues(portal, type, body?["properties"], out values);
        if (type == ObjectType.Deals)
        {
            foreach (var required in new[] { "dealname", "dealstage" })
            {
                if (string.IsNullOrEmpty(values.GetValueOrDefault(required)))
                    errors.Add(new PropertyError(required, "REQUIRED", $"Property \"{required}\" is required to create a deal."));
            }
        }
        errors.AddRange(CheckBusinessRules(portal, type, null, values));
        if (errors.Count > 0)
            return ApiResult.Validation(PropertyValues.DescribeErrors(errors, portal.PortalId));
        if (Conflict(portal, type, null, values) is { } conflict)
            return conflict;
        if (body?["associations"] is JsonArray requested)
        {
            foreach (var item in requested)
            {
                var toId = item?["to"]?["id"]?.ToString();
                if (string.IsNullOrEmpty(toId) || item?["types"] is not JsonArray types || types.Count == 0)
                    return ApiResult.Validation("Each association needs \"to\": {\"id\"} and at least one entry in \"types\".");
                foreach (var spec in types)
                {
                    var resolved = ResolveAssociationSpec(type, spec, out var specError);
                    if (specError is not null)
                        return specError;
                    if (!Exists(portal, resolved!.To, toId))
                        return ApiResult.Validation($"The {resolved.To.Singular} with id {toId} does not exist, so {resolved.Name} cannot be created.",
                            new JsonObject { ["ids"] = new JsonArray(toId) });
                    if (LineItemParentError(portal, resolved, null, toId) is { } parentError)
                        return parentError;
                    associations.Add((resolved, toId));
                }
            }
        }
        return null;
    }

    private ApiResult? ValidateUpdate(Portal portal, ObjectType type, CrmObject target, JsonObject? body, out Dictionary<string, string?> values)
    {
        var errors = ReadValues(portal, type, body?["properties"], out values);
        errors.AddRange(CheckBusinessRules(portal, type, target, values));
        if (errors.Count > 0)
            return ApiResult.Validation(PropertyValues.DescribeErrors(errors, portal.PortalId));
        return Conflict(portal, type, target, values);
    }

    private List<PropertyError> ReadValues(Portal portal, ObjectType type, JsonNode? properties, out Dictionary<string, string?> values)
    {
        values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new List<PropertyError>();
        if (properties is null)
            return errors;
        if (properties is not JsonObject map)
        {
            errors.Add(new PropertyError("properties", "INVALID_INPUT", "\"properties\" must be an object of property names to values."));
            return errors;
        }
        foreach (var (name, node) in map)
        {
            var definition = Definition(portal, type, name);
            if (definition is null)
            {
                errors.Add(new PropertyError(name, "PROPERTY_DOESNT_EXIST", $"Property \"{name}\" does not exist"));
                continue;
            }
            if (definition.ReadOnlyValue)
            {
                errors.Add(new PropertyError(name, "READ_ONLY_VALUE", $"\"{name}\" is a read only property; its value cannot be set."));
                continue;
            }
            if (!PropertyValues.TryReadRaw(node, out var raw))
            {
                errors.Add(new PropertyError(name, "INVALID_INPUT", $"The value of \"{name}\" must be a string, number, boolean or null."));
                continue;
            }
            if (name is "dealstage" or "pipeline")
            {
                values[name] = string.IsNullOrEmpty(raw) ? null : raw;
                continue;
            }
            var error = PropertyValues.Normalize(definition, raw, out var normalized);
            if (error is not null)
                errors.Add(error);
            else
                values[name] = normalized;
        }
        return errors;
    }

    /// <summary>Pipeline and stage ids, products behind line items, no negative prices.</summary>
    private List<PropertyError> CheckBusinessRules(Portal portal, ObjectType type, CrmObject? existing, Dictionary<string, string?> values)
    {
        var errors = new List<PropertyError>();
        if (type == ObjectType.Deals && (values.ContainsKey("pipeline") || values.ContainsKey("dealstage")))
        {
            var pipelineId = values.TryGetValue("pipeline", out var p) ? p : existing?.Get("pipeline");
            pipelineId ??= "default";
            var pipeline = portal.DealPipelines.FirstOrDefault(x => x.Id == pipelineId && !x.Archived);
            if (pipeline is null)
            {
                errors.Add(new PropertyError("pipeline", "INVALID_OPTION",
                    $"{pipelineId} was not one of the allowed options: [{string.Join(", ", portal.DealPipelines.Select(x => x.Id))}]"));
            }
            else
            {
                var stage = values.TryGetValue("dealstage", out var s) ? s : existing?.Get("dealstage");
                if (stage is not null && !pipeline.Stages.Any(x => x.Id == stage && !x.Archived))
                    errors.Add(new PropertyError("dealstage", "INVALID_OPTION",
                        $"{stage} was not one of the allowed options for pipeline {pipeline.Id}: [{string.Join(", ", pipeline.Stages.Select(x => x.Id))}]"));
            }
        }
        if (type == ObjectType.LineItems || type == ObjectType.Products)
        {
            if (PropertyValues.ParseDecimal(values.GetValueOrDefault("price")) < 0)
                errors.Add(new PropertyError("price", "INVALID_FLOAT", "price cannot be negative."));
        }
        if (type == ObjectType.LineItems && values.GetValueOrDefault("hs_product_id") is { } productId && !Exists(portal, ObjectType.Products, productId))
            errors.Add(new PropertyError("hs_product_id", "INVALID_OBJECT_ID", $"Product {productId} does not exist."));
        return errors;
    }

    /// <summary>Contacts are unique by email; so are values of properties declared hasUniqueValue.</summary>
    private ApiResult? Conflict(Portal portal, ObjectType type, CrmObject? self, Dictionary<string, string?> values)
    {
        foreach (var (name, value) in values)
        {
            if (value is null)
                continue;
            var unique = (type == ObjectType.Contacts && name == "email") || Definition(portal, type, name)?.HasUniqueValue == true;
            if (!unique)
                continue;
            var other = portal.Objects[type.Name].Values.FirstOrDefault(o => !o.Archived && o != self
                && string.Equals(o.Get(name), value, StringComparison.OrdinalIgnoreCase));
            if (other is not null)
            {
                var message = type == ObjectType.Contacts && name == "email"
                    ? $"Contact already exists. Existing ID: {other.Id}"
                    : $"A {type.Singular} with {name} = {value} already exists. Existing ID: {other.Id}";
                return ApiResult.Error(StatusCodes.Status409Conflict, "CONFLICT", message);
            }
        }
        return null;
    }

    private bool Exists(Portal portal, ObjectType type, string id) =>
        portal.Objects[type.Name].TryGetValue(id, out var o) && !o.Archived;

    /// <summary>Creates without validation (callers validated); records a creation change and one property change per value.</summary>
    private CrmObject CreateObject(Portal portal, ObjectType type, Dictionary<string, string?> values, ChangeContext context)
    {
        var next = portal.NextObjectIds[type.Name];
        portal.NextObjectIds[type.Name] = next + 1;
        var created = new CrmObject
        {
            Id = next.ToString(CultureInfo.InvariantCulture),
            CreatedAt = context.Now,
            UpdatedAt = context.Now,
        };
        portal.Objects[type.Name][created.Id] = created;
        created.Properties["hs_object_id"] = created.Id;
        var createdate = values.GetValueOrDefault("createdate");
        created.Properties["createdate"] = createdate ?? PropertyValues.FormatInstant(context.Now);
        context.Changes.Add(new Change("creation", type, created.Id));

        var initial = new Dictionary<string, string?>(values, StringComparer.Ordinal);
        initial.Remove("createdate");
        if (type == ObjectType.Deals && !initial.ContainsKey("pipeline"))
            initial["pipeline"] = "default";
        if (type == ObjectType.LineItems)
        {
            if (initial.GetValueOrDefault("hs_product_id") is { } productId
                && portal.Objects[ObjectType.Products.Name].TryGetValue(productId, out var product))
            {
                foreach (var inherited in new[] { "name", "description", "price", "hs_sku", "hs_cost_of_goods_sold", "hs_recurring_billing_period", "recurringbillingfrequency" })
                {
                    if (!initial.ContainsKey(inherited) && product.Get(inherited) is { } value)
                        initial[inherited] = value;
                }
            }
            if (!initial.ContainsKey("quantity"))
                initial["quantity"] = "1";
        }
        ApplyValues(portal, type, created, initial, context, creating: true);
        return created;
    }

    private void ApplyValues(Portal portal, ObjectType type, CrmObject target, Dictionary<string, string?> values, ChangeContext context, bool creating)
    {
        var changed = false;
        foreach (var (name, value) in values)
            changed |= Set(type, target, name, value, context);
        changed |= Recalculate(portal, type, target, context);
        if (changed || creating)
        {
            target.UpdatedAt = context.Now;
            target.Properties[type.LastModifiedProperty] = PropertyValues.FormatInstant(context.Now);
        }
    }

    private static bool Set(ObjectType type, CrmObject target, string name, string? value, ChangeContext context)
    {
        var old = target.Get(name);
        if (string.Equals(old, value, StringComparison.Ordinal))
            return false;
        if (value is null)
            target.Properties.Remove(name);
        else
            target.Properties[name] = value;
        if (!target.History.TryGetValue(name, out var history))
            target.History[name] = history = [];
        history.Insert(0, new PropertyVersion { Value = value ?? "", Timestamp = context.Now, SourceType = context.SourceType, SourceId = context.SourceId });
        context.Changes.Add(new Change("propertyChange", type, target.Id, name, value));
        return true;
    }

    /// <summary>HubSpot's calculated properties: deal closed/won flags and probability from stage metadata, line item net price.</summary>
    private bool Recalculate(Portal portal, ObjectType type, CrmObject target, ChangeContext context)
    {
        var changed = false;
        if (type == ObjectType.Deals)
        {
            var pipeline = portal.DealPipelines.FirstOrDefault(p => p.Id == (target.Get("pipeline") ?? "default"));
            var stage = pipeline?.Stages.FirstOrDefault(s => s.Id == target.Get("dealstage"));
            if (stage is not null)
            {
                changed |= Set(type, target, "hs_is_closed", stage.IsClosed ? "true" : "false", context);
                changed |= Set(type, target, "hs_is_closed_won", stage.IsWon ? "true" : "false", context);
                changed |= Set(type, target, "hs_is_closed_lost", stage.IsClosed && !stage.IsWon ? "true" : "false", context);
                changed |= Set(type, target, "hs_deal_stage_probability", PropertyValues.FormatDecimal(stage.Probability), context);
                if (stage.IsClosed && target.Get("closedate") is null)
                    changed |= Set(type, target, "closedate", PropertyValues.FormatInstant(context.Now), context);
            }
        }
        if (type == ObjectType.LineItems)
        {
            var price = PropertyValues.ParseDecimal(target.Get("price"));
            var quantity = PropertyValues.ParseDecimal(target.Get("quantity")) ?? 1m;
            string? amount = null;
            if (price is { } unit)
            {
                var discount = PropertyValues.ParseDecimal(target.Get("discount")) ?? 0m;
                var percentage = PropertyValues.ParseDecimal(target.Get("hs_discount_percentage")) ?? 0m;
                var net = (unit - discount) * (1m - percentage / 100m) * quantity;
                amount = PropertyValues.FormatDecimal(decimal.Round(net, 2, MidpointRounding.AwayFromZero));
            }
            changed |= Set(type, target, "amount", amount, context);
        }
        return changed;
    }

    private void Archive(Portal portal, ObjectType type, string id, ChangeContext context)
    {
        if (!portal.Objects[type.Name].TryGetValue(id, out var target) || target.Archived)
            return;
        target.Archived = true;
        target.ArchivedAt = context.Now;
        target.UpdatedAt = context.Now;
        portal.Associations.RemoveAll(l => (l.FromType == type.Name && l.FromId == id) || (l.ToType == type.Name && l.ToId == id));
        context.Changes.Add(new Change("deletion", type, id));
    }

    /// <summary>The v3 object shape: id, properties, optional history and associations, timestamps, archived.</summary>
    private JsonObject Render(Portal portal, ObjectType type, CrmObject source, ReadOptions? options, bool allSetValues)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (options?.Properties is { Count: > 0 } requested)
        {
            foreach (var name in requested)
                names.Add(name);
            names.Add("hs_object_id");
            names.Add("createdate");
            names.Add(type.LastModifiedProperty);
        }
        else
        {
            foreach (var name in type.DefaultProperties)
                names.Add(name);
        }
        if (allSetValues)
        {
            foreach (var name in source.Properties.Keys)
                names.Add(name);
        }
        var properties = new JsonObject();
        foreach (var name in names)
        {
            if (source.Properties.TryGetValue(name, out var value))
                properties[name] = value;
            else if (Definition(portal, type, name) is not null)
                properties[name] = null;
        }
        var body = new JsonObject
        {
            ["id"] = source.Id,
            ["properties"] = properties,
        };
        if (options?.History is { Count: > 0 } historyNames)
        {
            var history = new JsonObject();
            foreach (var name in historyNames.Distinct())
            {
                if (Definition(portal, type, name) is null)
                    continue;
                history[name] = new JsonArray((source.History.GetValueOrDefault(name) ?? []).Select(v => (JsonNode)new JsonObject
                {
                    ["value"] = v.Value,
                    ["timestamp"] = PropertyValues.FormatInstant(v.Timestamp),
                    ["sourceType"] = v.SourceType,
                    ["sourceId"] = v.SourceId,
                }).ToArray());
            }
            body["propertiesWithHistory"] = history;
        }
        body["createdAt"] = PropertyValues.FormatInstant(source.CreatedAt);
        body["updatedAt"] = PropertyValues.FormatInstant(source.UpdatedAt);
        body["archived"] = source.Archived;
        if (source.ArchivedAt is { } archivedAt)
            body["archivedAt"] = PropertyValues.FormatInstant(archivedAt);
        if (options?.Associations is { Count: > 0 } associated)
        {
            var associations = new JsonObject();
            foreach (var toType in associated.Distinct())
            {
                var results = new JsonArray();
                foreach (var link in LinksFrom(portal, type, source.Id, toType))
                {
                    foreach (var typeId in OrderTypeIds(link.TypeIds))
                    {
                        var association = AssociationCatalog.Find(typeId);
                        if (association is not null)
                            results.Add(new JsonObject { ["id"] = link.ToId, ["type"] = association.Name });
                    }
                }
                if (results.Count > 0)
                    associations[toType.AssociationKey] = new JsonObject { ["results"] = results };
            }
            if (associations.Count > 0)
                body["associations"] = associations;
        }
        return body;
    }
}
