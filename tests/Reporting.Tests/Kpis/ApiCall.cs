using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace QuoteToCash.Reporting.Tests.Kpis;

/// <summary>Runs an endpoint's result the way ASP.NET Core does, and reads back the status, content type and body.</summary>
public static class ApiCall
{
    public sealed record Answer(int Status, string ContentType, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public T As<T>() => JsonSerializer.Deserialize<T>(Body, JsonSerializerOptions.Web)!;
    }

    public static HttpRequest Request(IServiceProvider services, string? accept = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        if (accept is not null)
            context.Request.Headers.Accept = accept;
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static async Task<Answer> RunAsync(IServiceProvider services, Func<HttpRequest, Task<IResult>> endpoint, string? accept = null)
    {
        var request = Request(services, accept);
        var result = await endpoint(request);
        await result.ExecuteAsync(request.HttpContext);
        var body = (MemoryStream)request.HttpContext.Response.Body;
        return new Answer(request.HttpContext.Response.StatusCode, request.HttpContext.Response.ContentType ?? "", Encoding.UTF8.GetString(body.ToArray()));
    }
}
