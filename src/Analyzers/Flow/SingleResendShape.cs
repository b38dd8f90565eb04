using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// A single resend after a wait, without a loop: the first response was 503 or 429, the code waits and sends the same request
/// once more.
/// <code>
/// var r = await client.SendAsync(CreateRequest());
/// if (r.StatusCode == HttpStatusCode.TooManyRequests) { await Task.Delay(2000); r = await client.SendAsync(CreateRequest()); }
/// </code>
/// Proven when: the <c>if</c> condition is true for 503 or 429 (named explicitly) and false for 200; the branch waits
/// (<c>Task.Delay</c>/<c>Thread.Sleep</c>, with a value not computed from the response) and then sends again with the same
/// method and the same arguments as the send that produced the response, storing or returning the new response; nothing in
/// the <c>if</c> reads Retry-After. Inside loops the loop rules decide: not analyzed there.
/// </summary>
internal sealed class SingleResendShape
{
    private SingleResendShape(IConditionalOperation conditional, ILocalSymbol response, IInvocationOperation delay, int named)
    {
        Conditional = conditional;
        Response = response;
        Delay = delay;
        NamedComeBackLater = named;
    }

    public IConditionalOperation Conditional { get; }

    /// <summary>The local holding the first response.</summary>
    public ILocalSymbol Response { get; }

    /// <summary>The wait before the resend.</summary>
    public IInvocationOperation Delay { get; }

    /// <summary>503 or 429.</summary>
    public int NamedComeBackLater { get; }

    public Location KeywordLocation => ((IfStatementSyntax)Conditional.Syntax).IfKeyword.GetLocation();

    /// <summary>Syntax-only pre-check: an <c>if</c> whose branch waits and sends, outside any loop of its function.</summary>
    // A numeric token's ValueText formats its value (a string per literal): compare the source text when it is plain
    // decimal digits without a leading zero (then it is the value's text), and the value's text otherwise (0x1F7, 503L, 5_03).
    private static bool IsComeBackLaterNumeral(SyntaxToken token)
    {
        var text = token.Text;
        var plain = text.Length > 0 && text[0] != '0';
        for (var i = 0; plain && i < text.Length; i++)
        {
            plain = text[i] is >= '0' and <= '9';
        }

        return plain ? text is "429" or "503" : token.ValueText is "429" or "503";
    }

    public static bool MightBe(IfStatementSyntax node)
    {
        // The condition mentions a status first (cheap, and most ifs do not).
        var mentionsStatus = false;
        foreach (var token in node.Condition.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is "StatusCode" or "TooManyRequests" or "ServiceUnavailable"
                || token.IsKind(SyntaxKind.NumericLiteralToken) && IsComeBackLaterNumeral(token))
            {
                mentionsStatus = true;
                break;
            }
        }

        if (!mentionsStatus)
        {
            return false;
        }

        var waits = false;
        var sends = false;
        foreach (var descendant in node.Statement.DescendantNodes())
        {
            if (descendant is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access })
            {
                var name = access.Name.Identifier.ValueText;
                waits |= name is "Delay" or "Sleep";
                sends |= RetryLoopShape.IsSendName(name);
            }
        }

        if (!waits || !sends)
        {
            return false;
        }

        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax:
                    return false;
                case MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return true;
            }
        }

        return true;
    }

    public static SingleResendShape? TryCreate(IConditionalOperation conditional)
    {
        if (conditional.Syntax is not IfStatementSyntax || conditional.Syntax.ContainsDiagnostics || conditional.WhenTrue is not IBlockOperation block
            || DelaySchedule.ReadsRetryAfter(conditional))
        {
            return null;
        }

        // The branch: … a wait …, then the resend, stored in the response local or returned.
        IInvocationOperation? delay = null;
        IInvocationOperation? resend = null;
        ILocalSymbol? stored = null;
        foreach (var statement in block.Operations)
        {
            if (resend is not null)
            {
                break;
            }

            foreach (var operation in statement.DescendantsAndSelf())
            {
                if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return null;
                }

                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                if (IsDelay(invocation))
                {
                    delay ??= invocation;
                }
                else if (RetryLoopShape.IsSend(invocation))
                {
                    if (delay is null || resend is not null)
                    {
                        return null;
                    }

                    resend = invocation;
                    stored = StoredIn(invocation, out var returned);
                    if (stored is null && !returned)
                    {
                        return null;
                    }
                }
            }
        }

        if (delay is null || resend is null || delay.Arguments.Length == 0)
        {
            return null;
        }

        // The condition is over the first response: 503/429 named, true for it, false for 200.
        var response = ConditionSubject(conditional.Condition);
        if (response is null || stored is not null && !SymbolEqualityComparer.Default.Equals(stored, response)
            || DelaySchedule.References(delay.Arguments[0].Value, response)
            || RetryCondition.Evaluate(conditional.Condition, 200, response) != false)
        {
            return null;
        }

        var named = 0;
        foreach (var status in new[] { 503, 429 })
        {
            if (RetryCondition.NamesStatus(conditional.Condition, status) && RetryCondition.Evaluate(conditional.Condition, status, response) == true)
            {
                named = status;
                break;
            }
        }

        if (named == 0 || !ResendsSameRequest(conditional, response, resend))
        {
            return null;
        }

        return new SingleResendShape(conditional, response, delay, named);
    }

    private static bool IsDelay(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        return method.Name == "Delay" && method.ContainingType is { Name: "Task", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } } }
            || method.Name == "Sleep" && method.ContainingType is { Name: "Thread", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } };
    }

    /// <summary>The local the send's response is assigned to (<c>r = await …</c>), or null; <paramref name="returned"/> for <c>return await …</c>.</summary>
    private static ILocalSymbol? StoredIn(IInvocationOperation send, out bool returned)
    {
        returned = false;
        IOperation current = send;
        while (current.Parent is IAwaitOperation or IConversionOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            current = current.Parent;
        }

        switch (current.Parent)
        {
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local }:
                return local.Local;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return declarator.Symbol;
            case IReturnOperation:
                returned = true;
                return null;
            default:
                return null;
        }
    }

    /// <summary>The single HttpResponseMessage local the condition reads.</summary>
    private static ILocalSymbol? ConditionSubject(IOperation condition)
    {
        ILocalSymbol? subject = null;
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation local && RetryCondition.IsHttpResponseMessage(local.Local.Type))
            {
                if (subject is not null && !SymbolEqualityComparer.Default.Equals(subject, local.Local))
                {
                    return null;
                }

                subject = local.Local;
            }
        }

        return subject;
    }

    /// <summary>The response local was last obtained, before the <c>if</c>, by a send with the same method and the same arguments.</summary>
    private static bool ResendsSameRequest(IConditionalOperation conditional, ILocalSymbol response, IInvocationOperation resend)
    {
        if (conditional.Parent is not IBlockOperation parent)
        {
            return false;
        }

        var index = parent.Operations.IndexOf(conditional);
        for (var i = index - 1; i >= 0; i--)
        {
            var statement = parent.Operations[i];
            foreach (var operation in statement.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation first && RetryLoopShape.IsSend(first) && SymbolEqualityComparer.Default.Equals(StoredIn(first, out _), response))
                {
                    return SymbolEqualityComparer.Default.Equals(first.TargetMethod, resend.TargetMethod)
                        && SyntaxFactory.AreEquivalent(first.Syntax, resend.Syntax);
                }
            }

            // Anything that writes the response local in between hides which request produced it.
            foreach (var operation in statement.DescendantsAndSelf())
            {
                if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation written } && SymbolEqualityComparer.Default.Equals(written.Local, response))
                {
                    return false;
                }
            }
        }

        return false;
    }
}
