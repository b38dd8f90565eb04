using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>Syntax shared by the retry-policy fixes: rebuilt Polly calls checked by speculative binding, backoff and transient expressions.</summary>
internal static class RetryFixSyntax
{
    /// <summary><c>TimeSpan.FromSeconds(Math.Pow(2, attempt))</c>.</summary>
    public static ExpressionSyntax ExponentialDelay(string attempt)
        => SyntaxFactory.ParseExpression($"TimeSpan.FromSeconds(Math.Pow(2, {attempt}))");

    /// <summary><c>attempt =&gt; TimeSpan.FromSeconds(Math.Pow(2, attempt))</c>.</summary>
    public static ExpressionSyntax ExponentialSleepProvider()
        => SyntaxFactory.ParseExpression("attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt))");

    /// <summary>
    /// Transient statuses only, as <c>HandleTransientHttpError()</c> has them: <c>(int)r.StatusCode &gt;= 500 || r.StatusCode == HttpStatusCode.RequestTimeout</c>.
    /// Not 429: a retry that names 429 must wait for Retry-After (SE2003), which a predicate cannot do; the fix stops retrying it instead.
    /// </summary>
    public static ExpressionSyntax TransientCondition(string response, bool maybeNull = false)
        => SyntaxFactory.ParseExpression(maybeNull
            ? $"(int?){response}?.StatusCode >= 500 || {response}?.StatusCode == HttpStatusCode.RequestTimeout"
            : $"(int){response}.StatusCode >= 500 || {response}.StatusCode == HttpStatusCode.RequestTimeout");

    private static readonly int[] DefaultVariants = { 0, 3, 2, 1 };

    /// <summary>Variant order for Retry → WaitAndRetry callbacks: (exception, count) → (exception, delay, count, context).</summary>
    public static readonly int[] InsertDelayVariants = { 1, 2, 0, 3 };

    /// <summary>A name not yet visible at <paramref name="position"/>: <paramref name="preferred"/> or a numbered variant.</summary>
    public static string FreeName(SemanticModel model, int position, string preferred)
    {
        var name = preferred;
        for (var i = 1; model.LookupSymbols(position, name: name).Length > 0; i++)
        {
            name = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>
    /// Rebuilds <paramref name="invocation"/> as <c>receiver.<paramref name="newName"/>(<paramref name="arguments"/>)</c>; lambdas at
    /// <paramref name="callbackIndexes"/> (callbacks whose delegate type differs between overloads) get discard parameters inserted
    /// until the call binds. Null when no variant binds to a method.
    /// </summary>
    public static InvocationExpressionSyntax? Rebuild(
        SemanticModel model, InvocationExpressionSyntax invocation, string newName, IReadOnlyList<ArgumentSyntax> arguments, ICollection<int> callbackIndexes, int[]? variants = null)
    {
        variants ??= DefaultVariants;
        if (invocation.Expression is not MemberAccessExpressionSyntax access)
        {
            return null;
        }

        SimpleNameSyntax name = access.Name is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(newName))
            : SyntaxFactory.IdentifierName(newName);

        // Variants: 0 = as is, 1 = discards after the first parameter and at the end, 2 = after the first, 3 = at the end.
        foreach (var variant in variants)
        {
            var list = new List<ArgumentSyntax>(arguments.Count);
            var applicable = variant == 0;
            for (var i = 0; i < arguments.Count; i++)
            {
                var argument = arguments[i];
                if (variant > 0 && callbackIndexes.Contains(i) && AdaptLambda(argument.Expression, variant) is { } adapted)
                {
                    argument = argument.WithExpression(adapted);
                    applicable = true;
                }

                list.Add(argument);
            }

            if (!applicable)
            {
                continue;
            }

            var candidate = invocation
                .WithExpression(access.WithName(name.WithTriviaFrom(access.Name)))
                .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(list)).WithTriviaFrom(invocation.ArgumentList));
            if (model.GetSpeculativeSymbolInfo(invocation.SpanStart, candidate, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Unused(HashSet<string> used, string preferred)
    {
        var name = preferred;
        for (var i = 1; used.Contains(name); i++)
        {
            name = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        used.Add(name);
        return name;
    }

    private static ExpressionSyntax? AdaptLambda(ExpressionSyntax expression, int variant)
    {
        List<ParameterSyntax> parameters;
        CSharpSyntaxNode body;
        switch (expression)
        {
            case SimpleLambdaExpressionSyntax simple:
                parameters = new List<ParameterSyntax> { simple.Parameter };
                body = simple.Body;
                break;
            case ParenthesizedLambdaExpressionSyntax parenthesized when parenthesized.ParameterList.Parameters.Count > 0:
                parameters = new List<ParameterSyntax>(parenthesized.ParameterList.Parameters);
                body = parenthesized.Body;
                break;
            default:
                return null;
        }

        if (parameters.Exists(p => p.Type is not null))
        {
            return null;
        }

        // Named parameters rather than discards: `(ex, delay, count, context)` reads well and never collides.
        var used = new HashSet<string>();
        foreach (var token in body.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                used.Add(token.ValueText);
            }
        }

        foreach (var parameter in parameters)
        {
            used.Add(parameter.Identifier.ValueText);
        }

        if (variant is 1 or 3)
        {
            parameters.Add(SyntaxFactory.Parameter(SyntaxFactory.Identifier(Unused(used, variant == 1 ? "context" : "_"))));
        }

        if (variant is 1 or 2)
        {
            parameters.Insert(1, SyntaxFactory.Parameter(SyntaxFactory.Identifier(Unused(used, variant == 1 ? "delay" : "_"))));
        }

        // A single parameter named `_` is a real parameter; several are discards. Keep the original name usable.
        var lambda = SyntaxFactory.ParenthesizedLambdaExpression(
            SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(parameters)),
            body);
        if (expression is LambdaExpressionSyntax original && original.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
        {
            lambda = lambda.WithAsyncKeyword(original.AsyncKeyword);
        }

        return lambda.WithTriviaFrom(expression);
    }
}
