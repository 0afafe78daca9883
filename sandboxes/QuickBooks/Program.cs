using QuoteToCash.Sandbox.QuickBooks.Apis;
using QuoteToCash.Sandbox.QuickBooks.Extensions;
using QuoteToCash.Sandbox.Shared;

var builder = WebApplication.CreateBuilder(args);
builder.AddSandboxClock();
builder.UseDefaultSandboxUrl("http://127.0.0.1:8091");
builder.AddQuickBooksSandbox();

var app = builder.Build();
app.UseQuickBooksSandbox();
app.MapOAuthApi();
app.MapAccountingApi();
app.MapSandboxControlApi();
app.Run();

public partial class Program;
