using QuoteToCash.WebApp.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebAppDefaults();   // OpenTelemetry, clock, health, problem details
builder.AddFinanceWebApp();    // sign-in, cookie session, antiforgery, the gateway client, the pages

var app = builder.Build();
app.UseFinanceWebApp();
app.MapFinanceWebApp();        // /health/live, /health/ready, the pages under / and /app
app.Run();

public partial class Program;
