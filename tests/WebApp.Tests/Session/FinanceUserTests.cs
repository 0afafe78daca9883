using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QuoteToCash.WebApp.Session;

namespace QuoteToCash.WebApp.Tests.Session;

/// <summary>The session's user: what the token says, and what the pages offer each role.</summary>
public sealed class FinanceUserTests
{
    private static string Token(DateTime expires, params (string Type, string Value)[] claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "quotetocash-local",
        Audience = "quotetocash",
        Subject = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value))),
        NotBefore = expires.AddHours(-12),
        IssuedAt = expires.AddHours(-12),
        Expires = expires,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[48]), SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public void The_session_carries_the_tokens_name_roles_tenants_and_expiry()
    {
        var expires = new DateTime(2026, 11, 25, 20, 0, 0, DateTimeKind.Utc);
        var token = OperatorToken.Read(Token(expires, ("sub", "maria"), ("name", "Maria"), ("role", "finance-manager"), ("tenants", "demo"), ("tenants", "demo-sf")))!;

        Assert.Equal("Maria", token.Name);
        Assert.Equal(["finance-manager"], token.Roles);
        Assert.Equal(["demo", "demo-sf"], token.Tenants);
        Assert.Equal(new DateTimeOffset(expires), token.ExpiresAt);
        var user = new FinanceUser(token.ToPrincipal("Cookies"));
        Assert.True(user.IsSignedIn);
        Assert.True(user.CanAccess("demo-sf"));
        Assert.False(user.CanAccess("acme"));
        Assert.Equal("demo", user.HomeTenant("other"));
        Assert.Null(OperatorToken.Read("not a token"));
    }

    [Theory]
    [InlineData("admin", true, true, true)]
    [InlineData("finance-manager", true, true, false)]
    [InlineData("billing-specialist", true, false, false)]
    [InlineData("sales", false, false, false)]
    [InlineData("auditor", false, false, false)]
    public void Each_role_is_offered_exactly_what_its_service_policies_allow(string role, bool act, bool manage, bool admin)
    {
        var user = new FinanceUser(new OperatorToken("t", "u", "u", [role], ["*"], DateTimeOffset.MaxValue).ToPrincipal("Cookies"));
        Assert.Equal((act, manage, admin, !act), (user.CanAct, user.CanManage, user.IsAdmin, user.ReadOnly));
        Assert.True(user.CanAccess("any-tenant"));
        Assert.Equal("demo", user.HomeTenant("demo"));
    }
}
