using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public sealed class VendorErrorTextTests
{
    [Fact]
    public void HubSpots_error_keeps_its_category_and_message() =>
        Assert.Equal("HubSpot answered 400: VALIDATION_ERROR: Property values were not valid",
            VendorErrorText.Answered("HubSpot", 400, """{"status":"error","message":"Property values were not valid","correlationId":"6b1f","category":"VALIDATION_ERROR"}"""));

    [Fact]
    public void Salesforces_errors_keep_each_code_and_message() =>
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION: Close date required; INVALID_FIELD: No such column",
            VendorErrorText.Describe("""[{"errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"Close date required"},{"errorCode":"INVALID_FIELD","message":"No such column"}]"""));

    [Fact]
    public void An_oauth_error_keeps_its_code_and_description() =>
        Assert.Equal("invalid_grant: expired access/refresh token", VendorErrorText.Describe("""{"error":"invalid_grant","error_description":"expired access/refresh token"}"""));

    [Theory]
    [InlineData("<html><body>ami-id\ninstance-id\nsecret-access-key</body></html>")]
    [InlineData("upstream connect error or disconnect/reset before headers")]
    [InlineData("""{"AccessKeyId":"ASIA...","SecretAccessKey":"wJalr...","Token":"IQoJb3JpZ2lu"}""")]
    [InlineData("")]
    public void A_body_that_is_no_vendor_error_is_never_echoed(string body)
    {
        Assert.Null(VendorErrorText.Describe(body));
        Assert.Equal("HubSpot answered 502", VendorErrorText.Answered("HubSpot", 502, body));
    }

    [Fact]
    public void A_long_vendor_message_is_cut()
    {
        var text = VendorErrorText.Describe($$"""{"category":"VALIDATION_ERROR","message":"{{new string('x', 5_000)}}"}""")!;

        Assert.Equal(VendorErrorText.MaxLength + 1, text.Length);
        Assert.EndsWith("…", text);
    }
}
