using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace QuoteToCash.ServiceDefaults.Security;

/// <summary>The operator roles of CTL-2.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string FinanceManager = "finance-manager";
    public const string BillingSpecialist = "billing-specialist";
    public const string Sales = "sales";
    public const string Auditor = "auditor";

    public static readonly IReadOnlyList<string> All = [Admin, FinanceManager, BillingSpecialist, Sales, Auditor];
}

public static class Policies
{
    /// <summary>Any authenticated operator with at least one known role: read access.</summary>
    public const string Operator = "operator";

    /// <summary>May change billing and accounting data: admin, finance manager, billing specialist.</summary>
    public const string Finance = "finance";

    /// <summary>May approve, write off and govern master data: admin and finance manager.</summary>
    public const string FinanceManager = "finance-manager";

    /// <summary>Connections, secrets and users: admin only.</summary>
    public const string Admin = "admin";
}

/// <summary>Bound from the <c>Auth</c> section. Either a symmetric signing key (the local issuer) or an OIDC authority.</summary>
public sealed class OperatorAuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "quotetocash-local";

    public string Audience { get; set; } = "quotetocash";

    /// <summary>HMAC-SHA256 key, at least 32 bytes (UTF-8). Used by the local issuer and the services that validate its tokens.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OIDC authority (production). When set, keys come from its metadata and <see cref="SigningKey"/> is not used.</summary>
    public string? Authority { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    public SymmetricSecurityKey SymmetricKey()
    {
        if (string.IsNullOrWhiteSpace(SigningKey) || Encoding.UTF8.GetByteCount(SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (or set Auth:Authority for an OIDC provider).");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey));
    }
}

public static class OperatorAuthenticationExtensions
{
    public const string TenantsClaim = "tenants";

    /// <summary>
    /// JWT bearer validation and the role policies. 401 and 403 answer with problem+json. The host refuses to start when
    /// <see cref="OperatorAuthOptionsValidator"/> rejects the settings.
    /// </summary>
    public static IHostApplicationBuilder AddOperatorAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<OperatorAuthOptions>(builder.Configuration.GetSection(OperatorAuthOptions.Section));
        // Outside Development: no published, placeholder or guessable signing key, and no local token issuer outside Local.
        builder.Services.AddSingleton<IValidateOptions<OperatorAuthOptions>, OperatorAuthOptionsValidator>();
        builder.Services.AddOptions<OperatorAuthOptions>().ValidateOnStart();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // Read when the scheme is first used, so configuration added late (tests, hosting) is honoured.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<OperatorAuthOptions>>((jwt, auth) =>
        {
            var options = auth.Value;
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                RoleClaimType = "role",
                NameClaimType = "sub",
            };
            if (!string.IsNullOrWhiteSpace(options.Authority))
            {
                jwt.Authority = options.Authority;
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            }
            else
            {
                jwt.TokenValidationParameters.IssuerSigningKey = options.SymmetricKey();
            }
            jwt.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure is null
                        ? "This endpoint needs an operator token: send 'Authorization: Bearer <token>'."
                        : "The operator token is invalid or expired; sign in again.";
                    await WriteProblem(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required", detail);
                },
                OnForbidden = context => WriteProblem(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed",
                    "Your role does not allow this action. Ask an administrator for the right role."),
            };
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operator, p => p.RequireAuthenticatedUser().RequireRole(Roles.All))
            .AddPolicy(Policies.Finance, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.FinanceManager, Roles.BillingSpecialist))
            .AddPolicy(Policies.FinanceManager, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.FinanceManager))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return builder;
    }

    /// <summary>True for an authenticated caller with one of the operator roles.</summary>
    public static bool IsOperator(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Roles.All.Any(user.IsInRole);

    /// <summary>True when the operator may act for the tenant: a "tenants" claim naming it, or "*".</summary>
    public static bool CanAccessTenant(this ClaimsPrincipal user, string tenantId) =>
        user.FindAll(TenantsClaim).Any(c => c.Value == "*" || string.Equals(c.Value, tenantId, StringComparison.OrdinalIgnoreCase));

    private static Task WriteProblem(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" },
        }).AsTask();
    }
}
