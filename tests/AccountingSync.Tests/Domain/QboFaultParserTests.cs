using System.Net;
using System.Text.Json;
using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.Domain;

public class QboFaultParserTests
{
    private const string ThrottleXml = """
        <IntuitResponse time="2017-07-30T22:45:22.933-07:00" xmlns="http://schema.intuit.com/finance/v3">
          <Fault type="SERVICE">
            <Error code="3001">
              <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
              <Detail>The request limit was reached.  Try again later</Detail>
            </Error>
          </Fault>
        </IntuitResponse>
        """;

    private static string JsonFault(string code, string message, string type = "ValidationFault") =>
        $$"""{"Fault":{"Error":[{"Message":"{{message}}","Detail":"detail of {{code}}","code":"{{code}}","element":""}],"type":"{{type}}"},"time":"2026-11-25T09:17:31.892-07:00"}""";

    [Fact]
    public void The_xml_throttle_fault_is_throttling_and_retryable()
    {
        var error = QboFaultParser.FromResponse(HttpStatusCode.TooManyRequests, ThrottleXml, TimeSpan.FromSeconds(90));

        Assert.Equal(QboErrorKind.Throttled, error.Kind);
        Assert.True(error.IsRetryable);
        Assert.Equal("3001", error.FirstCode);
        Assert.Equal("SERVICE", error.FaultType);
        Assert.Equal(TimeSpan.FromSeconds(90), error.RetryAfter);
    }

    [Fact]
    public void The_legacy_403_throttle_is_recognised_by_its_code() =>
        Assert.Equal(QboErrorKind.Throttled, QboFaultParser.FromResponse(HttpStatusCode.Forbidden, ThrottleXml).Kind);

    [Theory]
    [InlineData("6240", "Duplicate Name Exists Error", QboErrorKind.DuplicateName, false)]
    [InlineData("5010", "Stale Object Error", QboErrorKind.StaleObject, true)]
    [InlineData("6140", "Duplicate Document Number Error", QboErrorKind.DuplicateDocumentNumber, false)]
    [InlineData("610", "Object Not Found", QboErrorKind.NotFound, false)]
    [InlineData("6210", "Account Period Closed, Cannot Update Through Services API", QboErrorKind.ClosedPeriod, false)]
    [InlineData("6200", "Account Period Closed Error", QboErrorKind.ClosedPeriod, false)]
    [InlineData("2500", "Invalid Reference Id", QboErrorKind.Validation, false)]
    [InlineData("6000", "A business validation error has occurred while processing your request", QboErrorKind.Validation, false)]
    [InlineData("2020", "Required param missing, need to supply the required value for the API", QboErrorKind.Validation, false)]
    public void Json_faults_map_to_the_taxonomy(string code, string message, QboErrorKind kind, bool retryable)
    {
        var error = QboFaultParser.FromResponse(HttpStatusCode.BadRequest, JsonFault(code, message));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Equal(code, error.FirstCode);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Codes_are_matched_exactly_not_by_prefix()
    {
        // 5010 is a stale object, not an authentication problem because it starts with 5.
        Assert.Equal(QboErrorKind.StaleObject, QboFaultParser.FromResponse(HttpStatusCode.BadRequest, JsonFault("5010", "Stale Object Error")).Kind);
        Assert.Equal(QboErrorKind.Validation, QboFaultParser.FromResponse(HttpStatusCode.BadRequest, JsonFault("61400", "Something else")).Kind);
    }

    [Fact]
    public void Authentication_and_server_errors()
    {
        Assert.Equal(QboErrorKind.Authentication, QboFaultParser.FromResponse(HttpStatusCode.Unauthorized,
            JsonFault("3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", "AUTHENTICATION")).Kind);
        var unavailable = QboFaultParser.FromResponse(HttpStatusCode.ServiceUnavailable, "<html>Service Unavailable</html>");
        Assert.Equal(QboErrorKind.Transient, unavailable.Kind);
        Assert.True(unavailable.IsRetryable);
        Assert.Equal(QboErrorKind.Transient, QboFaultParser.FromResponse(HttpStatusCode.InternalServerError, null).Kind);
    }

    [Fact]
    public void A_batch_item_fault_parses_from_its_element()
    {
        using var document = JsonDocument.Parse("""{"Fault":{"Error":[{"Message":"Duplicate Name Exists Error","code":"6240"}],"type":"ValidationFault"}}""");

        var error = QboFaultParser.FromFault(document.RootElement.GetProperty("Fault"));

        Assert.Equal(QboErrorKind.DuplicateName, error.Kind);
        Assert.Null(error.Status);
    }

    [Fact]
    public void An_oauth_error_body_keeps_its_error_code() =>
        Assert.Equal("invalid_grant", QboFaultParser.FromResponse(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""").FirstCode);

    [Fact]
    public void A_closed_period_is_recognised_by_its_words_under_another_code_and_the_failure_kinds_use_the_contract_names()
    {
        var closed = QboFaultParser.FromResponse(HttpStatusCode.BadRequest,
            JsonFault("6000", "A business validation error has occurred while processing your request").Replace("detail of 6000", "Business Validation Error: The account period has closed."));
        var duplicate = QboFaultParser.FromResponse(HttpStatusCode.BadRequest, JsonFault("6140", "Duplicate Document Number Error"));
        var notConnected = new QboException(QboErrorKind.Authentication, null, [new QboErrorDetail("not-connected", "no connection", null, null)], "OAuth");

        Assert.Equal(QboErrorKind.ClosedPeriod, closed.Kind);
        Assert.Equal((FailureKinds.ClosedPeriod, FailureKinds.DuplicateDocNumber, FailureKinds.NotConnected, "NotFound"),
            (FailureKinds.For(closed), FailureKinds.For(duplicate), FailureKinds.For(notConnected),
             FailureKinds.For(QboFaultParser.FromResponse(HttpStatusCode.BadRequest, JsonFault("610", "Object Not Found")))));
        Assert.Equal("Business Validation Error: The account period has closed.", FailureKinds.Detail(closed));
    }
}
