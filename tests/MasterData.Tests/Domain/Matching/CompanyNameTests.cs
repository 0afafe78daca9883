using QuoteToCash.MasterData.Domain.Matching;

namespace QuoteToCash.MasterData.Tests.Domain.Matching;

public class CompanyNameTests
{
    [Theory]
    [InlineData("Contoso Consulting Ltd", "contoso consulting")]
    [InlineData("CONTOSO CONSULTING LIMITED", "contoso consulting")]
    [InlineData("Contoso Consulting Ltd.", "contoso consulting")]
    [InlineData("Contoso, Inc.", "contoso")]
    [InlineData("Contoso L.L.C.", "contoso")]
    [InlineData("Olympia Industrial Supplies Pty. Ltd", "olympia industrial supplies")]
    [InlineData("Société Générale d'Équipement S.A.", "societe generale dequipement")]
    [InlineData("Ingeniería Pérez Hermanos S.L.", "ingenieria perez hermanos")]
    [InlineData("Hoffmann Elektrotechnik GmbH & Co. KG", "hoffmann elektrotechnik")]
    [InlineData("Kowalski Transport Sp. z o.o.", "kowalski transport")]
    [InlineData("Grupo Bimbo S.A. de C.V.", "grupo bimbo")]
    [InlineData("Baker & Sons", "baker and sons")]
    [InlineData("Baker and Sons", "baker and sons")]
    [InlineData("Smith & Co", "smith")]
    [InlineData("The Green Grocer Ltd", "green grocer")]
    [InlineData("  The   Green\tGrocer  ", "green grocer")]
    [InlineData("Global Shipping Intl", "global shipping international")]
    [InlineData("Acme Technologies", "acme technology")]
    [InlineData("St. James Wealth Advisors", "saint james wealth advisors")]
    [InlineData("McDonald's", "mcdonalds")]
    public void Normalizes_case_punctuation_accents_legal_forms_and_abbreviations(string name, string expected) =>
        Assert.Equal(expected, CompanyName.Normalize(name));

    [Theory]
    [InlineData("The Limited", "limited")]
    [InlineData("The", "the")]
    [InlineData("Inc", "inc")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData(" .,;- ", "")]
    public void Never_strips_a_name_down_to_nothing(string? name, string expected) =>
        Assert.Equal(expected, CompanyName.Normalize(name));
}
