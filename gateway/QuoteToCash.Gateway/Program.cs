using QuoteToCash.Gateway.Apis;
using QuoteToCash.Gateway.Extensions;
using QuoteToCash.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("gateway");
builder.AddGateway();

var app = builder.Build();
app.MapDefaultEndpoints(mapReadiness: false);
app.UseRateLimiter(); // after authentication: a tenant's allowance is counted only for callers that may act for it
app.MapPlatformHealth();
app.MapDevTokenIssuer();
app.MapApiFallback();
app.MapReverseProxy();
app.Run();

public partial class Program;
