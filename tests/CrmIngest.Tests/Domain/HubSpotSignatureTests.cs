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
    public void Matches_hubspots_published_v1_vector()
    {
        const string body = """[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]""";
        Assert.Equal("232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de",
            HubSpotSignature.ComputeLegacy("v1", Secret, "POST", Uri, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Matches_hubspots_published_v2_vectors()
    {
        Assert.Equal("eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e", HubSpotSignature.ComputeLegacy("v2", Secret, "GET", Uri, []));
        Assert.Equal("9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
            HubSpotSignature.ComputeLegacy("v2", Secret, "POST", Uri, Encoding.UTF8.GetBytes("""{"example_field":"example_value"}""")));
    }

    [Fact]
    public void Legacy_signatures_are_checked_in_constant_time_and_unknown_versions_refused()
    {
        var v2 = HubSpotSignature.ComputeLegacy("v2", Secret, "POST", Uri, Body)!;
        Assert.Equal(SignatureVerdict.Valid, HubSpotSignature.VerifyLegacy(Secret, "v2", "POST", Uri, Body, v2));
        Assert.Equal(SignatureVerdict.Valid, HubSpotSignature.VerifyLegacy(Secret, "V2", "POST", Uri, Body, v2.ToUpperInvariant()));
        Assert.Equal(SignatureVerdict.Invalid, HubSpotSignature.VerifyLegacy(Secret, "v2", "POST", Uri + "?a=1", Body, v2));
        Assert.Equal(SignatureVerdict.Invalid, HubSpotSignature.VerifyLegacy(Secret, "v1", "POST", Uri, Body, v2));
        Assert.Equal(SignatureVerdict.Invalid, HubSpotSignature.VerifyLegacy(Secret, "v9", "POST", Uri, Body, v2));
        Assert.Equal(SignatureVerdict.Missing, HubSpotSignature.VerifyLegacy(Secret, null, "POST", Uri, Body, v2));
        Assert.Equal(SignatureVerdict.Missing, HubSpotSignature.VerifyLegacy(Secret, "v2", "POST", Uri, Body, ""));
    }

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
