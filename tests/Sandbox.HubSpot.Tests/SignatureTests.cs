using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

/// <summary>The signer against HubSpot's published test vectors.</summary>
public sealed class SignatureTests
{
    private const string Secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";

    [Fact]
    public void V3_matches_the_official_python_sdk_vector()
    {
        var signature = WebhookSignature.V3(Secret, "POST", "https://www.example.com/webhook_uri", "{'example_field':'example_value'}", 15000000);

        Assert.Equal("HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=", signature);
    }

    [Fact]
    public void V1_matches_the_official_contact_creation_vector()
    {
        const string body = "[{\"eventId\":1,\"subscriptionId\":12345,\"portalId\":62515,\"occurredAt\":1564113600000,\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,\"objectId\":123,\"changeSource\":\"CRM\",\"changeFlag\":\"NEW\",\"appId\":54321}]";

        Assert.Equal("232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de", WebhookSignature.V1(Secret, body));
    }
}
