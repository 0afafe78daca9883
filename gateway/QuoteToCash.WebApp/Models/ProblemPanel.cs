using QuoteToCash.WebApp.Gateway;

namespace QuoteToCash.WebApp.Models;

/// <summary>A failed call as a page panel: which service, what happened, what to do.</summary>
public sealed record ProblemPanel(string Headline, string Explanation, IReadOnlyList<string> FieldErrors)
{
    public static ProblemPanel From<T>(ApiResult<T> result) => new(result.Headline, result.Explanation, result.FieldErrors.ToList());
}
