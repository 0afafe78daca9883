using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Extensions;
using QuoteToCash.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("crm-ingest");
builder.AddCrmIngest();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDealsApi();
app.MapCrmConnectionApi();
app.MapCrmWebhooks();
app.MapDeliveriesApi();
app.Run();

public partial class Program;
