using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// The one value a local, a readonly field or a parameterless helper of the application holds, so that a retry's pieces
/// (a policy builder, a predicate, a <c>ShouldHandle</c> delegate) are found where they are written: a local with a single
/// initializer never reassigned; a readonly field with an initializer or a single constructor assignment; a parameterless
/// method declared in source whose body returns one expression. Anything else: null (the rules stay silent).
/// </summary>
internal static class StoredValue
{
    public static IOperation? Resolve(IOperation? operation, Compilation compilation, CancellationToken cancellationToken, bool followHelpers = false)
    {
        switch (operation)
        {
            case ILocalReferenceOperation { Local.IsRef: false } local:
                return OperationTree.SingleInitializer(local.Local, local);

            case IFieldReferenceOperation { Field: { IsReadOnly: true } field }:
                return FieldValue(field, compilation, cancellationToken);

            case IInvocationOperation { Arguments.Length: 0, TargetMethod: { Parameters.Length: 0, IsAbstract: false, MethodKind: MethodKind.Ordinary } method } when followHelpers && method.DeclaringSyntaxReferences.Length == 1:
            {
                var body = ExceptionTaint.GetBody(compilation, method, cancellationToken);
                return body is IMethodBodyOperation { BlockBody: var block, ExpressionBody: var expression } && (block ?? expression) is { } statements
                    ? DelaySchedule.SingleReturnedValue(statements)
                    : null;
            }

            default:
                return null;
        }
    }

    /// <summary>The method a delegate value refers to (<c>OrResult(IsRetryable)</c>), or null.</summary>
    public static IMethodSymbol? MethodGroup(IOperation operation)
        => operation.WithoutConversions() is IDelegateCreationOperation { Target: IMethodReferenceOperation reference } ? reference.Method : null;

    /// <summary>The body of a method declared in source, as a block (expression bodies are a block with one return).</summary>
    public static IBlockOperation? MethodBlock(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        => method.DeclaringSyntaxReferences.Length == 1
            && ExceptionTaint.GetBody(compilation, method, cancellationToken) is IMethodBodyOperation { BlockBody: var block, ExpressionBody: var expression }
            ? block ?? expression
            : null;

    private static IOperation? FieldValue(IFieldSymbol field, Compilation compilation, CancellationToken cancellationToken)
    {
        if (field.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var reference = field.DeclaringSyntaxReferences[0];
        if (!compilation.ContainsSyntaxTree(reference.SyntaxTree) || reference.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator)
        {
            return null;
        }

        IOperation? value = null;
        var count = 0;
        if (declarator.Initializer is { } initializer)
        {
#pragma warning disable RS1030 // Only for a readonly field a retry reads its builder or predicate from.
            var model = compilation.GetSemanticModel(reference.SyntaxTree);
#pragma warning restore RS1030
            if (model.GetOperation(initializer, cancellationToken) is IFieldInitializerOperation fieldInitializer)
            {
                value = fieldInitializer.Value;
                count++;
            }
        }

        // Constructors may assign a readonly field: a single assignment in them is its value, several are not proven.
        var constructors = field.IsStatic ? field.ContainingType.StaticConstructors : field.ContainingType.InstanceConstructors;
        foreach (var constructor in constructors)
        {
            if (constructor.DeclaringSyntaxReferences.Length == 0 || ExceptionTaint.GetBody(compilation, constructor, cancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var descendant in body.Descendants())
            {
                if (descendant is IAssignmentOperation { Target: IFieldReferenceOperation target } assignment
                    && SymbolEqualityComparer.Default.Equals(target.Field, field))
                {
                    value = assignment is ISimpleAssignmentOperation simple ? simple.Value : null;
                    count++;
                }
            }
        }

        return count == 1 ? value : null;
    }
}
