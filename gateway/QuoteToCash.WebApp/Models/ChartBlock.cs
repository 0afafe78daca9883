using QuoteToCash.WebApp.Charts;

namespace QuoteToCash.WebApp.Models;

/// <summary>One dashboard chart as the page lays it out: the SVG, its data table beside it, and the link to its CSV.</summary>
public sealed record ChartBlock(string Id, string Title, string Svg, ChartTable Table, string CsvLink, ChartTable? MoreDetail = null);
