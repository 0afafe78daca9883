using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using QuoteToCash.Testing;

namespace QuoteToCash.EndToEnd.Tests.Browser;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by test.sh) driven by Playwright — never Playwright's own browser
/// download, which this machine cannot reach. One browser per test class; a fresh context (cookies) per user.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The screen the app is designed for.</summary>
    public static readonly ViewportSize Viewport = new() { Width = 1366, Height = 768 };

    /// <summary>Where screenshots go: kept with the test results as artifacts.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(ServiceProcess.RepositoryRoot, "artifacts", "test-results", "screenshots");

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Skips the test (with the reason) when Chromium is not installed: test.sh installs it, so that means it could not be.</summary>
    public static async Task<Chromium> LaunchAsync()
    {
        Assert.SkipUnless(File.Exists(ExecutablePath),
            $"{ExecutablePath} is missing and could not be installed ('apt-get install -y chromium', which test.sh runs, failed or was not possible).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A new browser context (its own cookies) with a page at 1366×768 on the gateway.</summary>
    public async Task<IPage> NewPageAsync(Uri gateway)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Viewport, BaseURL = gateway.ToString().TrimEnd('/') });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/app/sign-in");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/app/sign-in", StringComparison.Ordinal));
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Runs axe on the page as it stands; fails naming every serious or critical violation and where it is.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe on {what} ({page.Url}): " + string.Join("\n", serious.Select(v =>
            $"[{v.Impact}] {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
