using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace QuoteToCash.ServiceDefaults.Validation;

/// <summary>
/// Defences every API gets against input it cannot use: a request whose body or parameters do not bind (wrong JSON
/// types, invalid UTF-8, nesting too deep, a value out of range) answers 400 problem+json in every environment instead
/// of an error, and a path segment too long to be any stored key answers 400 before any handler or store sees it.
/// </summary>
public static class HostileInputDefences
{
    public static IHostApplicationBuilder AddHostileInputDefences(this IHostApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddSingleton<IStartupFilter, OverlongPathSegmentFilter>();
        return builder;
    }

    internal static Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" },
        }).AsTask();
    }
}

/// <summary>
/// Minimal APIs throw <see cref="BadHttpRequestException"/> for a request they cannot bind (in Development; elsewhere
/// they answer an empty 400). Both become the same 400 (or the exception's own 4xx) problem+json naming what was wrong.
/// </summary>
internal sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted)
            return false;
        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        await HostileInputDefences.WriteProblemAsync(context, status, "The request could not be read",
            Describe(bad) + " Check the JSON types and values against the API description.");
        return true;
    }

    // The binder's message names the parameter and the type; the JSON reader's inner message names the path and line.
    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException { Path: { } path }
            ? $"{exception.Message} The value at '{path}' has the wrong type or shape."
            : exception.Message;
}

/// <summary>Refuses a path with a segment longer than any key the services store, before routing.</summary>
internal sealed class OverlongPathSegmentFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (HasOverlongSegment(context.Request.Path))
            {
                await HostileInputDefences.WriteProblemAsync(context, StatusCodes.Status400BadRequest, "Identifier too long",
                    $"A path segment is longer than any identifier the platform stores (at most {InputLimits.MaxKeyLength} characters, {InputLimits.MaxKeyBytes} bytes).");
                return;
            }
            await nextMiddleware(context);
        });
        next(app);
    };

    internal static bool HasOverlongSegment(PathString path) =>
        path.Value is { } value && value.Split('/').Any(segment => !InputLimits.IsStorableKey(segment));
}
