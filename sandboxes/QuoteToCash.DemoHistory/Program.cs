using System.Globalization;
using QuoteToCash.DemoHistory.Domain;
using QuoteToCash.DemoHistory.Infrastructure;

// ./run.sh --demo calls this twice:
//   prepare --data DIR [--seed N] [--weeks N]   before the platform starts: a fresh history sets the clock file to its first day
//   play --data DIR --gateway URL                once the demo tenants are configured (Q2C_ADMIN_PASSWORD in the environment)
// See docs/demo.md.
var options = DemoOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: QuoteToCash.DemoHistory prepare --data DIR [--seed N] [--weeks N]");
    Console.Error.WriteLine("       QuoteToCash.DemoHistory play --data DIR --gateway URL   (Q2C_ADMIN_PASSWORD set)");
    return 2;
}
var progressPath = Path.Combine(options.DataDirectory, DemoProgress.FileName);
var clock = new DemoClockFile(Path.Combine(options.DataDirectory, DemoClockFile.FileName), TimeProvider.System);
var progress = DemoProgress.Load(progressPath);

if (options.Command == "prepare")
{
    if (progress is { Complete: true })
    {
        Console.WriteLine($"Demo history: already played (seed {progress.Seed}, {progress.Weeks} weeks up to {progress.Today:yyyy-MM-dd}); it is not played again.");
        return 0;
    }
    if (progress is not null)
    {
        Console.WriteLine($"Demo history: an interrupted history (seed {progress.Seed}) goes on from {progress.LastDay?.AddDays(1) ?? progress.Today:yyyy-MM-dd}.");
        return 0;
    }
    if (DemoOptions.PlatformDataIn(options.DataDirectory) is { } used)
    {
        Console.Error.WriteLine($"Demo history: {options.DataDirectory} already holds the platform's data ({used}). The history starts six months ago and");
        Console.Error.WriteLine("needs a data directory of its own: run with Q2C_DATA_DIR=<a new directory> ./run.sh --demo, or remove that data directory.");
        return 3;
    }
    var today = DateOnly.FromDateTime(DateTime.UtcNow);
    progress = new DemoProgress { Seed = options.Seed, Today = today, Weeks = options.Weeks, Started = DateTimeOffset.UtcNow };
    var calendar = HistoryCalendar.Ending(today, options.Weeks);
    progress.Save(progressPath);
    // The platform and the sandboxes start on the morning of the history's first day.
    clock.SetTo(new DateTimeOffset(calendar.Start.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero));
    Console.WriteLine($"Demo history: seed {options.Seed}, {calendar.Start:yyyy-MM-dd} to {calendar.End:yyyy-MM-dd}; the local clock starts on {calendar.Start:yyyy-MM-dd}.");
    return 0;
}

if (progress is null)
{
    Console.Error.WriteLine($"Demo history: no {DemoProgress.FileName} in {options.DataDirectory}; run 'prepare' before the platform starts.");
    return 2;
}
if (progress.Complete)
{
    Console.WriteLine($"Demo history: already there (played {progress.Finished:yyyy-MM-dd HH:mm} UTC, seed {progress.Seed}); nothing to do.");
    return 0;
}
var password = Environment.GetEnvironmentVariable("Q2C_ADMIN_PASSWORD");
if (string.IsNullOrEmpty(password) || options.Gateway is null)
{
    Console.Error.WriteLine("Demo history: play needs --gateway and Q2C_ADMIN_PASSWORD.");
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var plan = HistoryPlanner.Plan(progress.Seed, progress.Today, progress.Weeks);
var gatewayHttp = new HttpClient { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(60) };
var token = await OperatorToken.SignInAsync(gatewayHttp, "admin", password, cancel.Token);
var tenantsPath = Path.Combine(options.DataDirectory, DemoTenants.FileName);
var tenants = DemoTenants.Load(tenantsPath);
Console.WriteLine($"Demo history: playing {plan.Deals.Count} deals and {plan.Actions.Count} actions, {plan.Calendar.Start:yyyy-MM-dd} to {plan.Calendar.End:yyyy-MM-dd} (seed {plan.Seed})...");
var player = new HistoryPlayer(plan, progress, progressPath, clock, tenants, new JsonApi(gatewayHttp, _ => Task.FromResult<string?>(token)), Console.Out);
try
{
    await player.PlayAsync(cancel.Token);
}
finally
{
    DemoTenants.SaveRefreshTokens(tenantsPath, tenants.Values);
}
return 0;

/// <summary>The command line.</summary>
internal sealed record DemoOptions(string Command, string DataDirectory, int Seed, int Weeks, Uri? Gateway)
{
    public const int DefaultSeed = 12;

    public static DemoOptions? Parse(string[] args)
    {
        if (args.Length < 1 || args[0] is not ("prepare" or "play"))
            return null;
        string? data = null;
        Uri? gateway = null;
        var seed = DefaultSeed;
        var weeks = HistoryPlanner.DefaultWeeks;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data": data = args[i + 1]; break;
                case "--gateway": gateway = new Uri(args[i + 1]); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--weeks": weeks = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: return null;
            }
        }
        return data is null ? null : new DemoOptions(args[0], Path.GetFullPath(data), seed, weeks, gateway);
    }

    /// <summary>What shows that the platform already ran on this directory (a service's store or a sandbox's state), or null.</summary>
    public static string? PlatformDataIn(string directory)
    {
        foreach (var service in new[] { "crm-ingest", "master-data", "billing-rules", "accounting-sync", "reporting" })
            if (Directory.Exists(Path.Combine(directory, service)))
                return service;
        var sandboxes = Path.Combine(directory, "sandboxes");
        return Directory.Exists(sandboxes) && Directory.EnumerateFiles(sandboxes, "*.json").FirstOrDefault() is { } file ? Path.GetFileName(file) : null;
    }
}
