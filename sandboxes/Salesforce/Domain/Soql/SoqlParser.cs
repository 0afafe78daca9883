using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace QuoteToCash.Sandbox.Salesforce.Domain.Soql;

/// <summary>
/// Parses the SOQL subset the sandbox serves: SELECT fields, relationship paths, child subqueries and COUNT();
/// FROM one object; WHERE with = != &lt;&gt; &lt; &lt;= &gt; &gt;= LIKE IN NOT IN, AND/OR/NOT and parentheses;
/// ORDER BY with ASC/DESC and NULLS FIRST/LAST; LIMIT; OFFSET.
/// </summary>
public sealed partial class SoqlParser
{
    private static readonly HashSet<string> DateLiterals = new(StringComparer.OrdinalIgnoreCase)
    {
        "TODAY", "YESTERDAY", "TOMORROW", "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR",
        "LAST_N_DAYS", "NEXT_N_DAYS",
    };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "LIMIT", "OFFSET", "ASC", "DESC", "NULLS", "FIRST", "LAST", "NULL", "TRUE", "FALSE",
    };

    private readonly List<Token> _tokens;
    private int _index;

    private SoqlParser(List<Token> tokens) => _tokens = tokens;

    public static SoqlQuery Parse(string text)
    {
        var parser = new SoqlParser(Tokenize(text));
        var query = parser.ParseQuery(subquery: false);
        if (parser.Peek.Kind != TokenKind.End)
            throw Unexpected(parser.Peek);
        return query;
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private static SoqlException Unexpected(Token token) =>
        new("MALFORMED_QUERY", token.Kind == TokenKind.End ? "unexpected token: <EOF>" : $"unexpected token: {token.Text}", token.Position);

    private void ExpectKeyword(string keyword)
    {
        if (!Peek.Is(keyword))
            throw Unexpected(Peek);
        _index++;
    }

    private void ExpectSymbol(string symbol)
    {
        if (!Peek.IsSymbol(symbol))
            throw Unexpected(Peek);
        _index++;
    }

    private SoqlQuery ParseQuery(bool subquery)
    {
        ExpectKeyword("SELECT");
        var select = new List<SelectItem>();
        do
        {
            if (Peek.IsSymbol("("))
            {
                if (subquery)
                    throw new SoqlException("MALFORMED_QUERY", "Nesting of semi join sub-selects is not supported", Peek.Position);
                _index++;
                select.Add(new SubqueryItem(ParseQuery(subquery: true)));
                ExpectSymbol(")");
            }
            else if (Peek.Is("COUNT") && _tokens[_index + 1].IsSymbol("("))
            {
                var position = Next().Position;
                ExpectSymbol("(");
                ExpectSymbol(")");
                select.Add(new CountItem(position));
            }
            else
            {
                var (path, position) = ParsePath();
                select.Add(new FieldItem(path, position));
            }
        }
        while (TrySymbol(","));

        ExpectKeyword("FROM");
        var from = Next();
        if (from.Kind != TokenKind.Identifier || Reserved.Contains(from.Text))
            throw Unexpected(from);

        Condition? where = null;
        if (Peek.Is("WHERE"))
        {
            _index++;
            where = ParseOr();
        }

        var orderBy = new List<OrderItem>();
        if (Peek.Is("ORDER"))
        {
            _index++;
            ExpectKeyword("BY");
            do
            {
                var (path, position) = ParsePath();
                var descending = false;
                if (Peek.Is("ASC"))
                    _index++;
                else if (Peek.Is("DESC"))
                {
                    _index++;
                    descending = true;
                }
                var nullsLast = descending;
                if (Peek.Is("NULLS"))
                {
                    _index++;
                    if (Peek.Is("FIRST"))
                        nullsLast = false;
                    else if (Peek.Is("LAST"))
                        nullsLast = true;
                    else
                        throw Unexpected(Peek);
                    _index++;
                }
                orderBy.Add(new OrderItem(path, position, descending, nullsLast));
            }
            while (TrySymbol(","));
        }

        int? limit = null;
        int? offset = null;
        if (Peek.Is("LIMIT"))
        {
            _index++;
            limit = ParseCount();
        }
        if (Peek.Is("OFFSET"))
        {
            _index++;
            offset = ParseCount();
        }
        return new SoqlQuery(select, from.Text, from.Position, where, orderBy, limit, offset);
    }

    private int ParseCount()
    {
        var token = Next();
        if (token.Kind != TokenKind.Number || !int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw Unexpected(token);
        return value;
    }

    private bool TrySymbol(string symbol)
    {
        if (!Peek.IsSymbol(symbol))
            return false;
        _index++;
        return true;
    }

    private (IReadOnlyList<string> Path, int Position) ParsePath()
    {
        var first = Next();
        if (first.Kind != TokenKind.Identifier || Reserved.Contains(first.Text))
            throw Unexpected(first);
        var path = new List<string> { first.Text };
        while (Peek.IsSymbol("."))
        {
            _index++;
            var part = Next();
            if (part.Kind != TokenKind.Identifier)
                throw Unexpected(part);
            path.Add(part.Text);
        }
        return (path, first.Position);
    }

    private Condition ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Is("OR"))
        {
            _index++;
            left = new OrCondition(left, ParseAnd());
        }
        return left;
    }

    private Condition ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Is("AND"))
        {
            _index++;
            left = new AndCondition(left, ParseNot());
        }
        return left;
    }

    private Condition ParseNot()
    {
        if (Peek.Is("NOT"))
        {
            _index++;
            return new NotCondition(ParseNot());
        }
        if (Peek.IsSymbol("("))
        {
            _index++;
            var inner = ParseOr();
            ExpectSymbol(")");
            return inner;
        }
        var (path, position) = ParsePath();
        if (Peek.Is("NOT") && _tokens[_index + 1].Is("IN"))
        {
            _index += 2;
            return new InCondition(path, position, true, ParseValueList());
        }
        if (Peek.Is("IN"))
        {
            _index++;
            return new InCondition(path, position, false, ParseValueList());
        }
        if (Peek.Is("LIKE"))
        {
            _index++;
            return new Comparison(path, position, "LIKE", ParseValue());
        }
        var op = Next();
        if (op.Kind != TokenKind.Symbol || op.Text is not ("=" or "!=" or "<>" or "<" or "<=" or ">" or ">="))
            throw Unexpected(op);
        return new Comparison(path, position, op.Text == "<>" ? "!=" : op.Text, ParseValue());
    }

    private List<SoqlValue> ParseValueList()
    {
        ExpectSymbol("(");
        if (Peek.Is("SELECT"))
            throw new SoqlException("MALFORMED_QUERY", "semi-join sub-selects are not supported by the sandbox", Peek.Position);
        var values = new List<SoqlValue>();
        do
            values.Add(ParseValue());
        while (TrySymbol(","));
        ExpectSymbol(")");
        return values;
    }

    private SoqlValue ParseValue()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.String:
                return new SoqlValue(ValueKind.String, token.Text, token.Position);
            case TokenKind.Number:
                return new SoqlValue(ValueKind.Number, token.Text, token.Position);
            case TokenKind.DateTimeLiteral:
                return new SoqlValue(token.Text.Length == 10 ? ValueKind.Date : ValueKind.DateTime, token.Text, token.Position);
            case TokenKind.Symbol when token.Text == "-" && Peek.Kind == TokenKind.Number:
                return new SoqlValue(ValueKind.Number, "-" + Next().Text, token.Position);
            case TokenKind.Identifier when token.Is("NULL"):
                return new SoqlValue(ValueKind.Null, "null", token.Position);
            case TokenKind.Identifier when token.Is("TRUE") || token.Is("FALSE"):
                return new SoqlValue(ValueKind.Boolean, token.Text.ToLowerInvariant(), token.Position);
            case TokenKind.Identifier when DateLiterals.Contains(token.Text):
                var n = 0;
                if (token.Text.EndsWith("_N_DAYS", StringComparison.OrdinalIgnoreCase))
                {
                    ExpectSymbol(":");
                    n = ParseCount();
                }
                return new SoqlValue(ValueKind.DateLiteral, token.Text.ToUpperInvariant(), token.Position, n);
            default:
                throw Unexpected(token);
        }
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw new SoqlException("MALFORMED_QUERY", "unexpected token: <EOF> (unterminated string)", start);
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                        i += 2;
                        continue;
                    }
                    if (text[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    value.Append(text[i++]);
                }
                tokens.Add(new Token(TokenKind.String, value.ToString(), start));
                continue;
            }
            var dateMatch = DateTimePattern().Match(text, i);
            if (dateMatch.Success && dateMatch.Index == i)
            {
                tokens.Add(new Token(TokenKind.DateTimeLiteral, dateMatch.Value, start));
                i += dateMatch.Length;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                    i++;
                tokens.Add(new Token(TokenKind.Number, text[start..i], start));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                    i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "!=" or "<>" or "<=" or ">=")
            {
                tokens.Add(new Token(TokenKind.Symbol, two, start));
                i += 2;
                continue;
            }
            if ("=<>(),.:-".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start));
                i++;
                continue;
            }
            throw new SoqlException("MALFORMED_QUERY", $"unexpected token: {c}", start);
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    [GeneratedRegex(@"\G\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2}))?")]
    private static partial Regex DateTimePattern();
}
