using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;

namespace QuoteToCash.ServiceDefaults.Tests.Security;

/// <summary>The Data Protection key ring in the document store is wrapped with a key-encryption key kept outside it.</summary>
public sealed class KeyRingEncryptionTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private static readonly string Kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private string StoreFile => _directory.File("keys.db");

    private IHost Host(string environment, Dictionary<string, string?> settings, IDocumentStore store)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(store);
        builder.AddStoreDataProtection("quotetocash-key-ring-tests");
        return builder.Build();
    }

    private static async Task<List<string>> StoredXml(IDocumentStore store) =>
        (await store.Collection<DocumentStoreXmlRepository.StoredKey>(DocumentStoreXmlRepository.CollectionName).FindAsync(_ => true))
            .Select(d => d.Value.Xml).ToList();

    [Fact]
    public async Task Keys_are_stored_encrypted_and_still_decrypt_after_a_restart()
    {
        string protectedSecret;
        using (var store = new LiteDbDocumentStore(StoreFile))
        using (var host = Host("Production", new() { ["DataProtection:KeyEncryptionKey"] = Kek }, store))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            protectedSecret = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets").Protect("refresh-token-123");
            await host.StopAsync(TestContext.Current.CancellationToken);

            var stored = await StoredXml(store);
            Assert.NotEmpty(stored);
            Assert.All(stored, xml =>
            {
                Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
                Assert.Contains("urn:quotetocash:data-protection:aes-gcm", xml, StringComparison.Ordinal);
                Assert.Contains(KeyRingEncryptionOptions.KeyId(Convert.FromBase64String(Kek)), xml, StringComparison.Ordinal);
            });
        }

        using (var store = new LiteDbDocumentStore(StoreFile))
        using (var host = Host("Production", new() { ["DataProtection:KeyEncryptionKey"] = Kek }, store))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets");
            Assert.Equal("refresh-token-123", protector.Unprotect(protectedSecret));
        }
    }

    [Fact]
    public async Task After_a_rotation_the_previous_key_still_unwraps_old_keys_and_without_it_they_are_unreadable()
    {
        string protectedSecret;
        using (var store = new LiteDbDocumentStore(StoreFile))
        using (var host = Host("Production", new() { ["DataProtection:KeyEncryptionKey"] = Kek }, store))
        {
            protectedSecret = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets").Protect("secret");
        }

        var next = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using (var store = new LiteDbDocumentStore(StoreFile))
        using (var host = Host("Production", new() { ["DataProtection:KeyEncryptionKey"] = next, ["DataProtection:PreviousKeyEncryptionKeys:0"] = Kek }, store))
        {
            Assert.Equal("secret", host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets").Unprotect(protectedSecret));
        }

        using (var store = new LiteDbDocumentStore(StoreFile))
        using (var host = Host("Production", new() { ["DataProtection:KeyEncryptionKey"] = next }, store))
        {
            Assert.ThrowsAny<CryptographicException>(() =>
                host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets").Unprotect(protectedSecret));
        }
    }

    [Fact]
    public async Task Keys_stored_unwrapped_before_stay_readable_once_a_key_encryption_key_is_set()
    {
        string protectedSecret;
        using (var store = new LiteDbDocumentStore(StoreFile))
        using (var host = Host("Development", [], store))
        {
            protectedSecret = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets").Protect("secret");
            Assert.All(await StoredXml(store), xml => Assert.Contains("masterKey", xml, StringComparison.Ordinal));
        }

        using (var store = new LiteDbDocumentStore(StoreFile))
        using (var host = Host("Production", new() { ["DataProtection:KeyEncryptionKey"] = Kek }, store))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            Assert.Equal("secret", host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets").Unprotect(protectedSecret));
        }
    }

    [Fact]
    public async Task Production_without_a_key_encryption_key_refuses_to_start()
    {
        using var store = new LiteDbDocumentStore(StoreFile);
        using var host = Host("Production", [], store);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("DataProtection:KeyEncryptionKey is not set in the 'Production' environment", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all!", "is not base64")]
    [InlineData("c2hvcnQ=", "must be 32 bytes")]
    public async Task A_malformed_key_encryption_key_refuses_to_start(string key, string reason)
    {
        using var store = new LiteDbDocumentStore(StoreFile);
        using var host = Host("Production", new() { ["DataProtection:KeyEncryptionKey"] = key }, store);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
