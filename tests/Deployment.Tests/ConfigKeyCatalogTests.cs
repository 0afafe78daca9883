namespace QuoteToCash.Deployment.Tests;

/// <summary>The checker itself, on small made-up sources, so that it is known to say "no" when it should.</summary>
public sealed class ConfigKeyCatalogTests
{
    private const string Options = """
        namespace Sample;

        // A comment naming GetConnectionString("redis") and "Comment:Only" does not count.
        /* Neither does GetConnectionString("kafka") in a block comment. */
        public sealed class StorageOptions
        {
            public const string Section = "Storage";
            public string Engine { get; set; } = "litedb";
            public string? Database { get; set; }
            public int[] RetryIntervalsMs { get; set; } = [1, 2];
            public Dictionary<string, TenantOptions> Tenants { get; set; } = new();
        }

        public sealed class TenantOptions
        {
            public string Name { get; set; } = "";
        }

        public sealed class GatewayAuthOptions
        {
            public const string Section = "Auth";
            public DevIssuerOptions DevIssuer { get; set; } = new();

            public sealed class Nested
            {
                public string NotOnTheOuterClass { get; set; } = "";
            }
        }

        public static class Roles
        {
            public const string Admin = "admin";
        }

        public sealed record DevIssuerOptions(bool Enabled = false, string Audience = "x");

        public class SomethingElse
        {
            public string Engine { get; set; } = "";
        }

        public static class Wiring
        {
            public static void Configure(IConfiguration configuration, IServiceCollection services)
            {
                var rabbit = configuration.GetConnectionString("rabbitmq");
                var flag = configuration["Features:Fast:Enabled"];
                var timeout = configuration.GetSection("Outbox").GetValue<int>("PollSeconds");
                var message = $"Storage:Engine '{configuration["x"]}' is not {"supported"}";
                services.Configure<MessagingOptions>(configuration.GetSection("Messaging"));
            }
        }

        public sealed class MessagingOptions
        {
            public bool QuorumQueues { get; set; }
        }
        """;

    private const string AppSettings = """
        {
          // comments are allowed in appsettings
          "ReverseProxy": {
            "Clusters": {
              "crm-ingest": { "Destinations": { "primary": { "Address": "http://localhost:5101" } } }
            }
          },
          "Serilog": { "WriteTo": [ { "Name": "Console" } ] },
        }
        """;

    private static readonly ConfigKeyCatalog Catalog = new([Options], [AppSettings]);

    [Theory]
    [InlineData("Storage__Engine")]
    [InlineData("storage__engine")]
    [InlineData("Storage__Database")]
    [InlineData("Storage__RetryIntervalsMs__0")]
    [InlineData("Storage__Tenants__acme__Name")]
    [InlineData("Auth__DevIssuer__Enabled")]
    [InlineData("Messaging__QuorumQueues")]
    [InlineData("ConnectionStrings__rabbitmq")]
    [InlineData("Features__Fast__Enabled")]
    [InlineData("Outbox__PollSeconds")]
    [InlineData("ReverseProxy__Clusters__crm-ingest__Destinations__primary__Address")]
    [InlineData("Serilog__WriteTo__0__Name")]
    [InlineData("OTEL_SERVICE_NAME")]
    [InlineData("ASPNETCORE_HTTP_PORTS")]
    public void Accepts_keys_the_sample_code_reads(string variable)
    {
        var check = Catalog.Check(variable);
        Assert.True(check.Known, check.ToString());
    }

    [Theory]
    [InlineData("Storage__Engnie")] // misspelt property
    [InlineData("Storage__litedb")] // a value in the code, not a key
    [InlineData("Auth__admin")] // a constant that is no configuration name
    [InlineData("Storaje__Engine")] // misspelt section
    [InlineData("Storage__Engine__Extra")] // past a leaf
    [InlineData("Storage__RetryIntervalsMs__first")] // arrays take indexes
    [InlineData("Storage__Tenants__acme__Nmae")]
    [InlineData("Auth__DevIssuer__Enabeld")]
    [InlineData("Auth__NotOnTheOuterClass")] // a nested type's property is not the outer type's
    [InlineData("Messaging__QuorumQueue")]
    [InlineData("SomethingElse__Engine")] // a class with the property, but no section binds it
    [InlineData("ConnectionStrings__rabbit")]
    [InlineData("ConnectionStrings__redis")] // only named in a comment
    [InlineData("ConnectionStrings__kafka")] // only named in a block comment
    [InlineData("Comment__Only")]
    [InlineData("Features__Fast__Enable")]
    [InlineData("Outbox__PollSecond")]
    [InlineData("ReverseProxy__Clusters__crm-ingest__Destinations__secondary__Address")]
    [InlineData("ReverseProxy__Clusters__crm-ingets__Destinations__primary__Address")]
    [InlineData("Serilog__WriteTo__1__Name")]
    [InlineData("OTEL_SERVICE_NAMES")]
    [InlineData("ASPNETCORE_HTTP_PORT")]
    [InlineData("Q2C__Made__Up__Key")]
    public void Rejects_a_made_up_or_misspelt_key(string variable)
    {
        var check = Catalog.Check(variable);
        Assert.False(check.Known, check.ToString());
    }

    [Fact]
    public void Converts_double_underscores_to_colons()
    {
        Assert.Equal("ReverseProxy:Clusters:crm-ingest:Destinations:primary:Address",
            ConfigKeyCatalog.KeyOf("ReverseProxy__Clusters__crm-ingest__Destinations__primary__Address"));
        Assert.Equal("OTEL_SERVICE_NAME", ConfigKeyCatalog.KeyOf("OTEL_SERVICE_NAME"));
    }
}
