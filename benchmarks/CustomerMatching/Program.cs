using System.Diagnostics;
using System.Globalization;
using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain.Matching;
using QuoteToCash.MasterData.Infrastructure.Matching;
using QuoteToCash.ServiceDefaults.Storage;

// Usage: CustomerMatching [existing customers] [incoming customers]
var existingCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var incomingCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
const string tenant = "benchmark-tenant";
const int batchSize = 1_000;

var directory = Path.Combine(Path.GetTempPath(), "q2c-customer-matching", Guid.NewGuid().ToString("N"));
var random = new Random(20261125);
var companies = new Companies(random);
try
{
    using var store = new LiteDbDocumentStore(Path.Combine(directory, "master-data.db"));
    var finder = new DuplicateFinder(store);

    var existing = new List<MatchSubject>(existingCount);
    var load = Stopwatch.StartNew();
    for (var offset = 0; offset < existingCount; offset += batchSize)
    {
        var batch = Enumerable.Range(0, Math.Min(batchSize, existingCount - offset)).Select(_ => companies.Next(tenant)).ToList();
        existing.AddRange(batch);
        var update = await finder.IndexAsync(batch.Select(MatchProfile.Of).ToList());
        await store.CommitAsync(update.Writes);
    }
    load.Stop();
    var keyDocuments = await store.Collection<CustomerMatchKey>(CustomerMatchKey.CollectionName).CountAsync();
    var saturated = await store.Collection<CustomerMatchKey>(CustomerMatchKey.CollectionName).CountAsync(k => k.Saturated);
    Console.WriteLine($"Filed {existingCount:N0} customers of one tenant in {load.Elapsed.TotalSeconds:0.0} s " +
                      $"({keyDocuments:N0} key documents, {saturated:N0} saturated); database {new FileInfo(store.FilePath).Length / 1024 / 1024:N0} MiB");

    // Half variants of existing customers (suffix, case, typo, "The", missing domain), half companies not yet known.
    var incoming = Enumerable.Range(0, incomingCount)
        .Select(i => i % 2 == 0
            ? (Subject: companies.VariantOf(existing[random.Next(existing.Count)]), IsDuplicate: true)
            : (Subject: companies.Next(tenant), IsDuplicate: false))
        .ToList();

    var policy = MatchingPolicy.Default;
    foreach (var (subject, _) in incoming.Take(200))
        await finder.FindCandidatesAsync(MatchProfile.Of(subject), policy);

    var latencies = new List<double>(incoming.Count);
    int found = 0, flaggedNew = 0;
    foreach (var (subject, isDuplicate) in incoming)
    {
        var started = Stopwatch.GetTimestamp();
        var candidates = await finder.FindCandidatesAsync(MatchProfile.Of(subject), policy);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (isDuplicate && candidates.Count > 0)
            found++;
        if (!isDuplicate && candidates.Count > 0)
            flaggedNew++;
    }

    latencies.Sort();
    double Percentile(double p) => latencies[(int)Math.Ceiling(p / 100 * latencies.Count) - 1];
    Console.WriteLine($"Resolved {incoming.Count:N0} incoming customers (profile + blocking keys + candidates + scoring):");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  p50 {Percentile(50):0.00} ms, p95 {Percentile(95):0.00} ms, p99 {Percentile(99):0.00} ms, max {latencies[^1]:0.00} ms"));
    Console.WriteLine($"  variants of existing customers found: {found:N0} of {incoming.Count(i => i.IsDuplicate):N0}; " +
                      $"new companies with a candidate: {flaggedNew:N0} of {incoming.Count(i => !i.IsDuplicate):N0}");
}
finally
{
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
    }
}

/// <summary>Company records the way a CRM holds them, varied enough that names, domains and streets repeat realistically.</summary>
internal sealed class Companies(Random random)
{
    private static readonly string[] Syllables =
    [
        "al", "an", "ar", "bel", "bor", "cal", "cor", "dar", "del", "en", "fal", "fer", "gal", "gra", "hal", "har", "is", "jor",
        "kel", "kor", "lan", "lor", "mar", "mer", "nor", "nov", "or", "pel", "por", "quin", "ral", "ros", "sal", "ser", "tal",
        "tor", "ul", "val", "ver", "wil", "xen", "yor", "zan", "zel", "ton", "ia", "ex", "ix", "um", "on",
    ];

    private static readonly string[] Trades =
    [
        "Consulting", "Logistics", "Engineering", "Dental", "Plumbing", "Electrical", "Software", "Foods", "Construction",
        "Legal", "Marketing", "Design", "Capital", "Health", "Roofing", "Analytics", "Energy", "Printing", "Security", "Travel",
    ];

    private static readonly string[] Common = ["Group", "Services", "Solutions", "Partners", "Holdings", "International", "& Co"];
    private static readonly string[] Streets = ["High Street", "Main Street", "Station Road", "Church Lane", "Park Avenue", "King Street", "Mill Road", "Market Square"];
    private static readonly (string Country, string Suffix, string Tld)[] Countries =
        [("GB", "Ltd", "co.uk"), ("US", "Inc", "com"), ("US", "LLC", "com"), ("DE", "GmbH", "de"), ("FR", "SAS", "fr"), ("AU", "Pty Ltd", "com.au"), ("IE", "Ltd", "ie")];
    private static readonly string[] FreeMail = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk"];

    public MatchSubject Next(string tenant)
    {
        var brand = Brand();
        var name = random.Next(10) switch
        {
            < 5 => $"{brand} {Pick(Trades)}",
            < 7 => $"{brand} {Pick(Trades)} {Pick(Common)}",
            < 9 => brand,
            _ => $"{brand} {Brand()}",
        };
        var (country, suffix, tld) = Pick(Countries);
        var domain = $"{name.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("&", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}.{tld}";
        var hasDomain = random.Next(100) < 80;
        return new MatchSubject
        {
            TenantId = tenant,
            CustomerId = Guid.NewGuid(),
            LegalName = $"{name} {suffix}",
            Domain = hasDomain ? domain : null,
            ContactEmails = [random.Next(100) < 15 ? $"owner{random.Next(1000)}@{Pick(FreeMail)}" : $"ap@{domain}"],
            TaxId = random.Next(100) < 50 ? $"{country}{random.NextInt64(100_000_000, 999_999_999)}" : null,
            BillingAddress = new PostalAddress
            {
                Line1 = $"{random.Next(1, 400)} {Pick(Streets)}",
                City = "City " + random.Next(200),
                PostalCode = $"{random.Next(10_000, 99_999)}",
                Country = country,
            },
        };
    }

    public MatchSubject VariantOf(MatchSubject original)
    {
        var name = original.LegalName;
        name = random.Next(5) switch
        {
            0 => name.ToUpperInvariant(),
            1 => "The " + name,
            2 => Typo(name),
            3 => name[..name.LastIndexOf(' ')],
            _ => name + ".",
        };
        return original with
        {
            CustomerId = Guid.NewGuid(),
            LegalName = name,
            Domain = random.Next(2) == 0 ? original.Domain : null,
            TaxId = random.Next(3) == 0 ? original.TaxId : null,
            BillingAddress = random.Next(2) == 0 ? original.BillingAddress : original.BillingAddress! with { Line1 = $"{random.Next(1, 400)} Harbour Way" },
        };
    }

    private string Typo(string name)
    {
        var i = random.Next(1, Math.Max(2, name.IndexOf(' ') > 2 ? name.IndexOf(' ') - 1 : name.Length - 1));
        return name[..i] + name[(i + 1)..];
    }

    private string Brand()
    {
        var count = random.Next(2, 4);
        var word = string.Concat(Enumerable.Range(0, count).Select(_ => Pick(Syllables)));
        return char.ToUpperInvariant(word[0]) + word[1..];
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
