using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace QuoteToCash.ServiceDefaults.Apis;

/// <summary>RFC 7807 answers (application/problem+json) with a title and a detail a finance user can act on.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
}
