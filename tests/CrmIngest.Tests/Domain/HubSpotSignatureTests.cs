using System.Text;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class HubSpotSignatureTests
{
    private const string Secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private const string Uri = "https://www.example.com/webhook_uri";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{'example_field':'example_value'}");

    [Fact]
    public void Matches_hubspots_published_v3_vector() =>
        Assert.Equal("HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=", HubSpotSignature.Compute(Secret, "POST", Uri, Body, "15000000"));

    [Fact]
    public void A_fresh_correct_signature_is_valid_and_any_change_invalidates_it()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);
        var timestamp = now.AddSeconds(-30).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = HubSpotSignature.Compute(Secret, "POST", Uri, Body, timestamp);

        Assert.Equal(SignatureVerdict.Valid, HubSpotSignature.Verify(Secret, "POST", Uri, Body, timestamp, signature, now));
        Assert.Equal(SignatureVerdict.Invalid, HubSpotSignature.Verify(Secret, "POST", Uri + "?x=1", Body, timestamp, signature, now));
        Assert.Equal(SignatureVerdict.Invalid, HubSpotSignature.Verify(Secret, "POST", Uri, Encoding.UTF8.GetBytes("{}"), timestamp, signature, now));
        Assert.Equal(SignatureVerdict.Invalid, HubSpotSignature.Verify("another-secret", "POST", Uri, Body, timestamp, signature, now));
        Assert.Equal(SignatureVerdict.Invalid, HubSpotSignature.Verify(Secret, "POST", Uri, Body, timestamp, "###", now));
    }

    [Fact]
    public void Requests_older_than_five_minutes_are_stale_even_when_correctly_signed()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);
        var old = now.AddMinutes(-5).AddSeconds(-1).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(SignatureVerdict.Stale, HubSpotSignature.Verify(Secret, "POST", Uri, Body, old, HubSpotSignature.Compute(Secret, "POST", Uri, Body, old), now));
    }

    [Fact]
    public void Missing_headers_are_reported_as_missing()
    {
        Assert.Equal(SignatureVerdict.Missing, HubSpotSignature.Verify(Secret, "POST", Uri, Body, null, "abc", DateTimeOffset.UtcNow));
        Assert.Equal(SignatureVerdict.Missing, HubSpotSignature.Verify(Secret, "POST", Uri, Body, "1", "", DateTimeOffset.UtcNow));
    }
}
