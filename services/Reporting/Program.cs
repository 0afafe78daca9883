using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("reporting");
builder.AddReporting();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTimelineApi();
app.MapKpiApi();
app.Run();

public partial class Program;
