using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Extensions;
using QuoteToCash.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("crm-ingest");
builder.AddCrmIngest();
builder.Services.AddHostedService<QuoteToCash.CrmIngest.Infrastructure.Backfill.BackfillWorker>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDealsApi();
app.MapCrmConnectionApi();
app.MapBillingDefaultsApi();
app.MapCrmWebhooks();
app.MapDeliveriesApi();
app.MapBackfillApi();
app.Run();

public partial class Program;
