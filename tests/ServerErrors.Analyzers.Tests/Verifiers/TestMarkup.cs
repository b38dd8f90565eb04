using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ServerErrors.Analyzers.Tests.Verifiers;

/// <summary>A diagnostic a test expects: rule id and span in one file.</summary>
public sealed record ExpectedDiagnostic(string Id, string Path, TextSpan Span);

/// <summary>
/// Parses the markup of Microsoft.CodeAnalysis.Testing: <c>[|code|]</c> marks a diagnostic of the
/// rule under test, <c>{|SE1002:code|}</c> one of a named rule. Spans may nest.
/// </summary>
public static class TestMarkup
{
    public static (string Source, List<ExpectedDiagnostic> Expected) Parse(string markup, string path, string defaultId)
    {
        var source = new StringBuilder(markup.Length);
        var expected = new List<ExpectedDiagnostic>();
        var open = new Stack<(string Id, int Start)>();

        for (var i = 0; i < markup.Length; i++)
        {
            if (Starts(markup, i, "[|"))
            {
                open.Push((defaultId, source.Length));
                i++;
            }
            else if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|' && TryReadId(markup, i + 2, out var id, out var end))
            {
                open.Push((id, source.Length));
                i = end;
            }
            else if (Starts(markup, i, "|]") || Starts(markup, i, "|}"))
            {
                if (open.Count == 0)
                {
                    throw new InvalidOperationException($"Unbalanced markup: '{markup.Substring(i, 2)}' at offset {i} closes nothing.");
                }

                var (openId, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(openId, path, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        if (open.Count != 0)
        {
            throw new InvalidOperationException("Unbalanced markup: a '[|' or '{|ID:' is never closed.");
        }

        return (source.ToString(), expected);
    }

    private static bool Starts(string text, int index, string token)
        => string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    // `{|SE1002:` — an id of letters and digits followed by a colon.
    private static bool TryReadId(string text, int start, out string id, out int colon)
    {
        var i = start;
        while (i < text.Length && char.IsLetterOrDigit(text[i]))
        {
            i++;
        }

        if (i > start && i < text.Length && text[i] == ':')
        {
            id = text.Substring(start, i - start);
            colon = i;
            return true;
        }

        id = string.Empty;
        colon = -1;
        return false;
    }
}
