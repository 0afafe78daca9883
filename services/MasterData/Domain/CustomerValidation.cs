using System.Text.RegularExpressions;
using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

/// <summary>
/// What a customer needs before it can be billed, and what makes a value invalid. Reasons are written for a finance
/// user: they say what is missing or wrong, never how the record is stored.
/// </summary>
public static partial class CustomerValidation
{
    public const int MaxNameLength = 100;
    public const int MaxEmailLength = 254;

    // ISO 3166-1 alpha-2, officially assigned codes.
    private static readonly HashSet<string> Countries = new(
        ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
         "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
         "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
         "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
         "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
         "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
         "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW").Split(' '), StringComparer.Ordinal);

    // ISO 4217 currencies in circulation.
    private static readonly HashSet<string> Currencies = new(
        ("AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY " +
         "COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR " +
         "ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK " +
         "MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF " +
         "SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU " +
         "UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG").Split(' '), StringComparer.Ordinal);

    [GeneratedRegex(@"^[^@\s""<>,;:()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 .\-/]{2,29}$")]
    private static partial Regex TaxIdPattern();

    public static bool IsEmail(string? value) => value is { Length: > 0 and <= MaxEmailLength } && EmailPattern().IsMatch(value);

    public static bool IsCountry(string? value) => value is not null && Countries.Contains(value);

    public static bool IsCurrency(string? value) => value is not null && Currencies.Contains(value);

    public static bool IsTaxId(string? value) => value is not null && TaxIdPattern().IsMatch(value);

    /// <summary>Every reason the customer cannot be billed, under the tenant's policy; empty when it can.</summary>
    public static List<string> Reasons(GoldenCustomer customer, MasterDataPolicy policy)
    {
        var reasons = new List<string>();
        if (string.IsNullOrWhiteSpace(customer.LegalName))
            reasons.Add("missing legal name");

        var address = customer.BillingAddress;
        if (policy.Requires(RequiredField.BillingAddress))
        {
            if (string.IsNullOrWhiteSpace(address?.Line1))
                reasons.Add("missing billing address street");
            if (string.IsNullOrWhiteSpace(address?.City))
                reasons.Add("missing billing address city");
            if (string.IsNullOrWhiteSpace(address?.Country))
                reasons.Add("missing billing address country");
        }
        AddressProblems("billing address", address, reasons);
        AddressProblems("shipping address", customer.ShippingAddress, reasons);

        var billing = customer.BillingContact();
        if (policy.Requires(RequiredField.BillingContactEmail) && string.IsNullOrWhiteSpace(billing?.Email))
            reasons.Add("missing billing contact email");
        foreach (var contact in customer.Contacts.Where(c => !string.IsNullOrWhiteSpace(c.Email) && !IsEmail(c.Email)))
            reasons.Add($"contact email '{contact.Email}' is not a valid email address");

        var terms = policy.EffectiveTerms(customer);
        if (policy.Requires(RequiredField.PaymentTerms) && string.IsNullOrWhiteSpace(terms))
            reasons.Add("missing payment terms");
        else if (!string.IsNullOrWhiteSpace(terms) && policy.KnownTerms(terms) is null)
            reasons.Add($"payment terms '{terms}' are not among the tenant's terms ({string.Join(", ", policy.PaymentTerms)})");

        if (policy.Requires(RequiredField.Currency) && string.IsNullOrWhiteSpace(customer.Currency))
            reasons.Add("missing currency");
        else if (!string.IsNullOrWhiteSpace(customer.Currency) && !IsCurrency(customer.Currency))
            reasons.Add($"currency '{customer.Currency}' is not an ISO 4217 code");

        if (policy.Requires(RequiredField.TaxId) && string.IsNullOrWhiteSpace(customer.TaxId))
            reasons.Add("missing tax ID");
        else if (!string.IsNullOrWhiteSpace(customer.TaxId) && !IsTaxId(customer.TaxId))
            reasons.Add($"tax ID {TaxIdentifier.Mask(customer.TaxId)} is not a valid tax ID");
        if (customer.TaxStatus == TaxStatus.Exempt && string.IsNullOrWhiteSpace(customer.TaxExemptionReason))
            reasons.Add("missing tax exemption reason for a tax-exempt customer");

        if (customer.LegalName.Length > MaxNameLength)
            reasons.Add($"legal name is longer than {MaxNameLength} characters");
        if (customer.DisplayName.Length > MaxNameLength)
            reasons.Add($"display name is longer than {MaxNameLength} characters");
        return reasons;
    }

    /// <summary>Why a value given for a field is unacceptable, or null when it is fine. Used at the API edge, before anything changes.</summary>
    public static string? Problem(CustomerField field, object? value, MasterDataPolicy policy) => field.Name switch
    {
        FieldNames.LegalName when CustomerFields.IsEmpty(value) => "A legal name is required.",
        FieldNames.LegalName or FieldNames.DisplayName when ((string?)value)?.Length > MaxNameLength => $"At most {MaxNameLength} characters.",
        FieldNames.TaxId when !CustomerFields.IsEmpty(value) && !IsTaxId((string?)value) =>
            "A tax ID is 3–30 letters, digits, spaces, dots, dashes or slashes, starting with a letter or digit.",
        FieldNames.Currency when !CustomerFields.IsEmpty(value) && !IsCurrency((string?)value) => "Use an ISO 4217 currency code such as USD or EUR.",
        FieldNames.PaymentTerms when !CustomerFields.IsEmpty(value) && policy.KnownTerms((string)value!) is null =>
            $"Unknown payment terms; the tenant's terms are: {string.Join(", ", policy.PaymentTerms)}.",
        FieldNames.BillingAddress or FieldNames.ShippingAddress => AddressProblem((PostalAddress?)value),
        FieldNames.Contacts => ContactsProblem((IEnumerable<ContactPerson>?)value),
        _ => null,
    };

    private static void AddressProblems(string name, PostalAddress? address, List<string> reasons)
    {
        if (!string.IsNullOrWhiteSpace(address?.Country) && !IsCountry(address.Country))
            reasons.Add($"{name} country '{address.Country}' is not an ISO 3166 two-letter code");
    }

    private static string? AddressProblem(PostalAddress? address) =>
        !string.IsNullOrWhiteSpace(address?.Country) && !IsCountry(address.Country)
            ? "The country is an ISO 3166 two-letter code such as US, GB or DE."
            : null;

    private static string? ContactsProblem(IEnumerable<ContactPerson>? contacts)
    {
        var list = contacts?.ToList() ?? [];
        if (list.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Email) && !IsEmail(c.Email)) is { } bad)
            return $"'{bad.Email}' is not a valid email address.";
        if (list.Count(c => c.IsBillingContact) > 1)
            return "Only one contact can be the billing contact.";
        return null;
    }
}
