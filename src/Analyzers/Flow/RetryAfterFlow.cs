using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Flow reasoning over the control flow graph of the function that contains a response: is a
/// <c>Retry-After</c> header set on every path that reaches it, or on some path after it (headers may be
/// set after <c>Response.StatusCode</c> or after a result object is created, as long as the response has
/// not started)? A header set only in another branch does not count.
/// </summary>
internal static class RetryAfterFlow
{
    private static readonly ConditionalWeakTable<ControlFlowGraph, GraphFacts> Facts = new();

    /// <summary>
    /// True when a Retry-After header is provably set before <paramref name="operation"/> on every path, or
    /// may be set after it on a path that continues from it. False when not, or when the graph is unavailable
    /// (then <paramref name="analyzed"/> is false and callers stay silent).
    /// </summary>
    public static bool IsHeaderSetAround(IOperation operation, ControlFlowGraph? rootGraph, out bool analyzed)
    {
        analyzed = false;
        if (rootGraph is null)
        {
            return false;
        }

        var graph = GraphOfEnclosingFunction(operation, rootGraph);
        if (graph is null)
        {
            return false;
        }

        var facts = Facts.GetValue(graph, static g => new GraphFacts(g));
        if (!facts.TryLocate(operation.Syntax.Span, out var blockOrdinal, out var index))
        {
            return false;
        }

        analyzed = true;
        return facts.IsSetBefore(blockOrdinal, index) || facts.MaySetAfter(blockOrdinal, index);
    }

    /// <summary>
    /// Syntax-only: true when <see cref="IsHeaderSetAround"/> and <see cref="IsHeaderSetForValue"/> would answer "not set"
    /// for <paramref name="operation"/> without building the graph. Conservative. The function whose graph answers is
    /// the innermost lambda or local function around the operation (a lambda only when converted to a delegate), else
    /// the root; and either
    /// (1) the function's syntax has no loop or <c>goto</c> (an acyclic graph without writes has the header unset
    /// everywhere, also in unreachable code) and no token through which a header can be written
    /// (<see cref="RetryAfterHeader.MayBeWrittenIn"/>); or
    /// (2) nothing of that kind lies before the operation (without cycles before it and gotos, every path to it runs
    /// through earlier code only), no <c>goto</c> is anywhere, and from the operation the path ends in a <c>return</c> or
    /// <c>throw</c> of the same block, outside any <c>try</c> and loop, through statements that write nothing and jump
    /// nowhere else (<c>if (down) { Response.StatusCode = 503; await …WriteAsync("down"); return; } … Headers.RetryAfter = …</c>).
    /// </summary>
    /// <param name="operation">The status-producing operation.</param>
    /// <param name="root">Its root operation.</param>
    /// <param name="aroundOperationOnly">
    /// True when only <see cref="IsHeaderSetAround"/> at the operation is asked. Case 2, and case 1 inside a lambda or
    /// local function, do not answer <see cref="IsHeaderSetForValue"/>, whose paths start at the constants' assignments
    /// (which may lie outside the function).
    /// </param>
    public static bool CannotBeSetIn(IOperation operation, IOperation root, bool aroundOperationOnly)
    {
        IOperation statement = operation;
        IBlockOperation? block = null;
        IOperation? function = null;
        var leavesOnlyByItsBlock = true;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                // The graph of a lambda or local function is found through the graphs around it (GraphOfEnclosingFunction):
                // local functions and delegate lambdas always are; a lambda converted to an expression tree is not followed.
                if (current is IAnonymousFunctionOperation && current.Parent is not IDelegateCreationOperation { Type.TypeKind: TypeKind.Delegate })
                {
                    return false;
                }

                function ??= current;
                continue;
            }

            if (function is not null)
            {
                // Outside the innermost function: another graph.
                continue;
            }

            if (current is ITryOperation or ILoopOperation)
            {
                // A catch, finally or the next iteration may follow.
                leavesOnlyByItsBlock = false;
            }

            if (block is null)
            {
                if (current is IBlockOperation enclosing)
                {
                    block = enclosing;
                }
                else
                {
                    statement = current;
                }
            }
        }

        // The syntax of the function whose graph answers: the innermost lambda or local function, else the root.
        var facts = RetryAfterHeader.ScanFunction((function ?? root).Syntax, operation.Syntax.SpanStart);
        if (facts == RetryAfterHeader.SyntaxFacts.None)
        {
            // In a lambda, a status local's constants may be assigned outside it, where another graph answers.
            return function is null || aroundOperationOnly;
        }

        return aroundOperationOnly
            && leavesOnlyByItsBlock
            && block is not null
            && (facts & (RetryAfterHeader.SyntaxFacts.WriteBefore | RetryAfterHeader.SyntaxFacts.LoopBefore | RetryAfterHeader.SyntaxFacts.Goto)) == 0
            && EndsWithoutWrite(block.Operations, statement);
    }

    /// <summary>
    /// From <paramref name="statement"/> on, the statements of the block write nothing, loop nowhere and jump nowhere but
    /// out of the function, up to a <c>return</c>/<c>throw</c> statement of the block itself.
    /// </summary>
    private static bool EndsWithoutWrite(System.Collections.Immutable.ImmutableArray<IOperation> statements, IOperation statement)
    {
        var index = statements.IndexOf(statement);
        if (index < 0)
        {
            return false;
        }

        for (var i = index; i < statements.Length; i++)
        {
            var current = statements[i];
            if (RetryAfterHeader.Scan(current.Syntax, int.MaxValue) != RetryAfterHeader.SyntaxFacts.None || HasLocalJump(current.Syntax))
            {
                return false;
            }

            // `throw e;` is an expression statement around the throw.
            if (current.Kind is OperationKind.Return or OperationKind.Throw || current is IExpressionStatementOperation { Operation.Kind: OperationKind.Throw })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A jump that stays in the function (<c>break</c>, <c>continue</c>, <c>yield</c>) or a label.</summary>
    private static bool HasLocalJump(SyntaxNode node)
    {
        foreach (var descendant in node.DescendantNodesAndSelf())
        {
            switch (descendant.Kind())
            {
                case SyntaxKind.BreakStatement:
                case SyntaxKind.ContinueStatement:
                case SyntaxKind.YieldBreakStatement:
                case SyntaxKind.YieldReturnStatement:
                case SyntaxKind.LabeledStatement:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Tree-only: true when the operation tree alone proves that <see cref="IsHeaderSetAround"/> would answer "set", so
    /// that the graph need not be built. False means "not proven here", not "not set". The graph's must-analysis treats
    /// a block without predecessors (code after a jump) as "not set", and its may-analysis needs a path: so every
    /// statement the proof steps over must be one that neither jumps nor leaves dead code behind
    /// (<see cref="FallsThrough"/>), and no label may let a <c>goto</c> enter between. Constant conditions keep both
    /// edges in the graph (only <c>IsReachable</c> differs), so they need no special case.
    /// </summary>
    public static bool IsSetAroundInTree(IOperation operation) => IsSetBeforeInTree(operation) || MaySetAfterInTree(operation);

    /// <summary>
    /// (a) An earlier statement of a block or switch section around <paramref name="operation"/>, in the same function,
    /// is an unconditional Retry-After write (<see cref="IsUnconditionalWrite"/>), and only statements that fall through
    /// lie between (at every level down to the operation): every path to the operation passes the write.
    /// </summary>
    public static bool IsSetBeforeInTree(IOperation operation)
    {
        // The statement the operation is in must not cut its own path (`F(x switch { }, StatusCode(503))`).
        IOperation child = operation;
        var parent = operation.Parent;
        while (parent is not null and not (IBlockOperation or ISwitchCaseOperation))
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or ILabeledOperation)
            {
                return false;
            }

            child = parent;
            parent = parent.Parent;
        }

        if (parent is null || !HasNoDeadEndExpression(child.Syntax))
        {
            return false;
        }

        while (true)
        {
            var statements = parent is IBlockOperation block ? block.Operations : ((ISwitchCaseOperation)parent).Body;
            var index = statements.IndexOf(child);
            if (index < 0)
            {
                return false;
            }

            for (var i = index - 1; i >= 0; i--)
            {
                var statement = statements[i];
                if (IsUnconditionalWrite(statement))
                {
                    return true;
                }

                if (!FallsThrough(statement))
                {
                    return false;
                }
            }

            // Not in this block: the block is entered at its start; climb through statements whose parts before it
            // cannot cut the path.
            if (parent is ISwitchCaseOperation || !ClimbToEnclosingStatementList(ref parent, out child))
            {
                return false;
            }
        }
    }

    /// <summary>From a block or switch section, up to the next block or switch section, through statements entered at their start.</summary>
    private static bool ClimbToEnclosingStatementList(ref IOperation list, out IOperation child)
    {
        child = list;
        var parent = list.Parent;
        while (parent is not null)
        {
            switch (parent)
            {
                case IBlockOperation:
                    list = parent;
                    return true;

                case ISwitchCaseOperation:
                    // `case X: { … }`: the section's statements before the block; a section is not climbed out of
                    // (it is entered through its labels' tests, whose parts can be anything).
                    list = parent;
                    return true;

                case IConditionalOperation conditional when conditional.Type is null && HasNoDeadEndExpression(conditional.Condition.Syntax):
                case ITryOperation:
                case ICatchClauseOperation { Filter: null }:
                case IUsingOperation usingStatement when HasNoDeadEndExpression(usingStatement.Resources.Syntax):
                case ILockOperation lockStatement when HasNoDeadEndExpression(lockStatement.LockedValue.Syntax):
                    break;

                default:
                    // Loops, switches, labels, functions: not followed.
                    return false;
            }

            child = parent;
            parent = parent.Parent;
        }

        return false;
    }

    /// <summary>
    /// (b) The operation's own statement is an expression statement or local declaration directly in a block, and a
    /// later statement of that block is an unconditional Retry-After write, with only statements that fall through
    /// between: a path from the operation reaches the write.
    /// </summary>
    private static bool MaySetAfterInTree(IOperation operation)
    {
        IOperation statement = operation;
        var parent = operation.Parent;
        while (parent is not null and not IBlockOperation)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            statement = parent;
            parent = parent.Parent;
        }

        if (parent is not IBlockOperation block
            || statement is not (IExpressionStatementOperation or IVariableDeclarationGroupOperation)
            || !HasNoDeadEndExpression(statement.Syntax))
        {
            return false;
        }

        var statements = block.Operations;
        var index = statements.IndexOf(statement);
        if (index < 0)
        {
            return false;
        }

        for (var i = index + 1; i < statements.Length; i++)
        {
            var next = statements[i];
            if (IsUnconditionalWrite(next))
            {
                return true;
            }

            if (!FallsThrough(next))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// A statement that completes normally on some path and leaves no code without predecessors in the graph: no jump
    /// statement (<c>return</c>, <c>throw</c>, <c>break</c>, <c>continue</c>, <c>goto</c>, <c>yield break</c>) anywhere in
    /// it, no label, and no expression that cannot complete (<see cref="HasNoDeadEndExpression"/>).
    /// </summary>
    private static bool FallsThrough(IOperation statement)
    {
        if (statement is ILabeledOperation)
        {
            return false;
        }

        foreach (var node in statement.Syntax.DescendantNodesAndSelf())
        {
            if (IsDeadEndExpression(node))
            {
                return false;
            }

            switch (node.Kind())
            {
                case SyntaxKind.ReturnStatement:
                case SyntaxKind.ThrowStatement:
                case SyntaxKind.BreakStatement:
                case SyntaxKind.ContinueStatement:
                case SyntaxKind.GotoStatement:
                case SyntaxKind.GotoCaseStatement:
                case SyntaxKind.GotoDefaultStatement:
                case SyntaxKind.YieldBreakStatement:
                case SyntaxKind.LabeledStatement:
                    return false;
            }
        }

        return true;
    }

    /// <summary>No dead-end expression (<see cref="IsDeadEndExpression"/>): the evaluation always has a path that completes.</summary>
    private static bool HasNoDeadEndExpression(SyntaxNode node)
    {
        foreach (var descendant in node.DescendantNodesAndSelf())
        {
            if (IsDeadEndExpression(descendant))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A <c>throw</c> expression, or a switch expression (whose arms can all throw, or which can have none).</summary>
    private static bool IsDeadEndExpression(SyntaxNode node)
        => node.IsKind(SyntaxKind.ThrowExpression) || node.IsKind(SyntaxKind.SwitchExpression);

    /// <summary>
    /// An expression statement that is itself a Retry-After write (<see cref="RetryAfterHeader.IsWrite"/>) with nothing
    /// conditional in it (<c>?.</c>, <c>?:</c>, <c>??</c>, <c>&amp;&amp;</c>, <c>||</c>, switch expressions, patterns,
    /// <c>throw</c>, lambdas): the graph keeps it as one operation that writes whenever it completes. (A branch inside
    /// splits it over several blocks and moves its operands into flow captures: left to the graph.)
    /// </summary>
    private static bool IsUnconditionalWrite(IOperation statement)
    {
        if (statement is not IExpressionStatementOperation { Operation: var write } || !RetryAfterHeader.IsWrite(write))
        {
            return false;
        }

        foreach (var node in statement.Syntax.DescendantNodes())
        {
            switch (node.Kind())
            {
                case SyntaxKind.ConditionalExpression:
                case SyntaxKind.ConditionalAccessExpression:
                case SyntaxKind.CoalesceExpression:
                case SyntaxKind.CoalesceAssignmentExpression:
                case SyntaxKind.LogicalAndExpression:
                case SyntaxKind.LogicalOrExpression:
                case SyntaxKind.SwitchExpression:
                case SyntaxKind.IsPatternExpression:
                case SyntaxKind.ThrowExpression:
                case SyntaxKind.SimpleLambdaExpression:
                case SyntaxKind.ParenthesizedLambdaExpression:
                case SyntaxKind.AnonymousMethodExpression:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// For a status held in <paramref name="local"/> (<c>code = HttpStatusCode.ServiceUnavailable; … Response.StatusCode = (int)code;</c>):
    /// true when the header is set before the constant at <paramref name="origin"/> on every path, or on a path from it
    /// while the local still holds <paramref name="status"/> (a reassignment ends that path; a branch on
    /// <c>code == X</c> that cannot hold for the status is not followed: a header set only for other statuses does
    /// not count). False when not, or when the graph is unavailable (then <paramref name="analyzed"/> is false).
    /// </summary>
    public static bool IsHeaderSetForValue(IOperation origin, ControlFlowGraph? rootGraph, ILocalSymbol local, int status, out bool analyzed)
    {
        analyzed = false;
        var graph = rootGraph is null ? null : GraphOfEnclosingFunction(origin, rootGraph);
        if (graph is null)
        {
            return false;
        }

        var facts = Facts.GetValue(graph, static g => new GraphFacts(g));
        if (!facts.TryLocate(origin.Syntax.Span, out var blockOrdinal, out var index))
        {
            return false;
        }

        analyzed = true;
        return facts.IsSetBefore(blockOrdinal, index) || facts.MaySetWhileHolding(blockOrdinal, index, origin, local, status);
    }

    /// <summary>The graph of the innermost lambda or local function around <paramref name="operation"/>.</summary>
    private static ControlFlowGraph? GraphOfEnclosingFunction(IOperation operation, ControlFlowGraph rootGraph)
    {
        // Functions from the innermost outwards.
        List<IOperation>? functions = null;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                (functions ??= new List<IOperation>()).Add(current);
            }
        }

        var graph = rootGraph;
        if (functions is null)
        {
            return graph;
        }

        for (var i = functions.Count - 1; i >= 0; i--)
        {
            graph = functions[i] switch
            {
                ILocalFunctionOperation local => FindLocalFunctionGraph(graph, local.Symbol),
                IAnonymousFunctionOperation lambda => FindLambdaGraph(graph, lambda.Syntax),
                _ => null,
            };

            if (graph is null)
            {
                return null;
            }
        }

        return graph;
    }

    private static ControlFlowGraph? FindLocalFunctionGraph(ControlFlowGraph graph, IMethodSymbol symbol)
    {
        foreach (var local in graph.LocalFunctions)
        {
            if (SymbolEqualityComparer.Default.Equals(local, symbol))
            {
                return graph.GetLocalFunctionControlFlowGraph(local);
            }
        }

        return null;
    }

    private static ControlFlowGraph? FindLambdaGraph(ControlFlowGraph graph, SyntaxNode lambdaSyntax)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (FindFlowLambda(operation, lambdaSyntax) is { } found)
                {
                    return graph.GetAnonymousFunctionControlFlowGraph(found);
                }
            }

            if (block.BranchValue is { } branchValue && FindFlowLambda(branchValue, lambdaSyntax) is { } inBranch)
            {
                return graph.GetAnonymousFunctionControlFlowGraph(inBranch);
            }
        }

        return null;
    }

    private static IFlowAnonymousFunctionOperation? FindFlowLambda(IOperation root, SyntaxNode lambdaSyntax)
    {
        if (!root.Syntax.Span.Contains(lambdaSyntax.Span))
        {
            return null;
        }

        if (root is IFlowAnonymousFunctionOperation self && self.Syntax == lambdaSyntax)
        {
            return self;
        }

        foreach (var descendant in root.Descendants())
        {
            if (descendant is IFlowAnonymousFunctionOperation lambda && lambda.Syntax == lambdaSyntax)
            {
                return lambda;
            }
        }

        return null;
    }

    /// <summary>Per-graph facts: which operations write the header, and the must-be-set state at each block entry.</summary>
    private sealed class GraphFacts
    {
        private readonly ControlFlowGraph _graph;
        private readonly bool[][] _writes;
        private readonly bool[] _setOnEntry;

        public GraphFacts(ControlFlowGraph graph)
        {
            _graph = graph;
            var blocks = graph.Blocks;
            _writes = new bool[blocks.Length][];
            var anyWrite = false;
            for (var b = 0; b < blocks.Length; b++)
            {
                var block = blocks[b];
                var count = block.Operations.Length + (block.BranchValue is null ? 0 : 1);
                var writes = new bool[count];
                for (var i = 0; i < count; i++)
                {
                    writes[i] = RetryAfterHeader.ContainsWrite(OperationAt(block, i));
                }

                _writes[b] = writes;
                anyWrite |= System.Array.IndexOf(writes, true) >= 0;
            }

            if (anyWrite)
            {
                // `if (lease.TryGetMetadata(MetadataName.RetryAfter, out var delay)) { …RetryAfter = … }`: the header is set
                // whenever the limiter knows the delay; the other path has nothing to say (the documented pattern).
                for (var b = 0; b < blocks.Length; b++)
                {
                    if (blocks[b].BranchValue is { } condition && RetryAfterHeader.IsLimiterDelayCheck(condition))
                    {
                        _writes[b][_writes[b].Length - 1] = true;
                    }
                }
            }

            _setOnEntry = ComputeMustBeSet(blocks);
        }

        /// <summary>Finds the block and the index of the block operation that most narrowly contains <paramref name="span"/>.</summary>
        public bool TryLocate(TextSpan span, out int blockOrdinal, out int index)
        {
            blockOrdinal = -1;
            index = -1;
            var best = int.MaxValue;
            foreach (var block in _graph.Blocks)
            {
                var count = _writes[block.Ordinal].Length;
                for (var i = 0; i < count; i++)
                {
                    var candidate = OperationAt(block, i).Syntax.Span;
                    if (candidate.Contains(span) && candidate.Length < best)
                    {
                        best = candidate.Length;
                        blockOrdinal = block.Ordinal;
                        index = i;
                    }
                }
            }

            return blockOrdinal >= 0;
        }

        public bool IsSetBefore(int blockOrdinal, int index)
        {
            if (_setOnEntry[blockOrdinal])
            {
                return true;
            }

            var writes = _writes[blockOrdinal];
            for (var i = 0; i < index; i++)
            {
                if (writes[i])
                {
                    return true;
                }
            }

            return false;
        }

        public bool MaySetAfter(int blockOrdinal, int index)
        {
            var writes = _writes[blockOrdinal];
            for (var i = index + 1; i < writes.Length; i++)
            {
                if (writes[i])
                {
                    return true;
                }
            }

            var blocks = _graph.Blocks;
            var visited = new bool[blocks.Length];
            var pending = new Stack<BasicBlock>();
            Push(blocks[blockOrdinal], pending, visited);
            while (pending.Count > 0)
            {
                var block = pending.Pop();
                foreach (var write in _writes[block.Ordinal])
                {
                    if (write)
                    {
                        return true;
                    }
                }

                Push(block, pending, visited);
            }

            return false;
        }

        public bool MaySetWhileHolding(int blockOrdinal, int index, IOperation origin, ILocalSymbol local, int status)
        {
            var blocks = _graph.Blocks;
            var visited = new bool[blocks.Length];
            var pending = new Stack<(BasicBlock Block, int From)>();
            pending.Push((blocks[blockOrdinal], index + 1));
            visited[blockOrdinal] = true;
            while (pending.Count > 0)
            {
                var (block, from) = pending.Pop();
                var writes = _writes[block.Ordinal];
                var killed = false;
                for (var i = from; i < writes.Length; i++)
                {
                    if (writes[i])
                    {
                        return true;
                    }

                    if (Reassigns(OperationAt(block, i), local, origin))
                    {
                        killed = true;
                        break;
                    }
                }

                if (killed)
                {
                    continue;
                }

                var taken = TakenSuccessor(block, local, status);
                PushHolding(block.FallThroughSuccessor, taken, pending, visited);
                PushHolding(block.ConditionalSuccessor, taken, pending, visited);
            }

            return false;
        }

        /// <summary>For a block ending in <c>local == C</c>/<c>local != C</c>, the one successor the status can take; else null.</summary>
        private static ControlFlowBranch? TakenSuccessor(BasicBlock block, ILocalSymbol local, int status)
        {
            if (block.BranchValue?.WithoutConversions() is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                || block.ConditionalSuccessor is null)
            {
                return null;
            }

            int? constant;
            if (IsLocal(comparison.LeftOperand, local))
            {
                constant = StatusCode.TryGetConstant(comparison.RightOperand);
            }
            else if (IsLocal(comparison.RightOperand, local))
            {
                constant = StatusCode.TryGetConstant(comparison.LeftOperand);
            }
            else
            {
                return null;
            }

            if (constant is null)
            {
                return null;
            }

            var value = (constant == status) == (comparison.OperatorKind == BinaryOperatorKind.Equals);
            var jumps = value == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
            return jumps ? block.ConditionalSuccessor : block.FallThroughSuccessor;
        }

        private static bool IsLocal(IOperation operation, ILocalSymbol local)
            => operation.WithoutConversions() is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

        /// <summary>True when <paramref name="operation"/> writes the local with something other than the origin's own assignment.</summary>
        private static bool Reassigns(IOperation operation, ILocalSymbol local, IOperation origin)
        {
            if (operation.Syntax.Span.Contains(origin.Syntax.Span))
            {
                return false;
            }

            if (operation is IAssignmentOperation { Target: var target } && IsLocal(target, local))
            {
                return true;
            }

            foreach (var descendant in operation.Descendants())
            {
                if (descendant is IAssignmentOperation { Target: var nested } && IsLocal(nested, local))
                {
                    return true;
                }
            }

            return false;
        }

        private static void PushHolding(ControlFlowBranch? successor, ControlFlowBranch? taken, Stack<(BasicBlock Block, int From)> pending, bool[] visited)
        {
            if (successor?.Destination is { } destination && (taken is null || ReferenceEquals(taken, successor)) && !visited[destination.Ordinal])
            {
                visited[destination.Ordinal] = true;
                pending.Push((destination, 0));
            }
        }

        private static void Push(BasicBlock block, Stack<BasicBlock> pending, bool[] visited)
        {
            PushDestination(block.FallThroughSuccessor?.Destination, pending, visited);
            PushDestination(block.ConditionalSuccessor?.Destination, pending, visited);
        }

        private static void PushDestination(BasicBlock? successor, Stack<BasicBlock> pending, bool[] visited)
        {
            if (successor is not null && !visited[successor.Ordinal])
            {
                visited[successor.Ordinal] = true;
                pending.Push(successor);
            }
        }

        private bool[] ComputeMustBeSet(System.Collections.Immutable.ImmutableArray<BasicBlock> blocks)
        {
            // Greatest fixed point of: in(entry) = false; in(b) = AND of out(predecessors); out(b) = in(b) OR writes(b).
            var setOnEntry = new bool[blocks.Length];
            var setOnExit = new bool[blocks.Length];
            for (var b = 0; b < blocks.Length; b++)
            {
                setOnEntry[b] = blocks[b].Kind != BasicBlockKind.Entry;
                setOnExit[b] = true;
            }

            var changed = true;
            while (changed)
            {
                changed = false;
                foreach (var block in blocks)
                {
                    bool entry;
                    if (block.Kind == BasicBlockKind.Entry)
                    {
                        entry = false;
                    }
                    else if (block.Predecessors.Length == 0)
                    {
                        // Catch and finally handlers are entered by exceptions: what held when the try began holds there.
                        var tryStart = TryStartOf(block);
                        entry = tryStart >= 0 && setOnEntry[tryStart];
                    }
                    else
                    {
                        entry = true;
                        foreach (var predecessor in block.Predecessors)
                        {
                            entry &= setOnExit[predecessor.Source.Ordinal];
                        }
                    }

                    var exit = entry;
                    if (!exit)
                    {
                        foreach (var write in _writes[block.Ordinal])
                        {
                            exit |= write;
                        }
                    }

                    if (entry != setOnEntry[block.Ordinal] || exit != setOnExit[block.Ordinal])
                    {
                        setOnEntry[block.Ordinal] = entry;
                        setOnExit[block.Ordinal] = exit;
                        changed = true;
                    }
                }
            }

            return setOnEntry;
        }

        /// <summary>For the first block of a catch, filter or finally handler: the first block of its try; else -1.</summary>
        private static int TryStartOf(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region is not null && region.FirstBlockOrdinal == block.Ordinal; region = region.EnclosingRegion)
            {
                if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally or ControlFlowRegionKind.FilterAndHandler)
                {
                    for (var outer = region.EnclosingRegion; outer is not null; outer = outer.EnclosingRegion)
                    {
                        if (outer.Kind is ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally)
                        {
                            return outer.FirstBlockOrdinal;
                        }
                    }

                    return -1;
                }
            }

            return -1;
        }

        private static IOperation OperationAt(BasicBlock block, int index)
            => index < block.Operations.Length ? block.Operations[index] : block.BranchValue!;
    }
}
