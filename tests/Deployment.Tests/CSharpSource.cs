using System.Text;

namespace QuoteToCash.Deployment.Tests;

/// <summary>
/// A C# file with its comments removed and every string literal replaced by a placeholder <c>"&lt;N&gt;"</c>
/// (N indexes <see cref="Literals"/>). Braces and quotes inside strings can then no longer confuse the
/// regular expressions that look for classes, properties and calls, and nothing in a comment counts.
/// Not a parser: just enough lexing for the configuration-key check.
/// </summary>
internal sealed class CSharpSource
{
    private readonly string _text;
    private readonly StringBuilder _code = new();
    private readonly List<string> _literals = [];
    private int _pos;

    private CSharpSource(string text)
    {
        _text = text;
        Lex();
        Code = _code.ToString();
    }

    public string Code { get; }

    public IReadOnlyList<string> Literals => _literals;

    public static CSharpSource Parse(string text) => new(text);

    /// <summary>The literal a placeholder such as <c>"&lt;3&gt;"</c> (as captured: <c>3</c>) stands for.</summary>
    public string Literal(string index) => _literals[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)];

    private char At(int i) => i < _text.Length ? _text[i] : '\0';

    private void Lex()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '/' && At(_pos + 1) == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                    _pos++;
            }
            else if (c == '/' && At(_pos + 1) == '*')
            {
                var end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                _pos = end < 0 ? _text.Length : end + 2;
                _code.Append(' ');
            }
            else if (c == '\'')
            {
                SkipCharLiteral();
                _code.Append("' '");
            }
            else if (TryReadString(out var value))
            {
                _code.Append('"').Append('<').Append(_literals.Count).Append('>').Append('"');
                _literals.Add(value);
            }
            else
            {
                _code.Append(c);
                _pos++;
            }
        }
    }

    private void SkipCharLiteral()
    {
        _pos++;
        while (_pos < _text.Length && _text[_pos] != '\'' && _text[_pos] != '\n')
            _pos += _text[_pos] == '\\' ? 2 : 1;
        _pos++;
    }

    /// <summary>Reads a string literal of any kind starting at the current position, if there is one.</summary>
    private bool TryReadString(out string value)
    {
        value = "";
        var start = _pos;
        var j = _pos;
        var interpolated = 0;
        var verbatim = false;
        while (j < _text.Length && (_text[j] == '$' || _text[j] == '@'))
        {
            if (_text[j] == '$')
                interpolated++;
            else
                verbatim = true;
            j++;
        }

        if (At(j) != '"')
            return false;

        // "@identifier" and the like are not strings; only prefixes directly before a quote are.
        if (j > start && start > 0 && (char.IsLetterOrDigit(_text[start - 1]) || _text[start - 1] == '_'))
            return false;

        var quotes = 0;
        while (At(j + quotes) == '"')
            quotes++;

        if (quotes >= 3)
        {
            var delimiter = new string('"', quotes);
            var end = _text.IndexOf(delimiter, j + quotes, StringComparison.Ordinal);
            end = end < 0 ? _text.Length : end;
            value = _text[(j + quotes)..end];
            _pos = Math.Min(_text.Length, end + quotes);
            return true;
        }

        _pos = j + 1;
        var sb = new StringBuilder();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (verbatim && c == '"')
            {
                if (At(_pos + 1) == '"')
                {
                    sb.Append('"');
                    _pos += 2;
                    continue;
                }

                _pos++;
                break;
            }

            if (!verbatim && c == '"')
            {
                _pos++;
                break;
            }

            if (!verbatim && c == '\n')
                break; // unterminated; give up on this literal

            if (!verbatim && c == '\\')
            {
                var next = At(_pos + 1);
                sb.Append(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '0' => '\0', _ => next });
                _pos += 2;
                continue;
            }

            if (interpolated > 0 && c == '{')
            {
                if (At(_pos + 1) == '{')
                {
                    sb.Append('{');
                    _pos += 2;
                    continue;
                }

                SkipInterpolationHole();
                sb.Append("{}");
                continue;
            }

            if (interpolated > 0 && c == '}' && At(_pos + 1) == '}')
            {
                sb.Append('}');
                _pos += 2;
                continue;
            }

            sb.Append(c);
            _pos++;
        }

        value = sb.ToString();
        return true;
    }

    /// <summary>Skips <c>{ expression }</c> inside an interpolated string, including strings nested in it.</summary>
    private void SkipInterpolationHole()
    {
        var depth = 0;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '{')
            {
                depth++;
                _pos++;
            }
            else if (c == '}')
            {
                depth--;
                _pos++;
                if (depth == 0)
                    return;
            }
            else if (c == '\'')
            {
                SkipCharLiteral();
            }
            else if (!TryReadString(out _))
            {
                _pos++;
            }
        }
    }
}
