using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>A supplied derivative: which primal it belongs to and which method computes it.</summary>
/// <param name="PrimalTypeName">Fully qualified type of the primal, with <c>global::</c>.</param>
/// <param name="PrimalName">The primal's name.</param>
/// <param name="PrimalParameterTypes">The primal's parameter types, to tell overloads apart.</param>
/// <param name="Derivative">The method returning the value and the partials.</param>
internal sealed record DerivativeEntry(string PrimalTypeName, string PrimalName, EquatableArray<ScalarType> PrimalParameterTypes, MethodReference Derivative);

/// <summary>What the frontend made of one <c>[DerivativeOf]</c> method.</summary>
internal sealed record DerivativeParseResult(DerivativeEntry? Entry, EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics);
