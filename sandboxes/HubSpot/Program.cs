using QuoteToCash.Sandbox.HubSpot.Extensions;
using QuoteToCash.Sandbox.Shared;

var builder = WebApplication.CreateBuilder(args);
builder.AddSandboxClock();
builder.UseDefaultUrlWhenNoneGiven("http://127.0.0.1:8092");
builder.AddHubSpotSandbox();

var app = builder.Build();
app.MapHubSpotSandbox();
app.Run();

public partial class Program;
