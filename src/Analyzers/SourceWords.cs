using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers;

/// <summary>Identifiers a rule needs in a file before it can report anything there (see <see cref="SourceWords"/>).</summary>
[Flags]
internal enum Words
{
    None = 0,

    /// <summary>An HttpClient send method's name (<see cref="RetryLoopShape.IsSendName"/>): every loop rule and SE2003's resend need a send call.</summary>
    Send = 1,

    All = Send,
}

/// <summary>
/// Which <see cref="Words"/> a syntax tree's text contains, from one pass over its characters, cached per tree (a tree is
/// immutable; in the IDE an edit makes a new tree for that file only). Lets a rule whose every diagnostic needs a call
/// with a given name skip a file, or a compilation, without walking syntax or binding: most files of an app never call
/// HttpClient.
/// <para>
/// Exact as a filter, never more: it reads comments and strings too (extra hits only cost the precise analysis), and a
/// file with a Unicode escape (<c>\u0047etAsync</c> is <c>GetAsync</c> to the compiler) counts as containing every word.
/// Identifier parts beyond ASCII letters and digits are kept inside the identifier, formatting characters (which the
/// compiler ignores in identifiers) are skipped.
/// </para>
/// </summary>
internal static class SourceWords
{
    private static readonly ConditionalWeakTable<SyntaxTree, Box> ByTree = new();
    private static readonly ConditionalWeakTable<Compilation, Box> ByCompilation = new();

    private sealed class Box
    {
        public Box(Words value) => Value = value;

        public Words Value { get; }
    }

    /// <summary>True when <paramref name="tree"/> contains one of <paramref name="words"/>.</summary>
    public static bool Contains(SyntaxTree tree, Words words, CancellationToken cancellationToken)
        => (Of(tree, cancellationToken) & words) != 0;

    /// <summary>True when some tree of <paramref name="compilation"/> contains one of <paramref name="words"/>.</summary>
    public static bool AnyTreeContains(Compilation compilation, Words words, CancellationToken cancellationToken)
    {
        if (!ByCompilation.TryGetValue(compilation, out var box))
        {
            var all = Words.None;
            foreach (var tree in compilation.SyntaxTrees)
            {
                all |= Of(tree, cancellationToken);
                if (all == Words.All)
                {
                    break;
                }
            }

            box = ByCompilation.GetValue(compilation, _ => new Box(all));
        }

        return (box.Value & words) != 0;
    }

    public static Words Of(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (!ByTree.TryGetValue(tree, out var box))
        {
            var words = Scan(tree.GetText(cancellationToken));
            box = ByTree.GetValue(tree, _ => new Box(words));
        }

        return box.Value;
    }

    /// <summary>
    /// False only when the text of <paramref name="syntax"/> contains neither <paramref name="first"/> nor
    /// <paramref name="second"/> (any case) and nothing that could spell them otherwise: no backslash (an escape in an
    /// identifier or a literal) and no character beyond ASCII (formatting characters the compiler drops from identifiers).
    /// A pre-check before walking a subtree for names or literals that contain one of the two.
    /// </summary>
    public static bool SpanMayContain(SyntaxNode syntax, string first, string second, CancellationToken cancellationToken)
    {
        // A parsed file's text is one string: ToString() does not copy it.
        var text = syntax.SyntaxTree.GetText(cancellationToken).ToString();
        var start = syntax.Span.Start;
        var length = syntax.Span.Length;
        if (text.IndexOf(first, start, length, StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf(second, start, length, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        return MaySpellOtherwise(text, syntax.Span);
    }

    /// <summary>
    /// Whether <paramref name="span"/> of <paramref name="text"/> holds something that can spell a name other than as its
    /// plain characters: a backslash (an escape in an identifier or a literal) or a character beyond ASCII (formatting
    /// characters the compiler drops from identifiers). Without one, a name is found by searching the text for it.
    /// </summary>
    public static bool MaySpellOtherwise(string text, TextSpan span)
    {
        for (var k = span.Start; k < span.End; k++)
        {
            if (text[k] is '\\' or > (char)127)
            {
                return true;
            }
        }

        return false;
    }

    private static Words Scan(SourceText text)
    {
        // A StringText (every parsed file) returns its string without copying.
        var source = text.ToString();
        var found = Words.None;
        var length = source.Length;
        var k = 0;
        while (k < length)
        {
            var c = source[k];
            if (c < 128 ? !AsciiIdentifierStart[c] : !char.IsLetter(c))
            {
                if (c == '\\' && k + 1 < length && source[k + 1] is 'u' or 'U')
                {
                    return Words.All;
                }

                k++;
                continue;
            }

            var start = k;
            var ascii = c < 128;
            for (k++; k < length; k++)
            {
                c = source[k];
                if (c < 128)
                {
                    if (!AsciiIdentifierPart[c])
                    {
                        break;
                    }
                }
                else if (IsIdentifierPart(c))
                {
                    ascii = false;
                }
                else
                {
                    break;
                }
            }

            found |= ascii ? Classify(source, start, k - start) : ClassifyNonAscii(source, start, k - start);
            if (found == Words.All)
            {
                return found;
            }
        }

        return found;
    }

    private static readonly bool[] AsciiIdentifierStart = CreateAsciiTable(digits: false);
    private static readonly bool[] AsciiIdentifierPart = CreateAsciiTable(digits: true);

    private static bool[] CreateAsciiTable(bool digits)
    {
        var table = new bool[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' || digits && c is >= '0' and <= '9';
        }

        return table;
    }

    private static bool IsIdentifierPart(char c)
        => char.IsLetterOrDigit(c)
            || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.Format;

    // An identifier with characters beyond ASCII: formatting characters are not part of its name (rare; copies).
    private static Words ClassifyNonAscii(string source, int start, int length)
    {
        var name = new System.Text.StringBuilder(length);
        for (var k = start; k < start + length; k++)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(source[k]) != UnicodeCategory.Format)
            {
                name.Append(source[k]);
            }
        }

        var text = name.ToString();
        return Classify(text, 0, text.Length);
    }

    private static Words Classify(string source, int start, int length)
    {
        // Only identifiers that start like a send name are compared in full.
        switch (source[start])
        {
            case 'S' or 'G' or 'P' or 'D' when IsSendName(source, start, length):
                return Words.Send;
            default:
                return Words.None;
        }
    }

    private static bool IsSendName(string source, int start, int length)
    {
        foreach (var name in SendNames)
        {
            if (name.Length == length && string.CompareOrdinal(source, start, name, 0, length) == 0)
            {
                return true;
            }
        }

        return false;
    }

    // The names of RetryLoopShape.IsSendName (a test keeps the two lists equal).
    internal static readonly string[] SendNames =
    {
        "Send", "SendAsync", "GetAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync",
        "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync",
        "GetFromJsonAsync", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync",
    };
}
