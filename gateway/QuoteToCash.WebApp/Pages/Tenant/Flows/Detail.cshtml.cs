using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using QuoteToCash.WebApp.Extensions;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Flows;

/// <summary>A deal's journey: each state with its time (reporting's timeline), its invoices, and links to the CRM record and the QuickBooks invoice.</summary>
public sealed class DetailModel(GatewayClient api, IOptions<WebAppOptions> options) : TenantPageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public ApiResult<Flow>? Flow { get; private set; }

    public ApiResult<Timeline>? Timeline { get; private set; }

    public WebAppOptions.LinkOptions Links => options.Value.Links;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var flow = Api.GetAsync<Flow>(ApiPath("billing", $"flows/{Id}"), cancellationToken);
        var timeline = Api.GetAsync<Timeline>(ApiPath("reports", $"flows/{Id}/timeline"), cancellationToken);
        Flow = await flow;
        Timeline = await timeline;
    }
}
