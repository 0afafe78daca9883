using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>
/// Bound from <c>DataProtection</c>. The key-encryption key that wraps every Data Protection key before it reaches the
/// document store. It lives outside the store (an environment secret, a Kubernetes Secret), so a copy of the database
/// alone decrypts nothing.
/// </summary>
public sealed class KeyRingEncryptionOptions
{
    public const string Section = "DataProtection";

    /// <summary>The current key-encryption key: 32 random bytes, base64 (<c>openssl rand -base64 32</c>). New keys are wrapped with it.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Earlier key-encryption keys, still accepted for unwrapping keys stored before a rotation.</summary>
    public List<string> PreviousKeyEncryptionKeys { get; set; } = [];

    /// <summary>The current key's bytes, or null when none is configured. Throws when it is not 32 bytes of base64.</summary>
    public byte[]? CurrentKey() => string.IsNullOrWhiteSpace(KeyEncryptionKey) ? null : Decode(KeyEncryptionKey, "DataProtection:KeyEncryptionKey");

    /// <summary>Every configured key (current first), for unwrapping.</summary>
    public IReadOnlyList<byte[]> AllKeys() =>
        (CurrentKey() is { } current ? [current] : Array.Empty<byte[]>())
            .Concat(PreviousKeyEncryptionKeys.Where(k => !string.IsNullOrWhiteSpace(k))
                .Select((k, i) => Decode(k, $"DataProtection:PreviousKeyEncryptionKeys:{i}")))
            .ToList();

    /// <summary>A short, non-secret name of a key-encryption key: the first 8 bytes of its SHA-256, hex.</summary>
    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));

    private static byte[] Decode(string value, string setting)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} is not base64; generate one with 'openssl rand -base64 32'.");
        }
        if (bytes.Length != 32)
            throw new InvalidOperationException($"{setting} must be 32 bytes (base64 of 32 random bytes), not {bytes.Length}.");
        return bytes;
    }
}

/// <summary>Outside Development the key-encryption key is required and must be well formed; checked when the host starts.</summary>
public sealed class KeyRingEncryptionOptionsValidator(IHostEnvironment environment) : IValidateOptions<KeyRingEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingEncryptionOptions options)
    {
        try
        {
            _ = options.AllKeys();
        }
        catch (InvalidOperationException invalid)
        {
            return ValidateOptionsResult.Fail(invalid.Message);
        }
        if (options.CurrentKey() is null && !PlatformEnvironments.AllowsDevelopmentSecrets(environment))
        {
            return ValidateOptionsResult.Fail($"DataProtection:KeyEncryptionKey is not set in the '{environment.EnvironmentName}' environment. " +
                "The Data Protection key ring is stored encrypted with it: set 32 random bytes, base64 ('openssl rand -base64 32'), from a secret.");
        }
        return ValidateOptionsResult.Success;
    }
}

public static class KeyRingEncryptionExtensions
{
    /// <summary>
    /// Wraps every key the Data Protection key ring stores from now on with the key-encryption key of
    /// <see cref="KeyRingEncryptionOptions"/> (AES-256-GCM), wherever the caller keeps the ring (its own
    /// <see cref="KeyManagementOptions.XmlRepository"/>: a document store, a directory). Binds the options from
    /// <c>DataProtection</c> and checks them when the host starts: outside Development a missing or malformed key stops
    /// it. In Development without a key the keys are stored unwrapped. Keys stored unwrapped before stay readable: Data
    /// Protection hands only the elements marked as encrypted to <see cref="AesGcmXmlDecryptor"/>.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithKeyEncryptionKey(this IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = dataProtection.Services;
        services.Configure<KeyRingEncryptionOptions>(configuration.GetSection(KeyRingEncryptionOptions.Section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyRingEncryptionOptions>, KeyRingEncryptionOptionsValidator>());
        services.AddOptions<KeyRingEncryptionOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o =>
            {
                if (sp.GetRequiredService<IOptions<KeyRingEncryptionOptions>>().Value.CurrentKey() is { } keyEncryptionKey)
                    o.XmlEncryptor = new AesGcmXmlEncryptor(keyEncryptionKey);
            }));
        return dataProtection;
    }
}

/// <summary>
/// Wraps a Data Protection key element with AES-256-GCM under the current key-encryption key. The stored form names the
/// key-encryption key by <see cref="KeyRingEncryptionOptions.KeyId"/> and carries nonce, tag and ciphertext; the key's
/// id is bound as associated data, so a wrapped key cannot be moved under another key-encryption key's name.
/// </summary>
public sealed class AesGcmXmlEncryptor(byte[] keyEncryptionKey) : IXmlEncryptor
{
    internal static readonly XNamespace Namespace = "urn:quotetocash:data-protection:aes-gcm";
    internal static readonly XName WrappedKey = Namespace + "wrappedKey";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var keyId = KeyRingEncryptionOptions.KeyId(keyEncryptionKey);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(keyEncryptionKey, TagBytes))
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(keyId));
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(WrappedKey,
            new XAttribute("version", "1"),
            new XAttribute("kek", keyId),
            new XElement(Namespace + "nonce", Convert.ToBase64String(nonce)),
            new XElement(Namespace + "tag", Convert.ToBase64String(tag)),
            new XElement(Namespace + "ciphertext", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }

    internal static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes("quotetocash-key-ring/v1/" + keyId);
}

/// <summary>
/// Unwraps what <see cref="AesGcmXmlEncryptor"/> wrote, with the current or a previous key-encryption key
/// (<see cref="KeyRingEncryptionOptions"/>). Created by Data Protection through its <see cref="IServiceProvider"/> constructor.
/// </summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        if (encryptedElement.Name != AesGcmXmlEncryptor.WrappedKey)
            throw new CryptographicException($"Expected a {AesGcmXmlEncryptor.WrappedKey.LocalName} element, found {encryptedElement.Name.LocalName}.");
        var keyId = (string?)encryptedElement.Attribute("kek") ?? string.Empty;
        var options = services.GetRequiredService<IOptions<KeyRingEncryptionOptions>>().Value;
        var key = options.AllKeys().FirstOrDefault(k => KeyRingEncryptionOptions.KeyId(k) == keyId)
            ?? throw new CryptographicException(
                $"The key ring entry was encrypted with key-encryption key {keyId}, which is neither DataProtection:KeyEncryptionKey nor one of " +
                "DataProtection:PreviousKeyEncryptionKeys.");
        var nonce = Read(encryptedElement, "nonce");
        var tag = Read(encryptedElement, "tag");
        var ciphertext = Read(encryptedElement, "ciphertext");
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(key, tag.Length))
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AesGcmXmlEncryptor.AssociatedData(keyId));
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] Read(XElement element, string name) =>
        Convert.FromBase64String((string?)element.Element(AesGcmXmlEncryptor.Namespace + name)
            ?? throw new CryptographicException(string.Create(CultureInfo.InvariantCulture, $"The wrapped key has no {name}.")));
}
