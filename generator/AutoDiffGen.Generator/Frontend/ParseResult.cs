using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>What the frontend made of one <c>[Differentiable]</c> method: its IR, or the errors that prevent it.</summary>
/// <param name="Method">The lowered method, or null when errors were found.</param>
/// <param name="Diagnostics">Errors and warnings found while lowering.</param>
/// <param name="DisplayName">The method as users know it, e.g. <c>Graph.Activation</c>, for diagnostics of later steps.</param>
/// <param name="Span">The method name's location, for diagnostics of later steps.</param>
/// <param name="Tensor">For a method over tensors, its lowered operations (then <paramref name="Method"/> is null).</param>
internal sealed record ParseResult(MethodIr? Method, EquatableArray<DiagnosticInfo> Diagnostics, string DisplayName, SourceSpan? Span, TensorMethodIr? Tensor = null);
