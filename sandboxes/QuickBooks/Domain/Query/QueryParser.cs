using System.Globalization;
using System.Text;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Query;

public enum LiteralKind { String, Number, Boolean }

public sealed record Literal(LiteralKind Kind, string Text)
{
    public decimal? Number => decimal.TryParse(Text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}

public sealed record Condition(string Field, string Operator, IReadOnlyList<Literal> Values);

public sealed record Ordering(string Field, bool Descending);

/// <summary>A parsed <c>SELECT * | count(*) FROM X WHERE … ORDERBY … STARTPOSITION n MAXRESULTS n</c>.</summary>
public sealed record SelectStatement(
    string Entity,
    bool Count,
    IReadOnlyList<Condition> Where,
    IReadOnlyList<Ordering> OrderBy,
    int? StartPosition,
    int? MaxResults);

/// <summary>
/// QBO's query language: one entity, conditions joined by AND (no OR), operators =, &lt;, &gt;, &lt;=, &gt;=, IN and LIKE,
/// strings in single quotes with backslash escapes (\' and \\). Keywords and entity names are case-insensitive.
/// A syntax error is fault 4000, like QBO's "QueryParserError: Encountered …".
/// </summary>
public static class QueryParser
{
    private enum TokenType { Word, String, Number, Symbol, End }

    private sealed record Token(TokenType Type, string Text, int Column)
    {
        public bool Is(string keyword) => Type == TokenType.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

        public bool IsSymbol(string symbol) => Type == TokenType.Symbol && Text == symbol;

        public string Describe() => Type switch
        {
            TokenType.End => "<EOF>",
            TokenType.String => $"\"'{Text}'\"",
            _ => $"\"{Text}\"",
        };
    }

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "select", "from", "where", "and", "or", "in", "like", "orderby", "asc", "desc", "startposition", "maxresults", "count",
    };

    public static SelectStatement Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Faults.QueryParse("Encountered \"<EOF>\" at line 1, column 1.");
        var tokens = Tokenize(text);
        var position = 0;
        Token Peek() => tokens[position];
        Token Take() => tokens[position++];
        QboException Unexpected(Token token, string expecting)
            => Faults.QueryParse($"Encountered {token.Describe()} at line 1, column {token.Column}.\nWas expecting one of:\n    {expecting}");
        Token Expect(string keyword)
        {
            var token = Take();
            return token.Is(keyword) || token.IsSymbol(keyword) ? token : throw Unexpected(token, $"\"{keyword}\"");
        }

        Expect("select");
        var count = false;
        if (Peek().IsSymbol("*"))
        {
            Take();
        }
        else if (Peek().Is("count"))
        {
            Take();
            Expect("(");
            Expect("*");
            Expect(")");
            count = true;
        }
        else
        {
            // QBO accepts a column list but always returns whole entities.
            do
            {
                var column = Take();
                if (column.Type != TokenType.Word || Reserved.Contains(column.Text))
                    throw Unexpected(column, "\"*\" ... \"count\" ... <IDENTIFIER>");
            }
            while (Peek().IsSymbol(",") && Take() is not null);
        }

        Expect("from");
        var entity = Take();
        if (entity.Type != TokenType.Word || Reserved.Contains(entity.Text))
            throw Unexpected(entity, "<IDENTIFIER>");

        var where = new List<Condition>();
        if (Peek().Is("where"))
        {
            Take();
            where.Add(ParseCondition());
            while (Peek().Is("and"))
            {
                Take();
                where.Add(ParseCondition());
            }
        }

        var orderBy = new List<Ordering>();
        if (Peek().Is("orderby"))
        {
            Take();
            do
            {
                var field = Take();
                if (field.Type != TokenType.Word || Reserved.Contains(field.Text))
                    throw Unexpected(field, "<IDENTIFIER>");
                var descending = false;
                if (Peek().Is("desc") || Peek().Is("asc"))
                    descending = Take().Is("desc");
                orderBy.Add(new Ordering(field.Text, descending));
            }
            while (Peek().IsSymbol(",") && Take() is not null);
        }

        int? start = null, max = null;
        while (Peek().Is("startposition") || Peek().Is("maxresults"))
        {
            var keyword = Take();
            var number = Take();
            if (number.Type != TokenType.Number || !int.TryParse(number.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                throw Unexpected(number, "<INTEGER>");
            if (keyword.Is("startposition"))
                start = value;
            else
                max = value;
        }

        if (Peek().Type != TokenType.End)
            throw Unexpected(Peek(), "<EOF>");
        return new SelectStatement(entity.Text, count, where, orderBy, start, max);

        Condition ParseCondition()
        {
            var field = Take();
            if (field.Type != TokenType.Word || Reserved.Contains(field.Text))
                throw Unexpected(field, "<IDENTIFIER>");
            var op = Take();
            if (op.Is("in"))
            {
                Expect("(");
                var values = new List<Literal> { ParseLiteral() };
                while (Peek().IsSymbol(","))
                {
                    Take();
                    values.Add(ParseLiteral());
                }
                Expect(")");
                return new Condition(field.Text, "IN", values);
            }
            if (op.Is("like"))
                return new Condition(field.Text, "LIKE", [ParseLiteral()]);
            if (op.Type == TokenType.Symbol && op.Text is "=" or "<" or ">" or "<=" or ">=")
                return new Condition(field.Text, op.Text, [ParseLiteral()]);
            throw Unexpected(op, "\"=\" ... \"<\" ... \">\" ... \"<=\" ... \">=\" ... \"IN\" ... \"LIKE\"");
        }

        Literal ParseLiteral()
        {
            var token = Take();
            return token.Type switch
            {
                TokenType.String => new Literal(LiteralKind.String, token.Text),
                TokenType.Number => new Literal(LiteralKind.Number, token.Text),
                TokenType.Word when token.Is("true") || token.Is("false") => new Literal(LiteralKind.Boolean, token.Text.ToLowerInvariant()),
                _ => throw Unexpected(token, "<STRING> ... <INTEGER> ... \"true\" ... \"false\""),
            };
        }
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (d == '\\' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }
                    if (d == '\'')
                    {
                        closed = true;
                        i++;
                        break;
                    }
                    value.Append(d);
                    i++;
                }
                if (!closed)
                    throw Faults.QueryParse($"Lexical error at line 1, column {text.Length + 1}.  Encountered: <EOF> after : \"'{value}\"");
                tokens.Add(new Token(TokenType.String, value.ToString(), column));
                continue;
            }
            if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                    i++;
                tokens.Add(new Token(TokenType.Number, text[start..i], column));
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                    i++;
                tokens.Add(new Token(TokenType.Word, text[start..i], column));
                continue;
            }
            if (c is '<' or '>' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new Token(TokenType.Symbol, text.Substring(i, 2), column));
                i += 2;
                continue;
            }
            if (c is '=' or '<' or '>' or '(' or ')' or ',' or '*')
            {
                tokens.Add(new Token(TokenType.Symbol, c.ToString(), column));
                i++;
                continue;
            }
            throw Faults.QueryParse($"Lexical error at line 1, column {column}.  Encountered: \"{c}\"");
        }
        tokens.Add(new Token(TokenType.End, "", text.Length + 1));
        return tokens;
    }
}
