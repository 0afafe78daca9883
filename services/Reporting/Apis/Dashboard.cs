namespace QuoteToCash.Reporting.Apis;

public static class Dashboard
{
    /// <summary>The finance dashboard's entry page at the gateway root. It reads everything through the authenticated API.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    private const string Page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>QuoteToCash</title>
        <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:52rem;color:#1b2733}code{background:#eef2f6;padding:0 .25rem}</style></head>
        <body>
        <h1>QuoteToCash</h1>
        <p>From closed-won deal to cash. Platform health: <span id="health">checking…</span></p>
        <p>Operators sign in with a bearer token (<code>POST /auth/token</code> on a local run) and use the APIs under <code>/api/</code>.</p>
        <script>
        fetch('/health/ready').then(r => r.json()).then(h => {
          document.getElementById('health').textContent = h.status + ' (' + (h.services || []).map(s => s.name + ': ' + s.status).join(', ') + ')';
        }).catch(() => document.getElementById('health').textContent = 'unreachable');
        </script>
        </body></html>
        """;
}
