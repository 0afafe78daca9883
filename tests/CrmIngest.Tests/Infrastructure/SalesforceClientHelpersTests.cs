using System.Net;
using QuoteToCash.CrmIngest.Infrastructure.Salesforce;

namespace QuoteToCash.CrmIngest.Tests.Infrastructure;

/// <summary>The Salesforce client's SOQL literals and error reading, without a server.</summary>
public class SalesforceClientHelpersTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("O'Brien", @"'O\'Brien'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData(@"\' OR Name != '", @"'\\\' OR Name != \''")]
    [InlineData("two\nlines", @"'two\nlines'")]
    public void Soql_literals_escape_backslash_and_quote(string value, string literal) =>
        Assert.Equal(literal, SalesforceClient.Literal(value));

    [Fact]
    public void Salesforce_error_arrays_become_exceptions_with_the_error_code()
    {
        var error = SalesforceClient.Error(HttpStatusCode.BadRequest, """[{"message":"invalid ID field: nope","errorCode":"INVALID_QUERY_FILTER_OPERATOR"}]""");
        Assert.Equal("INVALID_QUERY_FILTER_OPERATOR", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("invalid ID field: nope", error.Message);

        var session = SalesforceClient.Error(HttpStatusCode.Unauthorized, """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""");
        Assert.Equal("INVALID_SESSION_ID", session.ErrorCode);

        var notJson = SalesforceClient.Error(HttpStatusCode.BadGateway, "<html>bad gateway</html>");
        Assert.Null(notJson.ErrorCode);
        Assert.Equal("Salesforce answered 502", notJson.Message); // whatever a misdirected URL returns is never echoed
    }
}
