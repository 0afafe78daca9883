using System.Collections.Frozen;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>
/// The internet domain that identifies a company: from a website ("https://www.contoso.com/about") or an email
/// address ("ap@billing.contoso.co.uk"), reduced to the registrable domain. Free-mail providers identify
/// nobody and are dropped: two firms writing from gmail.com are not thereby related.
/// </summary>
public static class EmailDomains
{
    private static readonly FrozenSet<string> FreeMail = FrozenSet.ToFrozenSet(
    [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.ca",
        "yahoo.com.au", "yahoo.co.in", "yahoo.co.jp", "ymail.com", "rocketmail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr",
        "hotmail.de", "hotmail.es", "hotmail.it", "outlook.com", "outlook.fr", "outlook.de", "live.com", "live.co.uk", "live.fr",
        "msn.com", "aol.com", "aim.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "gmx.com",
        "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de", "mail.com", "email.com", "zoho.com",
        "zohomail.com", "yandex.com", "yandex.ru", "mail.ru", "inbox.ru", "bk.ru", "list.ru", "qq.com", "163.com", "126.com",
        "sina.com", "naver.com", "daum.net", "hanmail.net", "fastmail.com", "fastmail.fm", "hey.com", "tutanota.com", "tuta.io",
        "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it", "virgilio.it", "tiscali.it", "alice.it",
        "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com",
        "talktalk.net", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net",
        "earthlink.net", "optonline.net", "shaw.ca", "rogers.com", "sympatico.ca", "bigpond.com", "optusnet.com.au",
        "rediffmail.com", "terra.com.br", "uol.com.br", "bol.com.br", "telenet.be", "skynet.be", "ziggo.nl", "kpnmail.nl",
        "bluewin.ch", "hispeed.ch", "eircom.net", "mail.de",
    ]);

    /// <summary>Second-level labels under which companies register ("contoso.co.uk", "contoso.com.au").</summary>
    private static readonly FrozenSet<string> SecondLevelSuffixes = FrozenSet.ToFrozenSet(
    [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "com.au", "net.au", "org.au", "co.nz", "org.nz",
        "co.za", "co.jp", "or.jp", "ne.jp", "co.kr", "co.in", "net.in", "org.in", "com.br", "com.mx", "com.ar", "com.cn", "com.hk",
        "com.sg", "com.tw", "com.tr", "com.my", "com.ph", "co.id", "co.il", "com.pl", "com.es", "co.th", "com.co", "com.pe",
    ]);

    public static bool IsFreeMail(string domain) => FreeMail.Contains(domain);

    /// <summary>The registrable domain of a website, host or email address; null when there is none.</summary>
    public static string? Normalize(string? websiteOrEmail)
    {
        if (string.IsNullOrWhiteSpace(websiteOrEmail))
            return null;
        var host = websiteOrEmail.Trim().ToLowerInvariant();
        var at = host.LastIndexOf('@');
        if (at >= 0)
            host = host[(at + 1)..];
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            host = host[(scheme + 3)..];
        var end = host.IndexOfAny(['/', '?', '#', ':', ' ', '>']);
        if (end >= 0)
            host = host[..end];
        host = host.Trim('.');
        var labels = host.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length < 2 || labels.Any(label => !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
            return null;
        var keep = labels.Length >= 3 && SecondLevelSuffixes.Contains($"{labels[^2]}.{labels[^1]}") ? 3 : 2;
        return string.Join('.', labels[^Math.Min(keep, labels.Length)..]);
    }

    /// <summary>The company domains among a website and contact emails: registrable, not free-mail, distinct, in order seen.</summary>
    public static IReadOnlyList<string> CompanyDomains(string? website, IEnumerable<string?> emails)
    {
        var domains = new List<string>();
        foreach (var candidate in emails.Prepend(website))
        {
            var domain = Normalize(candidate);
            if (domain is not null && !IsFreeMail(domain) && !domains.Contains(domain))
                domains.Add(domain);
        }
        return domains;
    }
}
