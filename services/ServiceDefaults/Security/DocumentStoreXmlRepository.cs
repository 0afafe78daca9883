using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>
/// Keeps the Data Protection key ring in the service's own document store, so every replica (and every
/// restart) can decrypt the secrets the others stored, on LiteDB and MongoDB alike.
/// </summary>
public sealed class DocumentStoreXmlRepository(IDocumentStore store) : IXmlRepository
{
    public const string CollectionName = "data-protection-keys";

    public sealed class StoredKey
    {
        public string FriendlyName { get; set; } = string.Empty;
        public string Xml { get; set; } = string.Empty;
    }

    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.Collection<StoredKey>(CollectionName).FindAsync(_ => true).GetAwaiter().GetResult()
            .Select(d => XElement.Parse(d.Value.Xml)).ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        var key = new StoredKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) };
        store.CommitAsync([DocumentWrite.Upsert(CollectionName, friendlyName, key)]).GetAwaiter().GetResult();
    }
}

public static class StoreDataProtectionExtensions
{
    /// <summary>
    /// Data Protection for secrets at rest, with its key ring in the service's own document store, every key wrapped with
    /// the key-encryption key of <see cref="KeyRingEncryptionOptions"/> (AES-256-GCM). Outside Development the host refuses
    /// to start without that key. In Development without one the keys are stored unwrapped.
    /// </summary>
    public static IHostApplicationBuilder AddStoreDataProtection(this IHostApplicationBuilder builder, string applicationName)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(applicationName);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DocumentStoreXmlRepository(sp.GetRequiredService<IDocumentStore>())));
        dataProtection.ProtectKeysWithKeyEncryptionKey(builder.Configuration);
        return builder;
    }
}
