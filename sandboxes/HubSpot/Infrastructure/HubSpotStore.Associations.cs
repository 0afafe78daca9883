using System.Globalization;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

public sealed partial class HubSpotStore
{
    /// <summary>PUT /crm/v4/objects/{from}/{id}/associations/{to}/{toId} with association specs.</summary>
    public ApiResult Associate(Caller caller, ObjectType from, string fromId, ObjectType to, string toId, JsonArray? specs)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var context = new ChangeContext(caller, Now);
            var types = new List<AssociationType>();
            foreach (var spec in specs ?? [])
            {
                var resolved = ResolveAssociationSpec(from, spec, out var error);
                if (error is not null)
                    return error;
                if (resolved!.To != to)
                    return ApiResult.Validation($"associationTypeId {resolved.Id} ({resolved.Name}) does not go from {from.Singular} to {to.Singular}.");
                types.Add(resolved);
            }
            if (types.Count == 0)
                return ApiResult.Validation("The body must be a non-empty array of {\"associationCategory\",\"associationTypeId\"}.");
            if (CheckPair(portal, from, fromId, to, toId) is { } missing)
                return missing;
            foreach (var type in types)
            {
                if (LineItemParentError(portal, type, fromId, toId) is { } parentError)
                    return parentError;
            }
            foreach (var type in types)
                AddAssociation(portal, from, fromId, type, toId, context);
            Commit(portal, context);
            return new ApiResult(StatusCodes.Status201Created, LabelsBetween(from, fromId, to, toId, types));
        }
    }

    /// <summary>PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}.</summary>
    public ApiResult AssociateDefault(Caller caller, ObjectType from, string fromId, ObjectType to, string toId)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var started = Now;
            var type = AssociationCatalog.DefaultBetween(from, to);
            if (type is null)
                return ApiResult.Validation($"{from.Name} cannot be associated with {to.Name}.");
            if (CheckPair(portal, from, fromId, to, toId) is { } missing)
                return missing;
            if (LineItemParentError(portal, type, fromId, toId) is { } parentError)
                return parentError;
            var context = new ChangeContext(caller, started);
            AddAssociation(portal, from, fromId, type, toId, context);
            Commit(portal, context);
            return new ApiResult(StatusCodes.Status200OK, DefaultBatch([(fromId, toId, type)], started));
        }
    }

    /// <summary>GET /crm/v4/objects/{from}/{id}/associations/{to}.</summary>
    public ApiResult ListAssociations(Caller caller, ObjectType from, string fromId, ObjectType to)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (!Exists(portal, from, fromId))
                return ObjectNotFound(from, fromId);
            return new ApiResult(StatusCodes.Status200OK, new JsonObject
            {
                ["results"] = new JsonArray(LinksFrom(portal, from, fromId, to).Select(l => (JsonNode)MultiAssociated(l)).ToArray()),
            });
        }
    }

    /// <summary>DELETE /crm/v4/objects/{from}/{id}/associations/{to}/{toId}: removes every association type between the two.</summary>
    public ApiResult RemoveAssociations(Caller caller, ObjectType from, string fromId, ObjectType to, string toId)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var context = new ChangeContext(caller, Now);
            RemoveAssociation(portal, from, fromId, to, toId, context);
            Commit(portal, context);
            return ApiResult.NoContent;
        }
    }

    /// <summary>POST /crm/v4/associations/{from}/{to}/batch/create.</summary>
    public ApiResult BatchAssociate(Caller caller, ObjectType from, ObjectType to, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var started = Now;
            var prepared = new List<(string FromId, string ToId, List<AssociationType> Types)>();
            foreach (var input in inputs)
            {
                var fromId = input?["from"]?["id"]?.ToString() ?? "";
                var toId = input?["to"]?["id"]?.ToString() ?? "";
                var types = new List<AssociationType>();
                foreach (var spec in input?["types"] as JsonArray ?? [])
                {
                    var resolved = ResolveAssociationSpec(from, spec, out var error);
                    if (error is not null)
                        return error;
                    if (resolved!.To != to)
                        return ApiResult.Validation($"associationTypeId {resolved.Id} ({resolved.Name}) does not go from {from.Singular} to {to.Singular}.");
                    if (LineItemParentError(portal, resolved, fromId, toId) is { } parentError)
                        return parentError;
                    types.Add(resolved);
                }
                if (types.Count == 0)
                    return ApiResult.Validation("Each input needs at least one entry in \"types\".");
                if (CheckPair(portal, from, fromId, to, toId) is { } missing)
                    return missing;
                prepared.Add((fromId, toId, types));
            }
            var context = new ChangeContext(caller, started);
            var results = new JsonArray();
            foreach (var (fromId, toId, types) in prepared)
            {
                foreach (var type in types)
                    AddAssociation(portal, from, fromId, type, toId, context);
                results.Add(LabelsBetween(from, fromId, to, toId, types));
            }
            Commit(portal, context);
            return new ApiResult(StatusCodes.Status201Created, BatchBody(results, started, []));
        }
    }

    /// <summary>POST /crm/v4/associations/{from}/{to}/batch/associate/default.</summary>
    public ApiResult BatchAssociateDefault(Caller caller, ObjectType from, ObjectType to, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var type = AssociationCatalog.DefaultBetween(from, to);
            if (type is null)
                return ApiResult.Validation($"{from.Name} cannot be associated with {to.Name}.");
            var started = Now;
            var pairs = new List<(string, string, AssociationType)>();
            foreach (var input in inputs)
            {
                var fromId = input?["from"]?["id"]?.ToString() ?? "";
                var toId = input?["to"]?["id"]?.ToString() ?? "";
                if (CheckPair(portal, from, fromId, to, toId) is { } missing)
                    return missing;
                if (LineItemParentError(portal, type, fromId, toId) is { } parentError)
                    return parentError;
                pairs.Add((fromId, toId, type));
            }
            var context = new ChangeContext(caller, started);
            foreach (var (fromId, toId, association) in pairs)
                AddAssociation(portal, from, fromId, association, toId, context);
            Commit(portal, context);
            return new ApiResult(StatusCodes.Status200OK, DefaultBatch(pairs, started));
        }
    }

    /// <summary>POST /crm/v4/associations/{from}/{to}/batch/read.</summary>
    public ApiResult BatchReadAssociations(Caller caller, ObjectType from, ObjectType to, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var started = Now;
            var results = new JsonArray();
            var missing = new List<string>();
            foreach (var input in inputs)
            {
                var fromId = input?["id"]?.ToString() ?? "";
                if (!Exists(portal, from, fromId))
                {
                    missing.Add(fromId);
                    continue;
                }
                results.Add(new JsonObject
                {
                    ["from"] = new JsonObject { ["id"] = fromId },
                    ["to"] = new JsonArray(LinksFrom(portal, from, fromId, to).Select(l => (JsonNode)MultiAssociated(l)).ToArray()),
                });
            }
            return new ApiResult(missing.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status207MultiStatus,
                BatchBody(results, started, missing.Count == 0 ? [] : [NotFoundBatchError(from, missing)]));
        }
    }

    /// <summary>POST /crm/v4/associations/{from}/{to}/batch/archive: inputs of {from:{id}, to:[{id}]}.</summary>
    public ApiResult BatchRemoveAssociations(Caller caller, ObjectType from, ObjectType to, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            if (BatchInputs(body, out var inputs) is { } invalid)
                return invalid;
            var context = new ChangeContext(caller, Now);
            foreach (var input in inputs)
            {
                var fromId = input?["from"]?["id"]?.ToString() ?? "";
                foreach (var target in input?["to"] as JsonArray ?? [])
                    RemoveAssociation(portal, from, fromId, to, target?["id"]?.ToString() ?? "", context);
            }
            Commit(portal, context);
            return ApiResult.NoContent;
        }
    }

    // ---- internals ----

    private IEnumerable<AssociationLink> LinksFrom(Portal portal, ObjectType from, string fromId, ObjectType to) =>
        portal.Associations
            .Where(l => l.FromType == from.Name && l.FromId == fromId && l.ToType == to.Name && l.TypeIds.Count > 0 && Exists(portal, to, l.ToId))
            .OrderBy(l => long.Parse(l.ToId, CultureInfo.InvariantCulture));

    /// <summary>Primary types first (HubSpot lists "deal_to_company" before "deal_to_company_unlabeled").</summary>
    private static IEnumerable<int> OrderTypeIds(IEnumerable<int> ids) =>
        ids.OrderBy(id => AssociationCatalog.Find(id)?.IsPrimary == true ? 0 : 1).ThenBy(id => id);

    private static JsonObject MultiAssociated(AssociationLink link) => new()
    {
        ["toObjectId"] = long.Parse(link.ToId, CultureInfo.InvariantCulture),
        ["associationTypes"] = new JsonArray(OrderTypeIds(link.TypeIds).Select(id => (JsonNode)new JsonObject
        {
            ["category"] = AssociationCatalog.HubSpotDefined,
            ["typeId"] = id,
            ["label"] = AssociationCatalog.Find(id)?.Label,
        }).ToArray()),
    };

    private static JsonObject LabelsBetween(ObjectType from, string fromId, ObjectType to, string toId, IEnumerable<AssociationType> types) => new()
    {
        ["fromObjectTypeId"] = from.TypeId,
        ["fromObjectId"] = long.Parse(fromId, CultureInfo.InvariantCulture),
        ["toObjectTypeId"] = to.TypeId,
        ["toObjectId"] = long.Parse(toId, CultureInfo.InvariantCulture),
        ["labels"] = new JsonArray(types.Select(t => t.Label).Where(l => l is not null).Distinct().Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
    };

    private static JsonObject DefaultBatch(IEnumerable<(string FromId, string ToId, AssociationType Type)> pairs, DateTimeOffset started) => new()
    {
        ["status"] = "COMPLETE",
        ["results"] = new JsonArray(pairs.Select(p => (JsonNode)new JsonObject
        {
            ["from"] = new JsonObject { ["id"] = p.FromId },
            ["to"] = new JsonObject { ["id"] = p.ToId },
            ["associationSpec"] = new JsonObject
            {
                ["associationCategory"] = AssociationCatalog.HubSpotDefined,
                ["associationTypeId"] = p.Type.Id,
            },
        }).ToArray()),
        ["startedAt"] = PropertyValues.FormatInstant(started),
        ["completedAt"] = PropertyValues.FormatInstant(started),
    };

    private static AssociationType? ResolveAssociationSpec(ObjectType from, JsonNode? spec, out ApiResult? error)
    {
        error = null;
        var category = spec?["associationCategory"]?.ToString();
        var rawId = spec?["associationTypeId"]?.ToString();
        if (!int.TryParse(rawId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var typeId))
        {
            error = ApiResult.Validation("associationTypeId must be a number.");
            return null;
        }
        if (category != AssociationCatalog.HubSpotDefined)
        {
            error = ApiResult.Validation($"associationCategory {category} is not known here: the sandbox only has HUBSPOT_DEFINED association types.");
            return null;
        }
        var resolved = AssociationCatalog.Find(from, typeId);
        if (resolved is null)
            error = ApiResult.Validation($"associationTypeId {typeId} is not a valid HUBSPOT_DEFINED association type from {from.Singular}.");
        return resolved;
    }

    private ApiResult? CheckPair(Portal portal, ObjectType from, string fromId, ObjectType to, string toId)
    {
        var missing = new List<string>();
        if (!Exists(portal, from, fromId))
            missing.Add(fromId);
        if (!Exists(portal, to, toId))
            missing.Add(toId);
        return missing.Count == 0
            ? null
            : ApiResult.Validation($"One or more objects do not exist: {string.Join(", ", missing)}.",
                new JsonObject { ["ids"] = new JsonArray(missing.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()) });
    }

    /// <summary>"Line items belong to one single parent object": a line item already on another deal cannot join a second one.</summary>
    private ApiResult? LineItemParentError(Portal portal, AssociationType type, string? fromId, string toId)
    {
        string? lineItemId;
        string? dealId;
        if (type.From == ObjectType.LineItems && type.To == ObjectType.Deals)
            (lineItemId, dealId) = (fromId, toId);
        else if (type.From == ObjectType.Deals && type.To == ObjectType.LineItems)
            (lineItemId, dealId) = (toId, fromId);
        else
            return null;
        if (lineItemId is null)
            return null;
        var other = LinksFrom(portal, ObjectType.LineItems, lineItemId, ObjectType.Deals).FirstOrDefault(l => l.ToId != dealId);
        return other is null
            ? null
            : ApiResult.Validation($"Line item {lineItemId} already belongs to deal {other.ToId}; a line item can have only one parent.");
    }

    private AssociationLink Link(Portal portal, ObjectType from, string fromId, ObjectType to, string toId)
    {
        var link = portal.Associations.FirstOrDefault(l => l.FromType == from.Name && l.FromId == fromId && l.ToType == to.Name && l.ToId == toId);
        if (link is null)
        {
            link = new AssociationLink { FromType = from.Name, FromId = fromId, ToType = to.Name, ToId = toId };
            portal.Associations.Add(link);
        }
        return link;
    }

    private static bool AddTypes(AssociationLink link, AssociationType type)
    {
        var added = false;
        foreach (var id in type.UnlabeledId is { } unlabeled ? new[] { type.Id, unlabeled } : [type.Id])
        {
            if (!link.TypeIds.Contains(id))
            {
                link.TypeIds.Add(id);
                added = true;
            }
        }
        return added;
    }

    private void AddAssociation(Portal portal, ObjectType from, string fromId, AssociationType type, string toId, ChangeContext context)
    {
        var inverse = AssociationCatalog.Find(type.InverseId)!;
        if (type.IsPrimary)
        {
            // An object has one primary of each kind: demote the previous one.
            var ownerIsFrom = type.PrimaryOwner == type.From;
            var (ownerType, ownerId, otherType, otherId) = ownerIsFrom ? (type.From, fromId, type.To, toId) : (type.To, toId, type.From, fromId);
            var ownerPrimary = ownerIsFrom ? type : inverse;
            foreach (var previous in portal.Associations.Where(l => l.FromType == ownerType.Name && l.FromId == ownerId && l.ToType == otherType.Name
                && l.ToId != otherId && l.TypeIds.Contains(ownerPrimary.Id)).ToList())
            {
                previous.TypeIds.Remove(ownerPrimary.Id);
                Link(portal, otherType, previous.ToId, ownerType, ownerId).TypeIds.Remove(ownerPrimary.InverseId);
                context.Changes.Add(new Change("associationChange", ownerType, ownerId, Association: ownerPrimary, ToObjectId: previous.ToId, Removed: true));
                context.Changes.Add(new Change("associationChange", otherType, previous.ToId, Association: AssociationCatalog.Find(ownerPrimary.InverseId), ToObjectId: ownerId, Removed: true));
            }
        }
        var added = AddTypes(Link(portal, from, fromId, type.To, toId), type);
        added |= AddTypes(Link(portal, type.To, toId, from, fromId), inverse);
        if (added)
        {
            context.Changes.Add(new Change("associationChange", from, fromId, Association: type, ToObjectId: toId));
            context.Changes.Add(new Change("associationChange", type.To, toId, Association: inverse, ToObjectId: fromId));
        }
    }

    private void RemoveAssociation(Portal portal, ObjectType from, string fromId, ObjectType to, string toId, ChangeContext context)
    {
        var forward = portal.Associations.FirstOrDefault(l => l.FromType == from.Name && l.FromId == fromId && l.ToType == to.Name && l.ToId == toId);
        if (forward is null || forward.TypeIds.Count == 0)
            return;
        var main = AssociationCatalog.Find(OrderTypeIds(forward.TypeIds).First());
        portal.Associations.RemoveAll(l => (l.FromType == from.Name && l.FromId == fromId && l.ToType == to.Name && l.ToId == toId)
            || (l.FromType == to.Name && l.FromId == toId && l.ToType == from.Name && l.ToId == fromId));
        if (main is not null)
        {
            context.Changes.Add(new Change("associationChange", from, fromId, Association: main, ToObjectId: toId, Removed: true));
            context.Changes.Add(new Change("associationChange", to, toId, Association: AssociationCatalog.Find(main.InverseId), ToObjectId: fromId, Removed: true));
        }
    }
}
