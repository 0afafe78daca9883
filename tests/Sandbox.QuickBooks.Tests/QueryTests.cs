using System.Net;
using System.Text;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.Domain.Query;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class QueryTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private async Task<QboCompany> CompanyWithCustomersAsync()
    {
        var company = await sandbox.CompanyAsync();
        foreach (var name in new[] { "Alpha Ltd", "Bravo GmbH", "Charlie's Bakery", "Delta Inc", "Echo Partners" })
            await company.CreateAsync("Customer", new { DisplayName = name, CompanyName = name.Split(' ')[0] });
        return company;
    }

    [Fact]
    public async Task Where_orderby_startposition_and_maxresults_page_through_the_results()
    {
        var company = await CompanyWithCustomersAsync();

        var response = await company.QueryAsync("SELECT * FROM Customer WHERE Active = true ORDERBY DisplayName DESC STARTPOSITION 2 MAXRESULTS 2");

        var page = response.Json["QueryResponse"]!;
        Assert.Equal(2, page["startPosition"]!.GetValue<int>());
        Assert.Equal(2, page["maxResults"]!.GetValue<int>());
        Assert.Equal(["Delta Inc", "Charlie's Bakery"], page["Customer"]!.AsArray().Select(c => c!["DisplayName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Count_returns_the_total_only()
    {
        var company = await CompanyWithCustomersAsync();

        var response = await company.QueryAsync("select count(*) from Customer");

        Assert.Equal(5, response.Json["QueryResponse"]!["totalCount"]!.GetValue<int>());
        Assert.Null(response.Json["QueryResponse"]!["Customer"]);
    }

    [Fact]
    public async Task A_backslash_escaped_quote_matches_an_apostrophe()
    {
        var company = await CompanyWithCustomersAsync();

        var found = await company.QueryListAsync(@"select * from Customer where DisplayName = 'Charlie\'s Bakery'", "Customer");

        Assert.Equal("Charlie's Bakery", Assert.Single(found)!["DisplayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_like_and_comparisons_filter()
    {
        var company = await CompanyWithCustomersAsync();

        var inList = await company.QueryListAsync("select * from Customer where CompanyName in ('Alpha', 'Echo')", "Customer");
        var like = await company.QueryListAsync("select * from Customer where DisplayName like '%ta%'", "Customer");
        var less = await company.QueryListAsync("select * from Customer where DisplayName < 'C' orderby DisplayName", "Customer");
        var greater = await company.QueryListAsync("select * from Customer where DisplayName > 'D'", "Customer");

        Assert.Equal(2, inList.Count);
        Assert.Equal(["Delta Inc"], like.Select(c => c!["DisplayName"]!.GetValue<string>()));
        Assert.Equal(["Alpha Ltd", "Bravo GmbH"], less.Select(c => c!["DisplayName"]!.GetValue<string>()));
        Assert.Equal(2, greater.Count);
    }

    [Fact]
    public async Task Metadata_times_and_ids_compare_as_time_and_number()
    {
        var company = await CompanyWithCustomersAsync();
        var since = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

        var recent = await company.QueryListAsync($"select * from Customer where MetaData.LastUpdatedTime > '{since}'", "Customer");
        var items = await company.QueryListAsync("select * from Item where Id in ('1', '2', '10')", "Item");

        Assert.Equal(5, recent.Count);
        Assert.Equal(2, items.Count);
    }

    [Fact]
    public async Task No_results_is_an_empty_query_response()
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.QueryAsync("select * from Invoice");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Empty(response.Json["QueryResponse"]!.AsObject());
    }

    [Fact]
    public async Task A_query_can_be_posted_as_application_text()
    {
        var company = await CompanyWithCustomersAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, company.Path("query?minorversion=75"))
        {
            Content = new StringContent("select * from Customer where DisplayName = 'Alpha Ltd'", Encoding.UTF8, "application/text"),
        };

        var response = await company.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Single(response.Json["QueryResponse"]!["Customer"]!.AsArray());
    }

    [Theory]
    [InlineData("select * from Customer where DisplayName = 'Charlie's Bakery'")]
    [InlineData("select * from Customer where DisplayName = 'Alpha' or DisplayName = 'Bravo'")]
    [InlineData("select * from Customer where DisplayName = 'unterminated")]
    [InlineData("select from Customer")]
    [InlineData("delete from Customer")]
    public async Task A_query_that_does_not_parse_is_4000(string query)
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.QueryAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("4000", response.FaultCode);
        Assert.StartsWith("QueryParserError", response.FaultDetail);
    }

    [Fact]
    public async Task Maxresults_above_1000_is_refused()
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.QueryAsync("select * from Customer maxresults 1001");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("4001", response.FaultCode);
        Assert.Contains("Max allowed value is 1000", response.FaultDetail);
    }

    [Fact]
    public void The_parser_reads_escapes_keywords_in_any_case_and_all_operators()
    {
        var query = QueryParser.Parse(@"Select * From customer Where DisplayName = 'A\'s \\ b' And Balance >= '10.5' aNd Id IN ('1', 2) And Active = false orderby Id desc, DisplayName maxresults 5 startposition 3");

        Assert.Equal("customer", query.Entity);
        Assert.Equal("A's \\ b", query.Where[0].Values[0].Text);
        Assert.Equal(">=", query.Where[1].Operator);
        Assert.Equal(["1", "2"], query.Where[2].Values.Select(v => v.Text));
        Assert.Equal(LiteralKind.Boolean, query.Where[3].Values[0].Kind);
        Assert.True(query.OrderBy[0].Descending);
        Assert.False(query.OrderBy[1].Descending);
        Assert.Equal(3, query.StartPosition);
        Assert.Equal(5, query.MaxResults);
    }

    [Fact]
    public void A_parse_failure_names_the_token_and_column()
    {
        var fault = Assert.Throws<QboException>(() => QueryParser.Parse("select * from Customer where Name = 'Bob's'"));

        Assert.Equal("4000", fault.Errors[0].Code);
        Assert.Contains("column", fault.Errors[0].Detail);
    }
}
