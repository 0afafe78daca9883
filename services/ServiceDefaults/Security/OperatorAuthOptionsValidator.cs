using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>
/// Checked when the host starts (every service and the gateway): outside Development the signing key must be a real secret
/// (<see cref="SigningKeyPolicy"/>) unless an OIDC authority signs the tokens, and the local token issuer
/// (<c>Auth:DevIssuer:Enabled</c>) may be on only in Development and Local (<see cref="PlatformEnvironments"/>).
/// </summary>
public sealed class OperatorAuthOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<OperatorAuthOptions>
{
    /// <summary>The configuration key that turns the gateway's local token issuer on.</summary>
    public const string DevIssuerEnabledKey = "Auth:DevIssuer:Enabled";

    public ValidateOptionsResult Validate(string? name, OperatorAuthOptions options)
    {
        var failures = new List<string>();
        var devIssuer = configuration.GetValue<bool>(DevIssuerEnabledKey);
        if (devIssuer && !PlatformEnvironments.AllowsDevIssuer(environment))
        {
            failures.Add($"{DevIssuerEnabledKey} is true in the '{environment.EnvironmentName}' environment. The local token issuer is allowed only in " +
                $"Development and {PlatformEnvironments.Local}; set Auth:Authority to your identity provider and turn the issuer off.");
        }

        var usesSigningKey = string.IsNullOrWhiteSpace(options.Authority) || devIssuer;
        if (usesSigningKey && !PlatformEnvironments.AllowsDevelopmentSecrets(environment))
        {
            var weakness = SigningKeyPolicy.Weakness(options.SigningKey);
            if (weakness is not null)
            {
                failures.Add($"Auth:SigningKey cannot be used in the '{environment.EnvironmentName}' environment: {weakness}. " +
                    "Set a random key of at least 32 bytes (e.g. 'openssl rand -base64 48'), or Auth:Authority for an OIDC provider.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
