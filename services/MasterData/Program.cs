using QuoteToCash.MasterData.Apis;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("master-data");
builder.AddMasterData();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCustomersApi();
app.MapReviewApi();
app.MapPolicyApi();
app.MapItemMappingsApi();
app.Run();

public partial class Program;
