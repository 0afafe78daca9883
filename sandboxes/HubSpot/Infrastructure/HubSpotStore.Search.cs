using System.Globalization;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

public sealed partial class HubSpotStore
{
    /// <summary>POST /crm/v3/objects/{type}/search: filter groups, one sort, a free-text query, offset paging.</summary>
    public ApiResult Search(Caller caller, ObjectType type, JsonObject? body)
    {
        body ??= [];
        var limit = 10;
        if (body["limit"] is JsonValue limitValue)
        {
            if (!int.TryParse(limitValue.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 0)
                return ApiResult.Validation("limit must be a non-negative integer.");
            if (limit > SearchQuery.MaxLimit)
                return ApiResult.Validation($"limit must be less than or equal to {SearchQuery.MaxLimit}.");
        }
        var offset = 0;
        if (body["after"] is JsonValue afterValue && !int.TryParse(afterValue.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out offset))
            return ApiResult.Validation("after must be a paging cursor returned by a previous search.");

        var groups = new List<IReadOnlyList<SearchFilter>>();
        if (body["filterGroups"] is JsonArray filterGroups)
        {
            if (filterGroups.Count > SearchQuery.MaxFilterGroups)
                return ApiResult.Validation($"Too many filter groups: at most {SearchQuery.MaxFilterGroups} are allowed.");
            foreach (var group in filterGroups)
            {
                var filters = new List<SearchFilter>();
                foreach (var filter in group?["filters"] as JsonArray ?? [])
                {
                    var propertyName = filter?["propertyName"]?.ToString();
                    var op = filter?["operator"]?.ToString() ?? "EQ";
                    if (string.IsNullOrEmpty(propertyName))
                        return ApiResult.Validation("Every filter needs a propertyName.");
                    if (!SearchQuery.Operators.Contains(op))
                        return ApiResult.Validation($"Unknown filter operator {op}.");
                    filters.Add(new SearchFilter(propertyName, op, filter?["value"]?.ToString(),
                        StringList(filter?["values"]) ?? [], filter?["highValue"]?.ToString()));
                }
                if (filters.Count > SearchQuery.MaxFiltersPerGroup)
                    return ApiResult.Validation($"Too many filters in a group: at most {SearchQuery.MaxFiltersPerGroup} are allowed.");
                groups.Add(filters);
            }
            if (groups.Sum(g => g.Count) > SearchQuery.MaxFilters)
                return ApiResult.Validation($"Too many filters: at most {SearchQuery.MaxFilters} are allowed across all groups.");
        }

        SearchSort? sort = null;
        if (body["sorts"] is JsonArray sorts && sorts.Count > 0)
        {
            var first = sorts[0];
            if (first is JsonValue text)
            {
                var name = text.ToString();
                sort = name.StartsWith('-') ? new SearchSort(name[1..], true) : new SearchSort(name, false);
            }
            else if (first?["propertyName"]?.ToString() is { Length: > 0 } name)
            {
                sort = new SearchSort(name, string.Equals(first["direction"]?.ToString(), "DESCENDING", StringComparison.OrdinalIgnoreCase));
            }
        }
        var query = body["query"]?.ToString();
        var requested = StringList(body["properties"]);

        lock (_gate)
        {
            var portal = PortalOf(caller);
            string TypeOf(string name) => Definition(portal, type, name)?.Type ?? "string";
            var matches = portal.Objects[type.Name].Values
                .Where(o => !o.Archived)
                .Where(o => SearchQuery.Matches(o.Get, TypeOf, groups))
                .Where(o => string.IsNullOrWhiteSpace(query) || o.Id == query.Trim()
                    || type.SearchableProperties.Any(p => o.Get(p)?.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase) == true))
                .ToList();
            matches.Sort((a, b) =>
            {
                if (sort is not null)
                {
                    var left = a.Get(sort.PropertyName);
                    var right = b.Get(sort.PropertyName);
                    var order = left is null ? (right is null ? 0 : -1) : right is null ? 1 : SearchQuery.Compare(left, right, TypeOf(sort.PropertyName));
                    if (order != 0)
                        return sort.Descending ? -order : order;
                }
                return long.Parse(a.Id, CultureInfo.InvariantCulture).CompareTo(long.Parse(b.Id, CultureInfo.InvariantCulture));
            });
            var options = new ReadOptions(requested, null, []);
            var page = matches.Skip(offset).Take(limit).ToList();
            var result = new JsonObject
            {
                ["total"] = matches.Count,
                ["results"] = new JsonArray(page.Select(o => (JsonNode)Render(portal, type, o, options, allSetValues: false)).ToArray()),
            };
            if (offset + limit < matches.Count && limit > 0)
            {
                var next = (offset + limit).ToString(CultureInfo.InvariantCulture);
                result["paging"] = Paging(next, $"?after={next}");
            }
            return new ApiResult(StatusCodes.Status200OK, result);
        }
    }
}
