using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>Arrays and spans: parameters, local arrays, element reads and writes, lengths.</summary>
internal sealed partial class OperationLowerer
{
    private sealed record ElementReference(string Array, EquatableArray<IrExpression> Indices, ScalarType Type);

    /// <summary>The array a reference names (a local or parameter of array or span type), or null.</summary>
    private (string Name, ArrayType Type, bool IsParameter)? ArrayOf(IOperation? operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out LocalIr? ir) && ir.Array is not null:
                return (ir.Name, ir.Array, false);
            case IParameterReferenceOperation parameter when ArrayTypes.From(parameter.Type) is { } type:
                return (parameter.Parameter.Name, type, true);
            case IConversionOperation conversion when ArrayOf(conversion.Operand) is { } converted && ArrayTypes.From(conversion.Type) is { } target && target.Element == converted.Type.Element:
                // T[] → (ReadOnly)Span<T>: the same elements.
                return converted;
            default:
                return null;
        }
    }

    private static bool IsElementReference(IOperation operation) =>
        operation is IArrayElementReferenceOperation || operation is IPropertyReferenceOperation { Property.IsIndexer: true };

    /// <summary>Lowers <c>a[i]</c> / <c>a[i, j]</c> / <c>span[i]</c> to its array and int indices, or null.</summary>
    private ElementReference? ElementOf(IOperation operation)
    {
        (IOperation? array, IEnumerable<IOperation> indices) = operation switch
        {
            IArrayElementReferenceOperation element => (element.ArrayReference, element.Indices),
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer => (indexer.Instance, indexer.Arguments.Select(a => a.Value)),
            _ => ((IOperation?)null, Enumerable.Empty<IOperation>()),
        };
        if (array is null)
        {
            return null;
        }

        if (ArrayOf(array) is not { } named)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, operation, "only arrays and spans held in parameters and locals can be indexed", "Index a T[], T[,], ReadOnlySpan<T> or Span<T> directly");
            return null;
        }

        var lowered = new List<IrExpression>();
        foreach (IOperation index in indices)
        {
            if (index.Type?.SpecialType != SpecialType.System_Int32)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, index, "indices must be int", "Index with an int expression (ranges and Index are not supported)");
                return null;
            }

            lowered.Add(LowerExpression(index));
        }

        return new ElementReference(named.Name, lowered.ToEquatableArray(), named.Type.Element);
    }

    /// <summary>The element an assignment writes, or null (reported when it is an element that may not be written).</summary>
    private ElementReference? ElementTarget(IOperation target)
    {
        if (!IsElementReference(target))
        {
            return null;
        }

        IOperation? array = target is IArrayElementReferenceOperation element ? element.ArrayReference : ((IPropertyReferenceOperation)target).Instance;
        if (ArrayOf(array) is { IsParameter: true, Type.Kind: not ArrayKind.Span })
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, target, "a [Differentiable] method must not modify its input arrays", "Copy the values into a local array (new T[n]) and modify that, or make the parameter a Span<T> output");
            return null;
        }

        return ElementOf(target);
    }

    private IrStatement? LowerElementCompound(ICompoundAssignmentOperation compound, ElementReference element)
    {
        IrExpression value = Coerce(LowerExpression(compound.Value), element.Type);
        switch (compound.OperatorKind)
        {
            case BinaryOperatorKind.Add:
                return new ElementAssignStatement(element.Array, element.Indices, value, Accumulate: true);
            case BinaryOperatorKind.Subtract:
                return new ElementAssignStatement(element.Array, element.Indices, new UnaryExpression(UnaryOperator.Negate, value, element.Type), Accumulate: true);
            case BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide:
                BinaryOperator op = compound.OperatorKind == BinaryOperatorKind.Multiply ? BinaryOperator.Multiply : BinaryOperator.Divide;
                var current = new ElementExpression(element.Array, element.Indices, element.Type);
                return new ElementAssignStatement(element.Array, element.Indices, new BinaryExpression(op, current, value, element.Type));
            default:
                Report(DiagnosticDescriptors.UnsupportedExpression, compound, $"the compound operator {compound.OperatorKind} is not supported on elements", "Use +=, -=, *= or /=");
                return null;
        }
    }

    /// <summary>A local array's creation: <c>new T[n]</c>, <c>new T[n, m]</c> or <c>stackalloc T[n]</c>.</summary>
    private IEnumerable<IrStatement> LowerArrayCreation(LocalIr local, IOperation? value, IOperation declarator)
    {
        IOperation? creation = value is IConversionOperation conversion ? conversion.Operand : value;
        IEnumerable<IOperation>? sizes = creation switch
        {
            IArrayCreationOperation { Initializer: null } array => array.DimensionSizes,
            _ when creation?.Syntax is StackAllocArrayCreationExpressionSyntax { Initializer: null } stackAllocation
                && stackAllocation.Type is ArrayTypeSyntax arrayType
                && creation.SemanticModel is { } model =>
                arrayType.RankSpecifiers.SelectMany(r => r.Sizes).Select(size => model.GetOperation(size, _cancellationToken)!),
            _ => null,
        };
        if (sizes is null)
        {
            Report(
                DiagnosticDescriptors.UnsupportedExpression,
                value ?? declarator,
                "local arrays must be created empty where they are declared",
                "Declare them as T[] a = new T[n] (or stackalloc T[n]) and fill them with a loop");
            return Enumerable.Empty<IrStatement>();
        }

        var lowered = sizes.Select(s => Coerce(LowerExpression(s), ScalarType.Int)).ToEquatableArray();
        return new IrStatement[] { new AllocateArrayStatement(local.Name, local.Array!, lowered) };
    }

    /// <summary><c>a.Length</c>, <c>a.GetLength(d)</c> for a constant d, or null.</summary>
    private IrExpression? LengthOf(IOperation operation)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.Name: "Length" } property when ArrayOf(property.Instance) is { } array:
                return new LengthExpression(array.Name, 0, array.Type.Rank);
            case IInvocationOperation { TargetMethod.Name: "GetLength" } invocation
                when ArrayOf(invocation.Instance) is { } array && invocation.Arguments.Single().Value.ConstantValue is { HasValue: true, Value: int dimension }:
                return new LengthExpression(array.Name, dimension, array.Type.Rank);
            default:
                return null;
        }
    }

    /// <summary>Advice for calls that operate on whole collections, or null.</summary>
    private static string? CollectionCallAdvice(IMethodSymbol target)
    {
        string type = target.ContainingType.ToDisplayString();
        if (type == "System.Linq.Enumerable" || target.ContainingNamespace?.ToDisplayString().StartsWith("System.Linq", System.StringComparison.Ordinal) == true)
        {
            return $"LINQ ({target.Name}) is not supported on differentiable values: write a for loop over the elements";
        }

        if (type is "System.Array" or "System.MemoryExtensions" || type.StartsWith("System.Span<", System.StringComparison.Ordinal) || type.StartsWith("System.ReadOnlySpan<", System.StringComparison.Ordinal))
        {
            return $"{target.ContainingType.Name}.{target.Name} is not supported on differentiable values: write the loop explicitly (reordering values with Sort or Reverse has no derivative rule; sort int indices outside and pass them in as data)";
        }

        if (type.StartsWith("System.Collections", System.StringComparison.Ordinal))
        {
            return $"{target.ContainingType.Name}.{target.Name} is not supported: use T[] or Span<T> and index it";
        }

        return null;
    }
}
