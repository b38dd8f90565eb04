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
    private const int MaxWordLength = 32;
    private const int ChunkLength = 4096;

    private static readonly ConditionalWeakTable<SyntaxTree, Box> ByTree = new();
    private static readonly ConditionalWeakTable<Compilation, Box> ByCompilation = new();

    [ThreadStatic]
    private static char[]? t_chunk;

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

    private static Words Scan(SourceText text)
    {
        var chunk = t_chunk ??= new char[ChunkLength];
        var word = new char[MaxWordLength];
        var length = 0;
        var tooLong = false;
        var found = Words.None;
        var previous = '\0';
        for (var start = 0; start < text.Length; start += ChunkLength)
        {
            var count = Math.Min(ChunkLength, text.Length - start);
            text.CopyTo(start, chunk, 0, count);
            for (var k = 0; k < count; k++)
            {
                var c = chunk[k];
                if (previous == '\\' && (c == 'u' || c == 'U'))
                {
                    return Words.All;
                }

                if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || c > 127 && IsIdentifierPart(c))
                {
                    if (c > 127 && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
                    {
                        continue;
                    }

                    if (length < MaxWordLength)
                    {
                        word[length] = c;
                    }
                    else
                    {
                        tooLong = true;
                    }

                    length++;
                }
                else
                {
                    if (length > 0 && !tooLong)
                    {
                        found |= Classify(word, length);
                    }

                    length = 0;
                    tooLong = false;
                }

                previous = c;
            }
        }

        if (length > 0 && !tooLong)
        {
            found |= Classify(word, length);
        }

        return found;
    }

    private static bool IsIdentifierPart(char c)
        => char.IsLetterOrDigit(c)
            || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.Format;

    private static Words Classify(char[] word, int length)
    {
        // Only identifiers that start like a send name are compared in full.
        switch (word[0])
        {
            case 'S' or 'G' or 'P' or 'D' when IsSendName(word, length):
                return Words.Send;
            default:
                return Words.None;
        }
    }

    private static bool IsSendName(char[] word, int length)
    {
        foreach (var name in SendNames)
        {
            if (name.Length == length && Equals(word, name))
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

    private static bool Equals(char[] word, string name)
    {
        for (var k = 0; k < name.Length; k++)
        {
            if (word[k] != name[k])
            {
                return false;
            }
        }

        return true;
    }
}
