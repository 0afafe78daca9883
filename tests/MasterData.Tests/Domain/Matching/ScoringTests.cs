using QuoteToCash.MasterData.Domain.Matching;
using static QuoteToCash.MasterData.Tests.Domain.Matching.Profiles;

namespace QuoteToCash.MasterData.Tests.Domain.Matching;

public class NameSimilarityTests
{
    private static double Similarity(string a, string b) =>
        NameSimilarity.Compare(CompanyName.Normalize(a), CompanyName.Normalize(b)).Similarity;

    [Fact]
    public void Legal_form_case_and_the_leading_the_make_no_difference() =>
        Assert.Equal(1.0, Similarity("The Contoso Consulting Ltd", "CONTOSO CONSULTING LIMITED"));

    [Fact]
    public void Words_run_together_are_the_same_name() =>
        Assert.Equal(1.0, Similarity("Pricewaterhouse Coopers", "PricewaterhouseCoopers"));

    [Fact]
    public void A_typo_in_a_distinctive_word_costs_little() =>
        Assert.InRange(Similarity("Contoso Consulting", "Contso Consulting"), 0.85, 0.95);

    [Fact]
    public void Common_business_words_weigh_less_than_the_brand()
    {
        Assert.True(Similarity("Contoso", "Contoso Consulting") > Similarity("Contoso", "Contoso Pharmaceuticals"));
        Assert.True(NameSimilarity.WeightOf("group") < NameSimilarity.WeightOf("contoso"));
    }

    [Fact]
    public void Sister_companies_with_different_qualifiers_score_low() =>
        Assert.True(Similarity("Contoso Logistics", "Contoso Consulting") < 0.7);

    [Fact]
    public void An_acronym_matches_the_words_it_abbreviates()
    {
        var match = NameSimilarity.Compare(CompanyName.Normalize("IBM"), CompanyName.Normalize("International Business Machines Corp"));

        Assert.Equal(new NameMatch(NameSimilarity.AbbreviationSimilarity, true), match);
    }

    [Theory]
    [InlineData("contoso", "contso", true)]
    [InlineData("consulting", "consultnig", true)]
    [InlineData("foods", "goods", false)]
    [InlineData("abc", "abd", false)]
    [InlineData("2020", "2021", false)]
    public void Typos_count_only_in_longer_words_with_the_same_first_letter(string a, string b, bool similar) =>
        Assert.Equal(similar, NameSimilarity.WordSimilarity(a, b) > 0);
}

public class DuplicateScorerTests
{
    private static readonly MatchingPolicy Policy = MatchingPolicy.Default;

    [Fact]
    public void The_same_tax_id_is_a_duplicate_whatever_the_names()
    {
        var score = DuplicateScorer.Score(Of("Contoso Consulting Ltd", taxId: "GB 284 1932 06"), Of("CCL Advisory", taxId: "284193206"), Policy);

        Assert.True(score.Score >= Policy.ReviewThreshold);
        Assert.Contains("same tax ID", score.Reasons);
    }

    [Fact]
    public void A_suffix_variant_with_the_same_domain_and_address_names_its_reasons()
    {
        var score = DuplicateScorer.Score(
            Of("Contoso Consulting Ltd", domain: "https://contoso.co.uk", street: "10 King Street", postalCode: "LS1 4AP"),
            Of("Contoso Consulting Limited", email: "ap@contoso.co.uk", street: "10 King St", postalCode: "LS1 4AP"), Policy);

        Assert.True(score.Score > 0.99);
        Assert.Equal(["name 1.00", "same email domain contoso.co.uk", "same billing address"], score.Reasons);
    }

    [Fact]
    public void The_same_name_alone_is_worth_a_review() =>
        Assert.True(DuplicateScorer.Score(Of("Northwind Traders Ltd"), Of("NORTHWIND TRADERS LIMITED"), Policy).Score >= Policy.ReviewThreshold);

    [Fact]
    public void The_same_name_in_another_country_is_not_flagged_on_the_name_alone()
    {
        var score = DuplicateScorer.Score(Of("Phoenix Consulting Ltd", country: "GB"), Of("Phoenix Consulting Pty Ltd", country: "AU"), Policy);

        Assert.True(score.Score < Policy.ReviewThreshold);
        Assert.Contains("different countries (AU, GB)", score.Reasons);
    }

    [Fact]
    public void Sister_companies_sharing_a_domain_and_an_address_are_not_flagged()
    {
        var logistics = Of("Contoso Logistics Ltd", domain: "contoso-group.co.uk", street: "1 Finsbury Avenue", postalCode: "EC2A 2DQ");
        var consulting = Of("Contoso Consulting Ltd", domain: "contoso-group.co.uk", street: "1 Finsbury Avenue", postalCode: "EC2A 2DQ");

        Assert.True(DuplicateScorer.Score(logistics, consulting, Policy).Score < Policy.ReviewThreshold);
    }

    [Fact]
    public void Firms_writing_from_the_same_free_mail_domain_share_nothing()
    {
        var score = DuplicateScorer.Score(Of("Smith Electrical", email: "dave@gmail.com"), Of("Smith Joinery", email: "ann@gmail.com"), Policy);

        Assert.True(score.Score < 0.1);
        Assert.DoesNotContain(score.Reasons, r => r.Contains("domain", StringComparison.Ordinal));
    }

    [Fact]
    public void Different_tax_ids_are_different_legal_entities() =>
        Assert.True(DuplicateScorer.Score(Of("Harrison Automotive Inc", taxId: "38-1234567"), Of("Harrison Automotive Inc", taxId: "38-7654321"),
            Policy).Score < Policy.ReviewThreshold);

    [Fact]
    public void An_abbreviation_with_the_same_domain_is_worth_a_review()
    {
        var score = DuplicateScorer.Score(Of("Graphic Design Institute", domain: "graphicdesigninstitute.org"),
            Of("GDI", email: "kate@graphicdesigninstitute.org"), Policy);

        Assert.True(score.Score >= Policy.ReviewThreshold);
        Assert.Contains("name 0.80 (abbreviation)", score.Reasons);
    }

    [Fact]
    public void A_tenant_can_ask_for_more_evidence_before_a_review()
    {
        var strict = Policy with { ReviewThreshold = 0.99 };

        Assert.True(DuplicateScorer.Score(Of("Northwind Traders Ltd"), Of("Northwind Traders"), strict).Score < strict.ReviewThreshold);
    }
    [Fact]
    public void Names_that_differ_in_their_numbers_are_different_companies_even_on_one_domain()
    {
        var score = DuplicateScorer.Score(Of("Customer 1 LLC", email: "ap1@example.test"), Of("Customer 2 LLC", email: "ap2@example.test"), Policy);

        Assert.True(score.Score < Policy.ReviewThreshold, $"scored {score.Score}");
        Assert.Contains("different numbers in the names", score.Reasons);
        Assert.True(DuplicateScorer.Score(Of("Studio 54 Ltd"), Of("Studio 54 Limited"), Policy).Score >= Policy.ReviewThreshold);
    }
}

public class BlockingKeysTests
{
    [Fact]
    public void Keys_cover_identifiers_name_words_skeleton_and_acronym()
    {
        var keys = BlockingKeys.For(Of("International Business Machines Corp", domain: "ibm.com", taxId: "13-0871985",
            street: "1 New Orchard Road", postalCode: "10504", country: "US"));

        Assert.Equal(
            ["tax:130871985", "dom:ibm.com", "adr:US|10504|1|new orchard rd", "nam:internationalbusinessmachines", "tok:machines",
             "skl:intrnt", "acr:ibm"],
            keys);
    }

    [Fact]
    public void Variants_of_one_company_share_a_key()
    {
        var typo = BlockingKeys.For(Of("Contso Consultng Ltd"));
        var original = BlockingKeys.For(Of("The Contoso Consulting Limited"));

        Assert.NotEmpty(typo.Intersect(original));
    }

    [Fact]
    public void Common_words_never_become_keys() =>
        Assert.DoesNotContain("tok:group", BlockingKeys.For(Of("Hartley Group Inc")));
}
