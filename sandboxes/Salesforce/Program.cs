using QuoteToCash.Sandbox.Salesforce.Extensions;
using QuoteToCash.Sandbox.Shared;

var builder = WebApplication.CreateBuilder(args);
builder.AddSandboxClock();
builder.UseDefaultUrlWhenNoneGiven("http://127.0.0.1:8093");
builder.AddSalesforceSandbox();

var app = builder.Build();
app.MapSalesforceSandbox();
app.Run();

public partial class Program;
