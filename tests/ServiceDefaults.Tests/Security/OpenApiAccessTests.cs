using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.ServiceDefaults.Tests.Security;

/// <summary>A service's OpenAPI document (mapped with MapOpenApi) answers only operators.</summary>
public sealed class OpenApiAccessTests : IAsyncLifetime
{
    private static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private const string Document = "/api/test/openapi/v1.json";
    private WebApplication? _app;
    private readonly HttpClient _client = new();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = SigningKey });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults("openapi-tests");
        builder.Services.AddOpenApi();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGet("/api/test/{tenant}/things", () => "ok");
        _app.MapOpenApi("/api/test/openapi/{documentName}.json");
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client.BaseAddress = new Uri(address);
    }

    private static string Token(params string[] roles)
    {
        var claims = new List<Claim> { new("sub", "someone") };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "quotetocash-local",
            Audience = "quotetocash",
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    private async Task<HttpResponseMessage> Get(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Document);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_anonymous_caller_gets_a_401_problem()
    {
        using var response = await Get(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("/api/test/{tenant}/things", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_an_operator_role_gets_403()
    {
        using var response = await Get(Token("customer"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_operator_reads_the_document()
    {
        using var response = await Get(Token(Roles.Auditor));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/api/test/{tenant}/things", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
