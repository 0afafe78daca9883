using Microsoft.Extensions.Hosting;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>
/// The host environments the platform knows. Development (a developer's machine, the test hosts) may use any signing key
/// and no key-encryption key; Local (<c>./run.sh</c>, the end-to-end tests) is a production build with generated secrets
/// whose gateway may issue operator tokens itself; every other environment (Production, Staging, …) must have real
/// secrets and sign in through an identity provider.
/// </summary>
public static class PlatformEnvironments
{
    /// <summary>The environment of the local run: production rules for secrets, the local token issuer allowed.</summary>
    public const string Local = "Local";

    /// <summary>True in Development only: the one environment where default secrets are tolerated.</summary>
    public static bool AllowsDevelopmentSecrets(IHostEnvironment environment) => environment.IsDevelopment();

    /// <summary>True in Development and Local: the environments where the gateway may issue operator tokens itself.</summary>
    public static bool AllowsDevIssuer(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment(Local);
}
