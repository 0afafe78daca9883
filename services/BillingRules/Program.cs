using QuoteToCash.BillingRules.Apis;
using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("billing-rules");
builder.AddBillingRules();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapFlowsApi();
app.MapApprovalsApi();
app.MapBillingPolicyApi();
app.MapAdjustmentsApi();
app.MapParallelRunApi();
app.MapManualChargesApi();
app.Run();

public partial class Program;
