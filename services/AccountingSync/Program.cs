using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("accounting-sync");
builder.AddAccountingSync();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapConnectionApi();
app.MapAdjustmentSettingsApi();
app.MapQuickBooksWebhook();
app.MapExceptionsApi();
app.MapReconciliationApi();
app.MapOutboundApi();
app.Run();

public partial class Program;
