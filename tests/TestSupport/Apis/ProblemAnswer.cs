using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace QuoteToCash.Testing.Apis;

/// <summary>What a caller receives from a handler's result: status, content type and body, written as ASP.NET Core writes them.</summary>
public sealed record ProblemAnswer(int Status, string? ContentType, string Body)
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    public static async Task<ProblemAnswer> WriteAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return new ProblemAnswer(context.Response.StatusCode, context.Response.ContentType, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    public bool IsProblemJson => ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true;
}
