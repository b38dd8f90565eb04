using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// A hand-written retry loop: a <c>for</c>/<c>while</c>/<c>do</c> loop that sends the same HTTP request again after a failed
/// outcome and leaves on success. Built on <see cref="RetryCondition"/> (what a status condition admits) and
/// <see cref="DelaySchedule"/> (how the wait grows).
/// <para>
/// The loop body is executed symbolically, once per outcome of the send: a response with a given status, or a network
/// failure (<c>HttpRequestException</c> without status). Each path ends in <em>exit</em> (return, break, throw out of the
/// loop), <em>retry</em> (back edge) or <em>unknown</em>. Conditions over the response (or over a caught
/// <c>HttpRequestException</c>) are evaluated for the status; conditions over anything else (an attempt counter, a
/// deadline, the body's content) are <em>guards</em>: both branches are explored and the one that keeps looping wins,
/// which is what the loop does until the guard trips. Anything not understood makes the path unknown, and unknown means
/// "not a retry loop": every rule stays silent.
/// </para>
/// <para>
/// Not retries, by construction: <c>foreach</c> (never analyzed); loops whose request depends on the iteration (the
/// counter, a next link or item written in the loop, a call that can return something new); loops that do not leave on
/// 200 (polling until a job is done, paced uploads); loops that keep going on 202 Accepted (polling); loops in which
/// no failure leads to another attempt.
/// </para>
/// </summary>
internal sealed class RetryLoopShape
{
    private const int MaxDepth = 48;

    private RetryLoopShape(ILoopOperation loop, IInvocationOperation send)
    {
        Loop = loop;
        Send = send;
    }

    public ILoopOperation Loop { get; }

    /// <summary>The <c>HttpClient</c> call the loop repeats.</summary>
    public IInvocationOperation Send { get; }

    /// <summary>The local that holds the response, when the send returns one and it is stored.</summary>
    public ILocalSymbol? Response { get; private set; }

    /// <summary>The statement that obtains the response (declaration or assignment), when <see cref="Response"/> is set.</summary>
    public IOperation? ResponseStatement { get; private set; }

    /// <summary>The attempt counter: the <c>for</c> loop's incremented variable or a local incremented in the body.</summary>
    public ILocalSymbol? Attempt { get; private set; }

    /// <summary>Some guard (a condition over something else than the outcome) can leave the loop, or the loop condition is one.</summary>
    public bool Bounded { get; private set; }

    /// <summary>A non-transient 4xx after which the loop sends the request again; 0 when none.</summary>
    public int AdmittedClientError { get; private set; }

    /// <summary>The catch clause through which <see cref="AdmittedClientError"/> is retried (EnsureSuccessStatusCode form), or null (status form).</summary>
    public ICatchClauseOperation? AdmittingCatch { get; private set; }

    /// <summary>503 or 429 when the loop's condition names that status explicitly and retries it; 0 otherwise.</summary>
    public int NamedComeBackLater { get; private set; }

    /// <summary>The loop reads the Retry-After header somewhere.</summary>
    public bool ReadsRetryAfter { get; private set; }

    /// <summary><c>Task.Delay</c>/<c>Thread.Sleep</c> calls in the loop.</summary>
    public List<IInvocationOperation> Delays { get; } = new();

    /// <summary>How the wait between attempts behaves: None (no delay), Constant, Growing or Unknown.</summary>
    public DelayGrowth Growth { get; private set; }

    /// <summary>
    /// Where a failed attempt turns into the next one: <c>continue</c> branches of the loop, catch clauses that handle the
    /// failure and keep looping, and the loop body itself (its end is reached).
    /// </summary>
    public List<IOperation> RetryPoints { get; } = new();

    /// <summary>The loop's condition is absent or constant true: <c>while (true)</c>, <c>for (;;)</c>, <c>do … while (true)</c>.</summary>
    public bool LoopsForever { get; private set; }

    /// <summary>The keyword the diagnostics are reported on.</summary>
    public Location KeywordLocation => Keyword(Loop.Syntax);

    /// <summary>"while (true)", "for (;;)", "do … while (true)" or the keyword alone, for messages.</summary>
    public string Describe()
    {
        switch (Loop.Syntax)
        {
            case ForStatementSyntax { Condition: null }:
                return "for (;;)";
            case ForStatementSyntax:
                return "for";
            case WhileStatementSyntax when LoopsForever:
                return "while (true)";
            case WhileStatementSyntax:
                return "while";
            case DoStatementSyntax when LoopsForever:
                return "do … while (true)";
            default:
                return "do … while";
        }
    }

    public static Location Keyword(SyntaxNode loop) => loop switch
    {
        ForStatementSyntax f => f.ForKeyword.GetLocation(),
        WhileStatementSyntax w => w.WhileKeyword.GetLocation(),
        DoStatementSyntax d => d.DoKeyword.GetLocation(),
        _ => loop.GetLocation(),
    };

    // The four loop rules ask about the same loop operation: analyze it once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ILoopOperation, StrongBox> Cache = new();

    private sealed class StrongBox
    {
        public StrongBox(RetryLoopShape? value) => Value = value;

        public RetryLoopShape? Value { get; }
    }

    // The loop rules' operation actions (one per analyzer) ask about the same loop: the name scan and the shape are
    // computed once per loop operation (the driver hands every analyzer the same operation tree).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ILoopOperation, StrongBox> ActionCache = new();

    private static readonly StrongBox NotARetry = new(null);

    /// <summary>
    /// The retry shape of the loop of an <see cref="OperationKind.Loop"/> action, or null. A syntax scan for a call
    /// named like a send method comes first: every app references HttpClient, few loop over it. Loops are analysed from
    /// operation actions, on the tree the driver binds for every operation analyzer anyway, rather than by binding the
    /// loop from a syntax action (<c>GetOperation</c>), which did the same binding earlier and charged it to the first
    /// loop rule. The first loop rule to ask pays for the scan and the shape; the others read the cache.
    /// </summary>
    public static RetryLoopShape? TryCreate(OperationAnalysisContext context)
    {
        if (context.Operation is not ILoopOperation { LoopKind: LoopKind.For or LoopKind.While } loop)
        {
            return null;
        }

        // A file whose text names no send method cannot hold a send call (most files of an app).
        if (!SourceWords.Contains(loop.Syntax.SyntaxTree, Words.Send, context.CancellationToken))
        {
#if DEBUG
            if (MightSend(loop.Syntax))
            {
                throw new System.InvalidOperationException($"SourceWords missed a send name in the loop at {loop.Syntax.GetLocation()}");
            }
#endif
            return null;
        }

        return ActionCache.GetValue(loop, static l => MightSend(l.Syntax) ? new StrongBox(Create(l)) : NotARetry).Value;
    }

    /// <summary>
    /// Whether a compilation can hold a retry loop (or SE2003's single resend), checked once at compilation start: it
    /// references HttpClient (every app does) and some file calls a method named like a send method. A console app or a
    /// library that never sends gets no loop actions at all.
    /// </summary>
    public static bool MayOccurIn(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        => WellKnownTypes.Get(compilation).Get(WellKnownType.System_Net_Http_HttpClient) is not null
            && SourceWords.AnyTreeContains(compilation, Words.Send, cancellationToken);

    /// <summary>The retry shape of <paramref name="loop"/>, or null when it is not provably a retry of one HTTP request.</summary>
    public static RetryLoopShape? TryCreate(ILoopOperation loop)
        => Cache.GetValue(loop, static l => new StrongBox(Create(l))).Value;

    private static RetryLoopShape? Create(ILoopOperation loop)
    {
        if (loop.LoopKind is not (LoopKind.For or LoopKind.While) || loop.Body is null || loop.Syntax.ContainsDiagnostics || !ContainsSend(loop))
        {
            return null;
        }

        var scan = new Scan(loop);
        if (!scan.Run() || scan.Send is null)
        {
            return null;
        }

        var shape = new RetryLoopShape(loop, scan.Send)
        {
            Attempt = scan.Attempt,
            ReadsRetryAfter = DelaySchedule.ReadsRetryAfter(loop.Body),
        };
        shape.FindResponse();
        if (!scan.IsInvariant(scan.Send, 0))
        {
            return null;
        }

        var simulator = new Simulator(shape, scan);
        if (!simulator.IsRetry())
        {
            return null;
        }

        shape.Delays.AddRange(scan.Delays);
        shape.Growth = scan.UnknownWait ? DelayGrowth.Unknown : shape.ClassifyDelays(scan);
        return shape;
    }

    /// <summary>The send method throws <c>HttpRequestException</c> itself for non-success statuses (GetStringAsync, GetFromJsonAsync…).</summary>
    public static bool ThrowsOnFailure(IMethodSymbol method)
        => method.Name is "GetStringAsync" or "GetByteArrayAsync" or "GetStreamAsync" or "GetFromJsonAsync" or "DeleteFromJsonAsync" or "GetFromJsonAsAsyncEnumerable";

    internal static bool IsSendName(string name)
        => name is "Send" or "SendAsync" or "GetAsync" or "PostAsync" or "PutAsync" or "PatchAsync" or "DeleteAsync"
            or "GetStringAsync" or "GetByteArrayAsync" or "GetStreamAsync"
            or "GetFromJsonAsync" or "PostAsJsonAsync" or "PutAsJsonAsync" or "PatchAsJsonAsync" or "DeleteFromJsonAsync";

    /// <summary>Syntax-only pre-check of a loop statement: it calls a method named like an HttpClient send method.</summary>
    private static bool MightSend(SyntaxNode loop) => MightSend(loop, unknownNameSends: false);

    /// <summary>
    /// Syntax-only pre-check before walking operations for <see cref="IsSend"/> calls: false only when no call in
    /// <paramref name="syntax"/> can be one. Exact as a filter: a send is an invocation expression that names the method
    /// (implicit calls — an initializer's <c>Add</c>, <c>GetAwaiter</c>, <c>Dispose</c> — never have a send method's name),
    /// and an invocation whose name cannot be read from syntax (<c>(client.GetAsync)(url)</c>) counts as a possible send.
    /// </summary>
    internal static bool MayCallSend(SyntaxNode syntax) => MightSend(syntax, unknownNameSends: true);

    private static bool MightSend(SyntaxNode syntax, bool unknownNameSends)
    {
        foreach (var node in syntax.DescendantNodesAndSelf())
        {
            if (node is InvocationExpressionSyntax invocation)
            {
                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax access => access.Name,
                    MemberBindingExpressionSyntax binding => binding.Name,
                    SimpleNameSyntax simple => simple,
                    _ => null,
                };
                if (name is null ? unknownNameSends : IsSendName(name.Identifier.ValueText))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>An <c>HttpClient</c> (or <c>HttpMessageInvoker</c>, or System.Net.Http.Json extension) call that sends a request.</summary>
    public static bool IsSend(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!IsSendName(method.Name))
        {
            return false;
        }

        // `base.SendAsync(request, cancellationToken)` in a DelegatingHandler sends the request down the handler chain.
        if (method.Name is "SendAsync" or "Send" && invocation.Instance is IInstanceReferenceOperation
            && method.ContainingType is { Name: "DelegatingHandler" or "HttpMessageHandler", ContainingNamespace: { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } })
        {
            return true;
        }

        // System.Net.Http.HttpClient/HttpMessageInvoker, System.Net.Http.Json.HttpClientJsonExtensions; compared without allocating.
        return method.ContainingType switch
        {
            { Name: "HttpClient" or "HttpMessageInvoker", ContainingNamespace: { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } => true,
            { Name: "HttpClientJsonExtensions", ContainingNamespace: { Name: "Json", ContainingNamespace: { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } } => true,
            _ => false,
        };
    }

    /// <summary>Cheap pre-check: the loop calls an HttpClient send method somewhere.</summary>
    private static bool ContainsSend(ILoopOperation loop)
    {
        foreach (var operation in loop.Descendants())
        {
            if (operation is IInvocationOperation invocation && IsSend(invocation))
            {
                return true;
            }
        }

        return false;
    }

    private void FindResponse()
    {
        // var r = await client.GetAsync(…);  |  r = await client.GetAsync(…);  |  using var r = …;  |  using (var r = …)
        if (!RetryCondition.IsHttpResponseMessage(Send.Type is INamedTypeSymbol { TypeArguments.Length: 1 } task ? task.TypeArguments[0] : Send.Type))
        {
            return;
        }

        IOperation current = Send;
        while (current.Parent is IAwaitOperation or IConversionOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            current = current.Parent;
        }

        switch (current.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                Response = declarator.Symbol;
                ResponseStatement = Statement(declarator);
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when ReferenceEquals(assignment.Value, current):
                Response = local.Local;
                ResponseStatement = Statement(assignment);
                break;
        }
    }

    private static IOperation? Statement(IOperation operation)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current.Parent is IBlockOperation || current.Parent is IUsingOperation usingOperation && !ReferenceEquals(usingOperation.Body, current))
            {
                return current.Parent is IUsingOperation ? current.Parent : current;
            }
        }

        return null;
    }

    private DelayGrowth ClassifyDelays(Scan scan)
    {
        if (Delays.Count == 0)
        {
            return DelayGrowth.None;
        }

        var result = DelayGrowth.None;
        foreach (var delay in Delays)
        {
            var growth = ClassifyDelay(delay, scan);
            if (growth is DelayGrowth.Unknown or DelayGrowth.Growing)
            {
                return growth;
            }

            if (growth == DelayGrowth.Constant)
            {
                result = DelayGrowth.Constant;
            }
        }

        return result;
    }

    /// <summary>The first argument of <c>Task.Delay</c>/<c>Thread.Sleep</c>: its growth over attempts.</summary>
    public DelayGrowth ClassifyDelay(IInvocationOperation delay, out double? constantMilliseconds)
        => ClassifyDelay(delay, new Scan(Loop), out constantMilliseconds, rescan: true);

    private DelayGrowth ClassifyDelay(IInvocationOperation delay, Scan scan) => ClassifyDelay(delay, scan, out _, rescan: false);

    private DelayGrowth ClassifyDelay(IInvocationOperation delay, Scan scan, out double? constantMilliseconds, bool rescan)
    {
        constantMilliseconds = null;
        if (rescan && !scan.Run())
        {
            return DelayGrowth.Unknown;
        }

        if (delay.Arguments.Length == 0)
        {
            return DelayGrowth.Unknown;
        }

        return ClassifyWait(delay.Arguments[0].Value, scan, 0, out constantMilliseconds);
    }

    /// <summary>A delay value, through locals declared in the loop (their initializer) and helpers of the app (their summary).</summary>
    private DelayGrowth ClassifyWait(IOperation value, Scan scan, int depth, out double? constantMilliseconds)
    {
        constantMilliseconds = null;
        var unwrapped = value;
        while (unwrapped is IConversionOperation { OperatorMethod: null } conversion)
        {
            unwrapped = conversion.Operand;
        }

        // A helper of the app: its summary says whether the attempt it receives matters.
        if (unwrapped is IInvocationOperation { TargetMethod.MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction } call
            && AppMethodSummary.Get(call, call.TargetMethod) is not null)
        {
            return ClassifyHelperWait(call, scan);
        }

        var growth = DelaySchedule.ClassifyDelay(value, Attempt, out constantMilliseconds);
        if (growth != DelayGrowth.Unknown || depth > 4)
        {
            return growth;
        }

        // `delay *= 2`, `delay = Math.Min(delay * 2, max)`: a value written in the loop grows with the attempts.
        // A parameter or local the loop never writes (`Task.Delay(delayMs)`) is the same before every attempt.
        var constant = true;
        foreach (var descendant in value.DescendantsAndSelf())
        {
            switch (descendant)
            {
                case ILocalReferenceOperation local:
                    if (scan.Written.Contains(local.Local))
                    {
                        return DelayGrowth.Growing;
                    }

                    if (scan.IsDeclaredInLoop(local.Local))
                    {
                        // `var delay = TimeSpan.FromSeconds(2);` inside the loop: as constant as its initializer.
                        var initialized = scan.Initializer(local.Local) is { } initializer ? ClassifyWait(initializer, scan, depth + 1, out _) : DelayGrowth.Unknown;
                        if (initialized is DelayGrowth.Unknown or DelayGrowth.Growing)
                        {
                            return initialized;
                        }
                    }

                    break;
                case IParameterReferenceOperation parameter:
                    if (scan.Written.Contains(parameter.Parameter))
                    {
                        return DelayGrowth.Growing;
                    }

                    break;
                case IFieldReferenceOperation field when scan.Written.Contains(field.Field):
                case IPropertyReferenceOperation property when scan.Written.Contains(property.Property):
                    return DelayGrowth.Growing;
                case IInvocationOperation invocation when invocation.TargetMethod.ContainingType is not { Name: "TimeSpan" }:
                case IObjectCreationOperation creation when creation.Type is not { Name: "TimeSpan" }:
                case IAwaitOperation:
                case IInvalidOperation:
                case IAnonymousFunctionOperation:
                    constant = false;
                    break;
            }
        }

        return constant ? DelayGrowth.Constant : DelayGrowth.Unknown;
    }

    /// <summary>
    /// <c>Task.Delay(GetDelay(attempt))</c>: growing when an argument the helper reads changes between attempts; constant when
    /// the helper returns a value that depends on none of its parameters and on no member the loop writes; otherwise unknown.
    /// </summary>
    private DelayGrowth ClassifyHelperWait(IInvocationOperation call, Scan scan)
    {
        if (call.Instance is not (null or IInstanceReferenceOperation) || AppMethodSummary.Get(call, call.TargetMethod) is not { } summary)
        {
            return DelayGrowth.Unknown;
        }

        var readsParameter = false;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter || summary.ReturnedValue is not { } returnedValue || !DelaySchedule.References(returnedValue, parameter))
            {
                continue;
            }

            readsParameter = true;
            if (Attempt is not null && DelaySchedule.References(argument.Value, Attempt))
            {
                return DelayGrowth.Growing;
            }

            foreach (var descendant in argument.Value.DescendantsAndSelf())
            {
                if (descendant is ILocalReferenceOperation local && scan.Written.Contains(local.Local)
                    || descendant is IParameterReferenceOperation p && scan.Written.Contains(p.Parameter))
                {
                    return DelayGrowth.Growing;
                }
            }
        }

        if (readsParameter || !summary.IsPure || summary.ReturnedValue is null)
        {
            return DelayGrowth.Unknown;
        }

        foreach (var member in summary.MembersRead)
        {
            if (scan.Written.Contains(member))
            {
                return DelayGrowth.Unknown;
            }
        }

        var growth = DelaySchedule.ClassifyDelay(summary.ReturnedValue, null, out _);
        return growth is DelayGrowth.Constant or DelayGrowth.None ? growth : DelayGrowth.Unknown;
    }

    /// <summary>One pass over the loop: the send, delays, written symbols, the counter.</summary>
    private sealed class Scan
    {
        private readonly ILoopOperation _loop;
        private readonly Dictionary<ILocalSymbol, IOperation?> _declaredInLoop = new(SymbolEqualityComparer.Default);
        private readonly List<(ISymbol Root, IOperation Value)> _memberWrites = new();

        public Scan(ILoopOperation loop) => _loop = loop;

        public IInvocationOperation? Send { get; private set; }

        public ILocalSymbol? Attempt { get; private set; }

        public HashSet<ISymbol> Written { get; } = new(SymbolEqualityComparer.Default);

        public List<IInvocationOperation> Delays { get; } = new();

        /// <summary><c>local.EnsureSuccessStatusCode()</c> calls anywhere in the loop (lambdas included), for <see cref="Simulator"/>.</summary>
        public List<IInvocationOperation> EnsureSuccessCalls { get; } = new();

        /// <summary>Some other call waits (a helper named …Delay/…Wait/…Sleep/…Backoff): the wait cannot be classified.</summary>
        public bool UnknownWait { get; private set; }

        public bool IsDeclaredInLoop(ILocalSymbol local) => _declaredInLoop.ContainsKey(local);

        /// <summary>The initializer of a local declared in the loop and never written after it, or null.</summary>
        public IOperation? Initializer(ILocalSymbol local) => !Written.Contains(local) && _declaredInLoop.TryGetValue(local, out var initializer) ? initializer : null;

        /// <summary>False when the loop cannot be a retry of one request (no send, several sends, a send in a nested loop or lambda).</summary>
        public bool Run()
        {
            if (_loop is IForLoopOperation forLoop)
            {
                foreach (var bottom in forLoop.AtLoopBottom)
                {
                    foreach (var operation in bottom.DescendantsAndSelf())
                    {
                        if (IncrementedLocal(operation) is { } counter)
                        {
                            Attempt ??= counter;
                        }
                    }
                }
            }

            foreach (var operation in _loop.Descendants())
            {
                switch (operation)
                {
                    case IInvocationOperation invocation when IsSend(invocation):
                        if (Send is not null || IsNested(invocation))
                        {
                            return false;
                        }

                        Send = invocation;
                        break;

                    case IInvocationOperation invocation:
                        if (invocation is { TargetMethod.Name: "EnsureSuccessStatusCode", Instance: ILocalReferenceOperation })
                        {
                            EnsureSuccessCalls.Add(invocation);
                        }

                        ClassifyCall(invocation);
                        break;

                    case IVariableDeclaratorOperation declarator:
                        _declaredInLoop[declarator.Symbol] = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                        break;

                    case IDeclarationExpressionOperation declaration:
                        foreach (var local in declaration.Descendants())
                        {
                            if (local is ILocalReferenceOperation { IsDeclaration: true } declared)
                            {
                                _declaredInLoop[declared.Local] = null;
                                Written.Add(declared.Local);
                            }
                        }

                        break;

                    case IAssignmentOperation assignment:
                        RecordWrite(assignment.Target, assignment is ISimpleAssignmentOperation simple ? simple.Value : null);
                        break;

                    case IIncrementOrDecrementOperation increment:
                        RecordWrite(increment.Target, null);
                        break;

                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                        RecordWrite(argument.Value, null);
                        break;
                }

                if (Attempt is null && _loop is not IForLoopOperation && IncrementedLocal(operation) is { } bodyCounter && !IsNested(operation))
                {
                    Attempt = bodyCounter;
                }
            }

            return true;
        }

        private void ClassifyCall(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (IsNested(invocation))
            {
                return;
            }

            if (method.Name == "Delay" && method.ContainingType is { Name: "Task" } task && SymbolNames.IsNamespace(task.ContainingNamespace, "System.Threading.Tasks")
                || method.Name == "Sleep" && method.ContainingType is { Name: "Thread" } thread && SymbolNames.IsNamespace(thread.ContainingNamespace, "System.Threading"))
            {
                // `Task.Delay(…);` as a statement (not awaited) does not wait.
                if (method.Name != "Delay" || invocation.Parent is not IExpressionStatementOperation)
                {
                    Delays.Add(invocation);
                }

                return;
            }

            // `.ConfigureAwait(false)`, `.Wait()` on a task, and calls that compute a delay's argument do not wait themselves.
            if (method.ContainingType is { Name: "Task" or "ValueTask" or "ConfiguredTaskAwaitable" or "ConfiguredValueTaskAwaitable" } || IsInDelayArgument(invocation))
            {
                return;
            }

            var name = method.Name;
            if (name.IndexOf("Delay", System.StringComparison.OrdinalIgnoreCase) >= 0
                || name.IndexOf("Sleep", System.StringComparison.OrdinalIgnoreCase) >= 0
                || name.IndexOf("Wait", System.StringComparison.OrdinalIgnoreCase) >= 0
                || name.IndexOf("Backoff", System.StringComparison.OrdinalIgnoreCase) >= 0
                || name.IndexOf("Pause", System.StringComparison.OrdinalIgnoreCase) >= 0
                || name.IndexOf("Throttle", System.StringComparison.OrdinalIgnoreCase) >= 0
                || name.IndexOf("Acquire", System.StringComparison.OrdinalIgnoreCase) >= 0)
            {
                UnknownWait = true;
            }
        }

        private bool IsInDelayArgument(IOperation operation)
        {
            for (var current = operation.Parent; current is not null && !ReferenceEquals(current, _loop); current = current.Parent)
            {
                if (current is IArgumentOperation { Parent: IInvocationOperation owner } && Delays.Contains(owner))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Inside a lambda, local function or nested loop of the analyzed loop.</summary>
        public bool IsNested(IOperation operation)
        {
            for (var current = operation.Parent; current is not null && !ReferenceEquals(current, _loop); current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or ILoopOperation)
                {
                    return true;
                }
            }

            return false;
        }

        private static ILocalSymbol? IncrementedLocal(IOperation operation) => operation switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation local } => local.Local,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation local, Value.ConstantValue: { HasValue: true, Value: 1 } } => local.Local,
            _ => null,
        };

        private void RecordWrite(IOperation target, IOperation? value)
        {
            var root = target;
            var member = false;
            while (true)
            {
                switch (root)
                {
                    case IMemberReferenceOperation reference:
                        Written.Add(reference.Member);
                        member = true;
                        if (reference.Instance is null)
                        {
                            return;
                        }

                        root = reference.Instance;
                        continue;
                    case IArrayElementReferenceOperation element:
                        member = true;
                        root = element.ArrayReference;
                        continue;
                    case IConversionOperation conversion:
                        root = conversion.Operand;
                        continue;
                }

                break;
            }

            var symbol = root switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (symbol is null)
            {
                return;
            }

            // `request.Headers.Authorization = …` on a request created in the loop changes nothing when the value is invariant.
            if (member && value is not null && symbol is ILocalSymbol inLoop && _declaredInLoop.ContainsKey(inLoop))
            {
                _memberWrites.Add((symbol, value));
                return;
            }

            Written.Add(symbol);
        }

        /// <summary>The operation evaluates to the same request (target and content) in every iteration.</summary>
        public bool IsInvariant(IOperation operation, int depth)
        {
            if (depth > 4)
            {
                return false;
            }

            foreach (var descendant in operation.DescendantsAndSelf())
            {
                switch (descendant)
                {
                    case ILocalReferenceOperation local:
                        if (!IsInvariantLocal(local.Local, depth))
                        {
                            return false;
                        }

                        break;
                    case IParameterReferenceOperation parameter when Written.Contains(parameter.Parameter):
                    case IFieldReferenceOperation field when Written.Contains(field.Field):
                    case IPropertyReferenceOperation property when Written.Contains(property.Property):
                    case IAwaitOperation awaited when !ReferenceEquals(descendant, operation) && !IsFactoryAwait(awaited):
                    case IInvalidOperation:
                    case IAnonymousFunctionOperation:
                        return false;
                    case IInvocationOperation invocation when !ReferenceEquals(invocation, Send) && !IsPureCall(invocation):
                        return false;
                }
            }

            return true;
        }

        private bool IsInvariantLocal(ILocalSymbol local, int depth)
        {
            if (SymbolEqualityComparer.Default.Equals(local, Attempt) || Written.Contains(local))
            {
                return false;
            }

            if (!_declaredInLoop.TryGetValue(local, out var initializer))
            {
                return true;
            }

            if (initializer is null || !IsInvariant(initializer, depth + 1))
            {
                return false;
            }

            foreach (var (root, value) in _memberWrites)
            {
                if (SymbolEqualityComparer.Default.Equals(root, local) && !IsInvariant(value, depth + 1))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>`await CloneAsync(request)`: awaiting a request factory of the app.</summary>
        private bool IsFactoryAwait(IAwaitOperation awaited)
        {
            var operand = awaited.Operation;
            while (operand is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
            {
                operand = instance;
            }

            return operand is IInvocationOperation invocation && (IsRequestFactoryDelegate(invocation) || IsPureAppMethod(invocation));
        }

        /// <summary>`make()`: a delegate the loop does not reassign that produces the request (`Func&lt;HttpRequestMessage&gt;`).</summary>
        private static bool IsRequestFactoryDelegate(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind != MethodKind.DelegateInvoke || invocation.Instance is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation { Field.IsReadOnly: true }))
            {
                return false;
            }

            var returned = method.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : method.ReturnType;
            return returned is { Name: "HttpRequestMessage" };
        }

        /// <summary>A method of the app that builds the same value from the same inputs (its summary), reading no member the loop writes.</summary>
        private bool IsPureAppMethod(IInvocationOperation invocation)
        {
            if (invocation.Instance is not (null or IInstanceReferenceOperation) || AppMethodSummary.Get(invocation, invocation.TargetMethod) is not { IsPure: true } summary)
            {
                return false;
            }

            foreach (var member in summary.MembersRead)
            {
                if (Written.Contains(member))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Calls that return the same value for the same inputs: static helpers, string/Uri members, content factories, request factories of the app.</summary>
        private bool IsPureCall(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.IsStatic && !method.ReturnsVoid && AppMethodSummary.Get(invocation, method) is not { IsPure: false })
            {
                return true;
            }

            if (IsRequestFactoryDelegate(invocation) || IsPureAppMethod(invocation))
            {
                return true;
            }

            return method.ContainingType?.SpecialType == SpecialType.System_String
                || method.ContainingType is { Name: "Uri" or "CancellationToken" or "HttpMethod" }
                || method.Name is "ToString" or "ConfigureAwait";
        }
    }

    /// <summary>The status-independent facts of one condition over one subject (the response, a caught exception, a predicate's parameter).</summary>
    private sealed class ConditionFacts
    {
        private readonly List<int>? _named;

        public ConditionFacts(IOperation condition, ISymbol subject)
        {
            Condition = condition;
            Subject = subject;
            ReferencesSubject = DelaySchedule.References(condition, subject);
            if (ReferencesSubject)
            {
                _named = RetryCondition.NamedStatuses(condition);
            }
        }

        public IOperation Condition { get; }

        public ISymbol Subject { get; }

        public bool ReferencesSubject { get; }

        /// <summary><see cref="RetryCondition.NamesStatus"/> of the condition for <paramref name="status"/>.</summary>
        public bool Names(int status) => _named is not null && _named.Contains(status);
    }

    private enum Outcome : byte
    {
        Normal,
        Exit,
        Retry,
        Unknown,
        Throw,
    }

    private enum Truth : byte
    {
        False,
        True,

        /// <summary>Depends on a guard: a condition over something else than the outcome.</summary>
        Guard,
        Unknown,
    }

    /// <summary>Executes the loop body symbolically for one outcome of the send.</summary>
    private sealed class Simulator
    {
        private const int NetworkFailure = RetryCondition.NoStatus;
        private const int MaxSteps = 4096;
        private int _steps;
        private Dictionary<ILocalSymbol, bool>? _flags;
        private readonly RetryLoopShape _shape;
        private readonly Scan _scan;
        // The conditions evaluated so far (a few per loop): the walks over a condition do not depend on the status.
        private readonly List<ConditionFacts> _conditions = new();

        // A handful of points per loop, in the order found: a list with a reference check, no hashing per path step.
        private readonly List<IOperation> _retryPoints = new();
        private int _status;
        private int _depth;
        private int _tryDepth;
        private bool _named;
        private ICatchClauseOperation? _handledBy;
        private bool _recordPoints;
        private int _inlineDepth;

        public Simulator(RetryLoopShape shape, Scan scan)
        {
            _shape = shape;
            _scan = scan;
            var condition = shape.Loop switch
            {
                IForLoopOperation f => f.Condition,
                IWhileLoopOperation w => w.Condition,
                _ => null,
            };
            shape.LoopsForever = condition is null || condition.ConstantValue is { HasValue: true, Value: true };
            Condition = condition;
        }

        private IOperation? Condition { get; }

        public bool IsRetry()
        {
            // Leaves on success. A loop that keeps going on a 202 Accepted it names is polling, not retrying.
            if (Path(200) != Outcome.Exit || Path(202) == Outcome.Retry && _named)
            {
                return false;
            }

            // Once per class of statuses the loop's conditions cannot tell apart (StatusClasses), lowest status first.
            // The loop (with the predicates of the app it calls) is all the simulation reads.
            var starts = new List<int>(16);
            StatusClasses.Compute(_shape.Loop, starts);
            var retries = false;
            for (var index = 0; index < starts.Count; index++)
            {
                var status = starts[index];
                var end = StatusClasses.End(starts, index);
                var outcome = Path(status);
#if DEBUG
                CheckClass(status, end, outcome);
#endif
                if (outcome == Outcome.Unknown)
                {
                    // A status the loop does not understand: not proven either way. Stay silent.
                    return false;
                }

                if (outcome == Outcome.Retry)
                {
                    // Sending again after a 4xx the loop names on purpose (401 after refreshing a token) is a resend, not a retry.
                    retries |= !(_named && StatusCode.IsClientError(status) && !StatusCode.IsTransientClientError(status));

                    // A 4xx the loop names and retries on purpose (401 after refreshing a token, 409 after reloading) is not flagged.
                    // The lowest non-transient 4xx of the class; a named status is a class of its own.
                    if (_shape.AdmittedClientError == 0 && !_named)
                    {
                        for (var member = status; member <= end; member++)
                        {
                            if (StatusCode.IsClientError(member) && !StatusCode.IsTransientClientError(member))
                            {
                                _shape.AdmittedClientError = member;
                                _shape.AdmittingCatch = _handledBy;
                                break;
                            }
                        }
                    }

                    if (_named && status is 503 or 429 && _shape.NamedComeBackLater is not 503)
                    {
                        _shape.NamedComeBackLater = status;
                    }
                }
            }

            var network = Path(NetworkFailure);
            retries |= network == Outcome.Retry;
            if (!retries)
            {
                return false;
            }

            _shape.RetryPoints.AddRange(_retryPoints);
            return true;
        }

#if DEBUG
        /// <summary>Debug builds (the tests) prove the classes exact: every status of a class takes its first status's path.</summary>
        private void CheckClass(int start, int end, Outcome expected)
        {
            var named = _named;
            var handledBy = _handledBy;
            for (var member = start + 1; member <= end; member++)
            {
                var outcome = Path(member);
                if (outcome != expected || _named != named || !ReferenceEquals(_handledBy, handledBy))
                {
                    throw new System.InvalidOperationException($"status {member} does not behave like {start} in its class (up to {end}) in the loop at {_shape.Loop.Syntax.GetLocation()}");
                }
            }

            // Leave the simulator as Path(start) left it.
            Path(start);
        }
#endif

        private Outcome Path(int status)
        {
            _status = status;

            // Where attempts turn into the next one, for the fixes: from every failing path.
            _recordPoints = status == NetworkFailure || status >= 400;
            _depth = 0;
            _steps = 0;
            _flags = null;
            _tryDepth = 0;
            _named = false;
            _handledBy = null;
            var outcome = Run(_shape.Loop.Body);
            if (outcome == Outcome.Normal)
            {
                Record(_shape.Loop.Body);
                outcome = Outcome.Retry;
            }

            if (outcome == Outcome.Throw)
            {
                return Outcome.Exit;
            }

            if (outcome != Outcome.Retry)
            {
                return outcome;
            }

            // The back edge goes through the loop condition.
            if (Condition is null)
            {
                return Outcome.Retry;
            }

            return Evaluate(Condition, _shape.Response, exception: false) switch
            {
                Truth.True => Outcome.Retry,
                Truth.False => Outcome.Exit,
                Truth.Guard => Guarded(Outcome.Retry, Outcome.Exit),
                _ => Outcome.Unknown,
            };
        }

        private void Record(IOperation point)
        {
            if (_recordPoints && _handledBy is null)
            {
                AddRetryPoint(point);
            }
        }

        private void AddRetryPoint(IOperation point)
        {
            foreach (var known in _retryPoints)
            {
                if (ReferenceEquals(known, point))
                {
                    return;
                }
            }

            _retryPoints.Add(point);
        }

        private Outcome Guarded(Outcome a, Outcome b)
        {
            if (a == b)
            {
                return a;
            }

            if (a == Outcome.Unknown || b == Outcome.Unknown)
            {
                return Outcome.Unknown;
            }

            // Until the guard trips, the loop takes the branch that keeps it going.
            _shape.Bounded = true;
            return Rank(a) >= Rank(b) ? a : b;
        }

        /// <summary>Explores both sides of a guard, each with the flags known before it; keeps the flags of the side taken.</summary>
        private Outcome ForkConditional(IConditionalOperation conditional)
        {
            var before = CopyFlags();
            var first = Run(conditional.WhenTrue);
            var afterFirst = _flags;
            _flags = before;
            return Join(first, afterFirst, Run(conditional.WhenFalse));
        }

        private Dictionary<ILocalSymbol, bool>? CopyFlags()
            => _flags is null ? null : new Dictionary<ILocalSymbol, bool>(_flags, SymbolEqualityComparer.Default);

        /// <summary>The guarded result of two explored sides; the flags of the first side when it is the one taken.</summary>
        private Outcome Join(Outcome first, Dictionary<ILocalSymbol, bool>? flagsAfterFirst, Outcome second)
        {
            var result = Guarded(first, second);
            if (first != second && result == first)
            {
                _flags = flagsAfterFirst;
            }

            return result;
        }

        private static int Rank(Outcome outcome) => outcome switch
        {
            Outcome.Retry => 3,
            Outcome.Normal => 2,
            _ => 1,
        };

        private Outcome Run(IOperation? operation)
        {
            if (operation is null)
            {
                return Outcome.Normal;
            }

            if (++_depth > MaxDepth || ++_steps > MaxSteps)
            {
                return Outcome.Unknown;
            }

            try
            {
                return RunCore(operation);
            }
            finally
            {
                _depth--;
            }
        }

        private Outcome RunList(System.Collections.Immutable.ImmutableArray<IOperation> operations, int start)
        {
            for (var i = start; i < operations.Length; i++)
            {
                var operation = operations[i];
                if (operation is IConditionalOperation { WhenFalse: null } conditional && !Contains(conditional, _shape.Send))
                {
                    // if (c) { … } followed by the rest: explore both continuations so that guards compare whole paths.
                    var truth = Evaluate(conditional.Condition, _shape.Response, exception: false);
                    if (truth == Truth.Unknown)
                    {
                        return Outcome.Unknown;
                    }

                    if (truth is Truth.True or Truth.Guard)
                    {
                        if (truth == Truth.True)
                        {
                            var whenTrue = Run(conditional.WhenTrue);
                            return whenTrue == Outcome.Normal ? RunList(operations, i + 1) : whenTrue;
                        }

                        // Both continuations, each from the flags known before the guard (no closures: this runs per path step).
                        var next = i + 1;
                        var before = CopyFlags();
                        var first = Run(conditional.WhenTrue);
                        if (first == Outcome.Normal)
                        {
                            first = RunList(operations, next);
                        }

                        var afterFirst = _flags;
                        _flags = before;
                        return Join(first, afterFirst, RunList(operations, next));
                    }

                    continue;
                }

                var outcome = Run(operation);
                if (outcome != Outcome.Normal)
                {
                    return outcome;
                }
            }

            return Outcome.Normal;
        }

        private Outcome RunCore(IOperation operation)
        {
            switch (operation)
            {
                case IBlockOperation block:
                    return RunList(block.Operations, 0);

                case IConditionalOperation conditional:
                {
                    if (Contains(conditional.Condition, _shape.Send))
                    {
                        return Outcome.Unknown;
                    }

                    var truth = Evaluate(conditional.Condition, _shape.Response, exception: false);
                    return truth switch
                    {
                        Truth.True => Run(conditional.WhenTrue),
                        Truth.False => Run(conditional.WhenFalse),
                        Truth.Guard => ForkConditional(conditional),
                        _ => Outcome.Unknown,
                    };
                }

                case ITryOperation @try:
                    return RunTry(@try);

                case IUsingOperation @using:
                {
                    var effect = SendEffect(@using.Resources);
                    return effect != Outcome.Normal ? effect : Run(@using.Body);
                }

                case ILockOperation @lock:
                    return Run(@lock.Body);

                case IReturnOperation { Kind: OperationKind.Return } @return:
                {
                    var effect = @return.ReturnedValue is null ? Outcome.Normal : SendEffect(@return.ReturnedValue);
                    return effect != Outcome.Normal ? effect : Outcome.Exit;
                }

                case IBranchOperation branch:
                    if (SymbolEqualityComparer.Default.Equals(branch.Target, _shape.Loop.ExitLabel))
                    {
                        return Outcome.Exit;
                    }

                    if (SymbolEqualityComparer.Default.Equals(branch.Target, _shape.Loop.ContinueLabel))
                    {
                        Record(branch);
                        return Outcome.Retry;
                    }

                    return Outcome.Unknown;

                case IExpressionStatementOperation { Operation: IThrowOperation }:
                case IThrowOperation:
                    // A throw inside a try of the loop could be caught and retried: not understood.
                    return _tryDepth > 0 ? Outcome.Unknown : Outcome.Exit;

                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation flag, Value.ConstantValue: { HasValue: true, Value: bool value } } }:
                    // `success = true;`: a flag the loop condition may read.
                    (_flags ??= new Dictionary<ILocalSymbol, bool>(SymbolEqualityComparer.Default))[flag.Local] = value;
                    return Outcome.Normal;

                case IExpressionStatementOperation or IVariableDeclarationGroupOperation or IUsingDeclarationOperation:
                    return SendEffect(operation);

                case IEmptyOperation or ILocalFunctionOperation or ILabeledOperation { Operation: null }:
                    return Outcome.Normal;

                case ILoopOperation nested:
                    foreach (var descendant in nested.Descendants())
                    {
                        if (descendant is IReturnOperation or IThrowOperation or IBranchOperation { BranchKind: BranchKind.GoTo })
                        {
                            return Outcome.Unknown;
                        }
                    }

                    return Outcome.Normal;

                default:
                    return Outcome.Unknown;
            }
        }

        /// <summary>What the statement does to this path: the send fails (network, or a status for throwing sends), EnsureSuccessStatusCode throws.</summary>
        private Outcome SendEffect(IOperation statement)
        {
            var sends = Contains(statement, _shape.Send);
            if (sends && !SurfacesFailure(_shape.Send))
            {
                // `return base.SendAsync(…)` without await: a failure is in the returned task, not thrown in the loop.
                return Outcome.Normal;
            }

            if (sends)
            {
                if (_status == NetworkFailure)
                {
                    return Outcome.Throw;
                }

                if (ThrowsOnFailure(_shape.Send.TargetMethod) && !IsSuccess(_status))
                {
                    return Outcome.Throw;
                }
            }

            if (_shape.Response is { } response && !IsSuccess(_status) && EnsuresSuccess(statement, response))
            {
                return Outcome.Throw;
            }

            return Outcome.Normal;
        }

        /// <summary>
        /// The statement calls <c>EnsureSuccessStatusCode()</c> on the response: one of the loop's calls (collected by the
        /// scan) lies inside it. No walk and no lookup table per path step.
        /// </summary>
        private bool EnsuresSuccess(IOperation statement, ILocalSymbol response)
        {
            foreach (var call in _scan.EnsureSuccessCalls)
            {
                if (call.Instance is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, response) && Contains(statement, call))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsSuccess(int status) => status is >= 200 and <= 299;

        /// <summary>A synchronous send, or an asynchronous one that the loop awaits (the only ways its failure reaches the loop).</summary>
        private static bool SurfacesFailure(IInvocationOperation send)
        {
            if (send.Type is not INamedTypeSymbol { Name: "Task" or "ValueTask" })
            {
                return true;
            }

            for (var current = send.Parent; current is not null && current is not (IExpressionStatementOperation or IReturnOperation or IVariableDeclaratorOperation); current = current.Parent)
            {
                if (current is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "GetResult" or "Wait" } or IPropertyReferenceOperation { Property.Name: "Result" })
                {
                    return true;
                }
            }

            return false;
        }

        private Outcome RunTry(ITryOperation @try)
        {
            if (@try.Finally is { } @finally)
            {
                foreach (var descendant in @finally.Descendants())
                {
                    if (descendant is IBranchOperation or IReturnOperation or IThrowOperation)
                    {
                        return Outcome.Unknown;
                    }
                }
            }

            var catches = !@try.Catches.IsEmpty;
            if (catches)
            {
                _tryDepth++;
            }

            var outcome = Run(@try.Body);
            if (catches)
            {
                _tryDepth--;
            }

            if (outcome != Outcome.Throw)
            {
                return outcome;
            }

            return Catch(@try, 0);
        }

        /// <summary>An HttpRequestException carrying the path's status (or none, for a network failure), offered to the catch clauses from <paramref name="start"/> on.</summary>
        private Outcome Catch(ITryOperation @try, int start)
        {
            for (var index = start; index < @try.Catches.Length; index++)
            {
                var clause = @try.Catches[index];
                if (!CatchesHttpRequestException(clause.ExceptionType))
                {
                    continue;
                }

                var caught = Truth.True;
                if (clause.Filter is { } filter)
                {
                    caught = Evaluate(filter, clause.ExceptionDeclarationOrExpression is IVariableDeclaratorOperation declarator ? declarator.Symbol : null, exception: true);
                    if (caught == Truth.Unknown)
                    {
                        return Outcome.Unknown;
                    }

                    if (caught == Truth.False)
                    {
                        continue;
                    }
                }

                var handled = Handle(clause);
                if (caught == Truth.Guard)
                {
                    // Until the filter's guard trips the exception is handled here; then the next clauses get it
                    // (`catch (E) when (last) { throw; } catch (E) { wait; }`), or it leaves the loop.
                    return Guarded(handled, Catch(@try, index + 1));
                }

                return handled;
            }

            return Outcome.Throw;
        }

        private Outcome Handle(ICatchClauseOperation clause)
        {
            var saved = _handledBy;
            _handledBy = clause;
            var outcome = Run(clause.Handler);
            if (outcome is Outcome.Normal or Outcome.Retry && _recordPoints)
            {
                AddRetryPoint(clause);
            }

            // Rethrow leaves the loop (no enclosing try of the loop can catch it: those are not understood).
            if (outcome == Outcome.Exit && _tryDepth > 0)
            {
                outcome = Outcome.Unknown;
            }

            _handledBy = outcome is Outcome.Normal or Outcome.Retry ? clause : saved;
            return outcome;
        }

        private static bool CatchesHttpRequestException(ITypeSymbol? type)
            => type is null
                || RetryCondition.IsHttpRequestException(type)
                || type is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

        /// <summary>A condition over the response (or the caught exception), four-valued; anything else is a guard.</summary>
        private Truth Evaluate(IOperation condition, ISymbol? subject, bool exception)
        {
            switch (condition)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } binary:
                {
                    var left = Evaluate(binary.LeftOperand, subject, exception);
                    var right = Evaluate(binary.RightOperand, subject, exception);
                    return binary.OperatorKind == BinaryOperatorKind.ConditionalAnd ? And(left, right) : Or(left, right);
                }

                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return Evaluate(not.Operand, subject, exception) switch
                    {
                        Truth.True => Truth.False,
                        Truth.False => Truth.True,
                        var other => other,
                    };
            }

            if (condition.ConstantValue is { HasValue: true, Value: bool constant })
            {
                return constant ? Truth.True : Truth.False;
            }

            if (condition is ILocalReferenceOperation local && _flags is not null && _flags.TryGetValue(local.Local, out var flagValue))
            {
                return flagValue ? Truth.True : Truth.False;
            }

            if (subject is not null && condition is IInvocationOperation call && InlinedPredicate(call, subject, exception) is { } inlined)
            {
                return inlined;
            }

            var facts = subject is null ? null : Facts(condition, subject);
            if (facts is null || !facts.ReferencesSubject)
            {
                return Contains(condition, _shape.Send) ? Truth.Unknown : Truth.Guard;
            }

            if (_status == NetworkFailure && !exception)
            {
                // A network failure has no response: conditions over it are not evaluated.
                return Truth.Unknown;
            }

            if (!_named && facts.Names(_status))
            {
                _named = true;
            }

            return RetryCondition.Evaluate(condition, _status, subject, exception) switch
            {
                true => Truth.True,
                false => Truth.False,
                _ => Truth.Unknown,
            };
        }

        /// <summary>What a condition is, whatever the status: computed on its first evaluation, read on every other path.</summary>
        private ConditionFacts Facts(IOperation condition, ISymbol subject)
        {
            foreach (var known in _conditions)
            {
                if (ReferenceEquals(known.Condition, condition) && SymbolEqualityComparer.Default.Equals(known.Subject, subject))
                {
                    return known;
                }
            }

            var facts = new ConditionFacts(condition, subject);
            _conditions.Add(facts);
            return facts;
        }

        /// <summary>
        /// <c>ShouldRetry(response)</c>: a predicate of the app with a single returned value, evaluated with its parameter
        /// standing for the response (or the caught exception); its other parameters are guards. Null when not such a call.
        /// </summary>
        private Truth? InlinedPredicate(IInvocationOperation call, ISymbol subject, bool exception)
        {
            if (_inlineDepth >= 3 || call.Instance is not (null or IInstanceReferenceOperation) || call.TargetMethod.ReturnType.SpecialType != SpecialType.System_Boolean)
            {
                return null;
            }

            IParameterSymbol? standsFor = null;
            foreach (var argument in call.Arguments)
            {
                if (!DelaySchedule.References(argument.Value, subject))
                {
                    continue;
                }

                var value = argument.Value;
                while (value is IConversionOperation { OperatorMethod: null } conversion)
                {
                    value = conversion.Operand;
                }

                // Only the response (or exception) itself, passed once.
                if (standsFor is not null || argument.Parameter is null || value is not (ILocalReferenceOperation or IParameterReferenceOperation))
                {
                    return Truth.Unknown;
                }

                standsFor = argument.Parameter;
            }

            if (standsFor is null || AppMethodSummary.Get(call, call.TargetMethod) is not { IsPure: true, ReturnedValue: { } body })
            {
                return null;
            }

            _inlineDepth++;
            try
            {
                return Evaluate(body, standsFor.OriginalDefinition, exception);
            }
            finally
            {
                _inlineDepth--;
            }
        }

        private static Truth And(Truth left, Truth right)
        {
            if (left == Truth.False || right == Truth.False)
            {
                return Truth.False;
            }

            if (left == Truth.Unknown || right == Truth.Unknown)
            {
                return Truth.Unknown;
            }

            return left == Truth.Guard || right == Truth.Guard ? Truth.Guard : Truth.True;
        }

        private static Truth Or(Truth left, Truth right)
        {
            if (left == Truth.True || right == Truth.True)
            {
                return Truth.True;
            }

            if (left == Truth.Unknown || right == Truth.Unknown)
            {
                return Truth.Unknown;
            }

            return left == Truth.Guard || right == Truth.Guard ? Truth.Guard : Truth.False;
        }

        private static bool Contains(IOperation operation, IOperation target)
        {
            for (var current = target; current is not null; current = current.Parent)
            {
                if (ReferenceEquals(current, operation))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
