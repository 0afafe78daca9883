using Microsoft.AspNetCore.Mvc;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Flows;

/// <summary>The tenant's deals on their way from won to cash: newest first, filtered by state, stuck or held.</summary>
public sealed class IndexModel(GatewayClient api) : TenantPageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Stuck { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Held { get; set; }

    public ApiResult<List<Flow>>? Flows { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = Exceptions.IndexModel.Query(("state", State), ("stuck", Stuck ? "true" : null), ("held", Held ? "true" : null), ("limit", "200"));
        Flows = await Api.GetAsync<List<Flow>>(ApiPath("billing", "flows") + query, cancellationToken);
    }
}
