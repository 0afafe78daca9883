using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

public sealed partial class HubSpotStore
{
    // ---- pipelines ----

    public ApiResult ListPipelines(Caller caller, ObjectType type)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var pipelines = type == ObjectType.Deals ? portal.DealPipelines.Where(p => !p.Archived) : [];
            return new ApiResult(StatusCodes.Status200OK, new JsonObject
            {
                ["results"] = new JsonArray(pipelines.OrderBy(p => p.DisplayOrder).Select(p => (JsonNode)RenderPipeline(p)).ToArray()),
            });
        }
    }

    public ApiResult GetPipeline(Caller caller, ObjectType type, string pipelineId)
    {
        lock (_gate)
        {
            var pipeline = FindPipeline(PortalOf(caller), type, pipelineId);
            return pipeline is null
                ? ApiResult.NotFound($"Pipeline {pipelineId} does not exist.")
                : new ApiResult(StatusCodes.Status200OK, RenderPipeline(pipeline));
        }
    }

    public ApiResult ListStages(Caller caller, ObjectType type, string pipelineId)
    {
        lock (_gate)
        {
            var pipeline = FindPipeline(PortalOf(caller), type, pipelineId);
            return pipeline is null
                ? ApiResult.NotFound($"Pipeline {pipelineId} does not exist.")
                : new ApiResult(StatusCodes.Status200OK, new JsonObject
                {
                    ["results"] = new JsonArray(pipeline.Stages.Where(s => !s.Archived).Select(s => (JsonNode)RenderStage(s)).ToArray()),
                });
        }
    }

    public ApiResult GetStage(Caller caller, ObjectType type, string pipelineId, string stageId)
    {
        lock (_gate)
        {
            var stage = FindPipeline(PortalOf(caller), type, pipelineId)?.Stages.FirstOrDefault(s => s.Id == stageId && !s.Archived);
            return stage is null
                ? ApiResult.NotFound($"Stage {stageId} does not exist in pipeline {pipelineId}.")
                : new ApiResult(StatusCodes.Status200OK, RenderStage(stage));
        }
    }

    private static Pipeline? FindPipeline(Portal portal, ObjectType type, string pipelineId) =>
        type == ObjectType.Deals ? portal.DealPipelines.FirstOrDefault(p => p.Id == pipelineId && !p.Archived) : null;

    private static JsonObject RenderPipeline(Pipeline pipeline) => new()
    {
        ["label"] = pipeline.Label,
        ["displayOrder"] = pipeline.DisplayOrder,
        ["id"] = pipeline.Id,
        ["stages"] = new JsonArray(pipeline.Stages.Where(s => !s.Archived).Select(s => (JsonNode)RenderStage(s)).ToArray()),
        ["createdAt"] = PropertyValues.FormatInstant(pipeline.CreatedAt),
        ["updatedAt"] = PropertyValues.FormatInstant(pipeline.UpdatedAt),
        ["archived"] = pipeline.Archived,
    };

    /// <summary>Stage metadata values are strings on HubSpot ("true", "0.2").</summary>
    private static JsonObject RenderStage(PipelineStage stage) => new()
    {
        ["label"] = stage.Label,
        ["displayOrder"] = stage.DisplayOrder,
        ["metadata"] = new JsonObject
        {
            ["isClosed"] = stage.IsClosed ? "true" : "false",
            ["probability"] = stage.Probability.ToString("0.0##", CultureInfo.InvariantCulture),
        },
        ["id"] = stage.Id,
        ["createdAt"] = PropertyValues.FormatInstant(stage.CreatedAt),
        ["updatedAt"] = PropertyValues.FormatInstant(stage.UpdatedAt),
        ["archived"] = stage.Archived,
        ["writePermissions"] = "CRM_PERMISSIONS_ENFORCEMENT",
    };

    // ---- properties ----

    public ApiResult ListProperties(Caller caller, ObjectType type, bool archived)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            return new ApiResult(StatusCodes.Status200OK, new JsonObject
            {
                ["results"] = new JsonArray(portal.Properties[type.Name].Where(p => p.Archived == archived).Select(p => (JsonNode)RenderProperty(p)).ToArray()),
            });
        }
    }

    public ApiResult GetProperty(Caller caller, ObjectType type, string name, bool archived)
    {
        lock (_gate)
        {
            var property = PortalOf(caller).Properties[type.Name].FirstOrDefault(p => p.Name == name && p.Archived == archived);
            return property is null ? PropertyNotFound(type, name) : new ApiResult(StatusCodes.Status200OK, RenderProperty(property));
        }
    }

    public ApiResult CreateProperty(Caller caller, ObjectType type, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var name = body?["name"]?.ToString();
            var label = body?["label"]?.ToString();
            var kind = body?["type"]?.ToString();
            var fieldType = body?["fieldType"]?.ToString();
            var groupName = body?["groupName"]?.ToString();
            var problems = new List<string>();
            if (string.IsNullOrEmpty(name) || !PropertyNamePattern().IsMatch(name))
                problems.Add("name is required: lower-case letters, digits and underscores, starting with a letter");
            if (string.IsNullOrEmpty(label))
                problems.Add("label is required");
            if (kind is null || !PropertyDefinition.Types.Contains(kind))
                problems.Add($"type must be one of {string.Join(", ", PropertyDefinition.Types)}");
            if (fieldType is null || !PropertyDefinition.FieldTypes.Contains(fieldType))
                problems.Add($"fieldType must be one of {string.Join(", ", PropertyDefinition.FieldTypes)}");
            if (string.IsNullOrEmpty(groupName))
                problems.Add("groupName is required");
            else if (!portal.PropertyGroups[type.Name].Any(g => g.Name == groupName && !g.Archived))
                problems.Add($"property group {groupName} does not exist");
            var options = ReadOptionsList(body?["options"]);
            if (kind == "enumeration" && options.Count == 0 && !Flag(body?["externalOptions"]))
                problems.Add("an enumeration property needs options");
            if (problems.Count > 0)
                return ApiResult.Validation("Invalid property definition: " + string.Join("; ", problems) + ".");
            var existing = portal.Properties[type.Name].FirstOrDefault(p => p.Name == name);
            if (existing is not null && !existing.Archived)
                return ApiResult.Error(StatusCodes.Status409Conflict, "OBJECT_ALREADY_EXISTS", $"Property named '{name}' already exists.");
            if (existing is not null)
                portal.Properties[type.Name].Remove(existing);
            var now = Now;
            var property = new PropertyDefinition
            {
                Name = name!,
                Label = label!,
                Type = kind!,
                FieldType = fieldType!,
                GroupName = groupName!,
                Description = body?["description"]?.ToString() ?? "",
                Options = options,
                DisplayOrder = body?["displayOrder"] is JsonValue order && int.TryParse(order.ToString(), out var o) ? o : -1,
                HasUniqueValue = Flag(body?["hasUniqueValue"]),
                Hidden = Flag(body?["hidden"]),
                FormField = Flag(body?["formField"]),
                ExternalOptions = Flag(body?["externalOptions"]),
                CreatedAt = now,
                UpdatedAt = now,
            };
            portal.Properties[type.Name].Add(property);
            Touch();
            return new ApiResult(StatusCodes.Status201Created, RenderProperty(property));
        }
    }

    public ApiResult UpdateProperty(Caller caller, ObjectType type, string name, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var property = portal.Properties[type.Name].FirstOrDefault(p => p.Name == name && !p.Archived);
            if (property is null)
                return PropertyNotFound(type, name);
            if (property.HubspotDefined && body?.Any(kv => kv.Key is "type" or "fieldType" or "options") == true)
                return ApiResult.Validation($"{name} is a HubSpot-defined property; its type and options cannot be changed.");
            if (body?["label"]?.ToString() is { Length: > 0 } label)
                property.Label = label;
            if (body?["description"]?.ToString() is { } description)
                property.Description = description;
            if (body?["groupName"]?.ToString() is { Length: > 0 } group)
            {
                if (!portal.PropertyGroups[type.Name].Any(g => g.Name == group && !g.Archived))
                    return ApiResult.Validation($"property group {group} does not exist.");
                property.GroupName = group;
            }
            if (body?["type"]?.ToString() is { } kind)
            {
                if (!PropertyDefinition.Types.Contains(kind))
                    return ApiResult.Validation($"type must be one of {string.Join(", ", PropertyDefinition.Types)}.");
                property.Type = kind;
            }
            if (body?["fieldType"]?.ToString() is { } fieldType)
            {
                if (!PropertyDefinition.FieldTypes.Contains(fieldType))
                    return ApiResult.Validation($"fieldType must be one of {string.Join(", ", PropertyDefinition.FieldTypes)}.");
                property.FieldType = fieldType;
            }
            if (body?["options"] is JsonArray)
                property.Options = ReadOptionsList(body["options"]);
            if (body?["hidden"] is JsonValue)
                property.Hidden = Flag(body["hidden"]);
            property.UpdatedAt = Now;
            Touch();
            return new ApiResult(StatusCodes.Status200OK, RenderProperty(property));
        }
    }

    public ApiResult ArchiveProperty(Caller caller, ObjectType type, string name)
    {
        lock (_gate)
        {
            var property = PortalOf(caller).Properties[type.Name].FirstOrDefault(p => p.Name == name && !p.Archived);
            if (property is null)
                return PropertyNotFound(type, name);
            if (property.HubspotDefined)
                return ApiResult.Validation($"{name} is a HubSpot-defined property and cannot be archived.");
            property.Archived = true;
            property.ArchivedAt = Now;
            Touch();
            return ApiResult.NoContent;
        }
    }

    public ApiResult ListPropertyGroups(Caller caller, ObjectType type)
    {
        lock (_gate)
        {
            return new ApiResult(StatusCodes.Status200OK, new JsonObject
            {
                ["results"] = new JsonArray(PortalOf(caller).PropertyGroups[type.Name].Where(g => !g.Archived).Select(g => (JsonNode)RenderGroup(g)).ToArray()),
            });
        }
    }

    public ApiResult CreatePropertyGroup(Caller caller, ObjectType type, JsonObject? body)
    {
        lock (_gate)
        {
            var portal = PortalOf(caller);
            var name = body?["name"]?.ToString();
            var label = body?["label"]?.ToString();
            if (string.IsNullOrEmpty(name) || !PropertyNamePattern().IsMatch(name) || string.IsNullOrEmpty(label))
                return ApiResult.Validation("A property group needs a name (lower-case letters, digits, underscores) and a label.");
            if (portal.PropertyGroups[type.Name].Any(g => g.Name == name && !g.Archived))
                return ApiResult.Error(StatusCodes.Status409Conflict, "OBJECT_ALREADY_EXISTS", $"Property group named '{name}' already exists.");
            var group = new PropertyGroup
            {
                Name = name,
                Label = label,
                DisplayOrder = body?["displayOrder"] is JsonValue order && int.TryParse(order.ToString(), out var o) ? o : -1,
            };
            portal.PropertyGroups[type.Name].Add(group);
            Touch();
            return new ApiResult(StatusCodes.Status201Created, RenderGroup(group));
        }
    }

    private static ApiResult PropertyNotFound(ObjectType type, string name) =>
        ApiResult.NotFound($"Unable to find property {name} for object type {type.Name}.");

    private static List<PropertyOption> ReadOptionsList(JsonNode? node) =>
        (node as JsonArray ?? []).Select((o, i) => new PropertyOption
        {
            Label = o?["label"]?.ToString() ?? o?["value"]?.ToString() ?? "",
            Value = o?["value"]?.ToString() ?? "",
            Description = o?["description"]?.ToString(),
            DisplayOrder = o?["displayOrder"] is JsonValue d && int.TryParse(d.ToString(), out var n) ? n : i,
            Hidden = o?["hidden"] is JsonValue h && h.ToString() == "true",
        }).Where(o => o.Value.Length > 0).ToList();

    private static JsonObject RenderGroup(PropertyGroup group) => new()
    {
        ["name"] = group.Name,
        ["label"] = group.Label,
        ["displayOrder"] = group.DisplayOrder,
        ["archived"] = group.Archived,
    };

    private static JsonObject RenderProperty(PropertyDefinition p)
    {
        var body = new JsonObject
        {
            ["updatedAt"] = PropertyValues.FormatInstant(p.UpdatedAt),
            ["createdAt"] = PropertyValues.FormatInstant(p.CreatedAt),
            ["name"] = p.Name,
            ["label"] = p.Label,
            ["type"] = p.Type,
            ["fieldType"] = p.FieldType,
            ["description"] = p.Description,
            ["groupName"] = p.GroupName,
            ["options"] = new JsonArray(p.Options.Select(o => (JsonNode)new JsonObject
            {
                ["label"] = o.Label,
                ["value"] = o.Value,
                ["description"] = o.Description,
                ["displayOrder"] = o.DisplayOrder,
                ["hidden"] = o.Hidden,
            }).ToArray()),
            ["displayOrder"] = p.DisplayOrder,
            ["calculated"] = p.Calculated,
            ["externalOptions"] = p.ExternalOptions,
            ["hasUniqueValue"] = p.HasUniqueValue,
            ["hidden"] = p.Hidden,
            ["hubspotDefined"] = p.HubspotDefined,
            ["modificationMetadata"] = new JsonObject
            {
                ["archivable"] = !p.HubspotDefined,
                ["readOnlyDefinition"] = p.HubspotDefined,
                ["readOnlyValue"] = p.ReadOnlyValue,
            },
            ["formField"] = p.FormField,
            ["archived"] = p.Archived,
        };
        if (p.ArchivedAt is { } archivedAt)
            body["archivedAt"] = PropertyValues.FormatInstant(archivedAt);
        return body;
    }

    private static bool Flag(JsonNode? node) =>
        node is JsonValue value && (value.GetValueKind() == System.Text.Json.JsonValueKind.True || string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex PropertyNamePattern();
}
