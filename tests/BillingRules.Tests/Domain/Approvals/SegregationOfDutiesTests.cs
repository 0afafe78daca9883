using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Tests.Domain.Approvals;

public class SegregationOfDutiesTests
{
    private const string Requester = "tom.baker@harbour-pine.test";
    private const string DealOwner = "ana.lopez@harbour-pine.test";
    private const string Controller = "priya.nair@harbour-pine.test";

    [Theory]
    [InlineData(Requester)]
    [InlineData("Tom.Baker@Harbour-Pine.test")]
    [InlineData("  tom.baker@harbour-pine.test\t")]
    [InlineData("TOM.BAKER@HARBOUR-PINE.TEST ")]
    public void The_requester_may_not_approve_their_own_invoice(string approver)
    {
        var decision = ApprovalRules.CanApprove(approver, Requester, DealOwner);

        Assert.False(decision.Allowed);
        Assert.EndsWith("requested this invoice; another person must approve it.", decision.Reason);
    }

    [Theory]
    [InlineData(DealOwner)]
    [InlineData(" Ana.Lopez@harbour-pine.TEST ")]
    public void The_deal_owner_may_not_approve_the_deals_invoice(string approver)
    {
        var decision = ApprovalRules.CanApprove(approver, Requester, DealOwner);

        Assert.False(decision.Allowed);
        Assert.EndsWith("owns the deal; another person must approve its invoice.", decision.Reason);
    }

    [Fact]
    public void A_requester_who_owns_the_deal_is_refused_as_the_requester()
    {
        var decision = ApprovalRules.CanApprove(DealOwner, DealOwner, DealOwner);

        Assert.Equal(new SodDecision(false, $"{DealOwner} requested this invoice; another person must approve it."), decision);
    }

    [Theory]
    [InlineData(Requester, DealOwner)]
    [InlineData(null, DealOwner)]
    [InlineData(Requester, null)]
    [InlineData(null, null)]
    [InlineData("", " ")]
    public void Someone_else_may_approve(string? requester, string? dealOwner)
    {
        Assert.Equal(new SodDecision(true, null), ApprovalRules.CanApprove(Controller, requester, dealOwner));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_approval_without_an_approver_is_refused(string approver)
    {
        Assert.False(ApprovalRules.CanApprove(approver, null, null).Allowed);
        Assert.False(ApprovalRules.CanApproveWriteOff(approver, null, null).Allowed);
    }

    [Theory]
    [InlineData(Controller, "The credit terms' approver")]
    [InlineData(" PRIYA.NAIR@harbour-pine.test", "The credit terms' approver, in other spelling")]
    public void Who_approved_the_credit_terms_may_not_approve_the_write_off(string approver, string because)
    {
        var decision = ApprovalRules.CanApproveWriteOff(approver, Requester, creditTermsApprover: Controller);

        Assert.False(decision.Allowed, because);
        Assert.EndsWith("approved the credit terms of this invoice; another person must approve its write-off.", decision.Reason);
    }

    [Fact]
    public void The_requester_may_not_approve_their_own_write_off()
    {
        var decision = ApprovalRules.CanApproveWriteOff(" Tom.Baker@harbour-pine.test", Requester, Controller);

        Assert.False(decision.Allowed);
        Assert.EndsWith("requested this write-off; another person must approve it.", decision.Reason);
    }

    [Theory]
    [InlineData(Requester, Controller)]
    [InlineData(null, Controller)]
    [InlineData(Requester, null)]
    public void Someone_else_may_approve_a_write_off(string? requester, string? creditTermsApprover)
    {
        Assert.True(ApprovalRules.CanApproveWriteOff("sam.cho@harbour-pine.test", requester, creditTermsApprover).Allowed);
    }

    [Fact]
    public void The_deal_owner_may_approve_a_write_off_when_they_neither_asked_for_it_nor_approved_the_terms()
    {
        Assert.True(ApprovalRules.CanApproveWriteOff(DealOwner, Requester, Controller).Allowed);
    }
}
