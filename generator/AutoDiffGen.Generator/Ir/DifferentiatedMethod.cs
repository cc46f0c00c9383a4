using AutoDiffGen.Generator.Diagnostics;

namespace AutoDiffGen.Generator.Ir;

/// <summary>Why a generated local exists; the emitter groups declarations by it and says so in a comment.</summary>
internal enum LocalRole
{
    /// <summary>A source local or a temporary of the three-address form.</summary>
    Primal,

    /// <summary>An adjoint (reverse mode) or tangent (forward mode).</summary>
    Derivative,

    /// <summary>A value saved before being overwritten, restored by the reverse sweep.</summary>
    Saved,

    /// <summary>A branch taken or a loop trip count, replayed by the reverse sweep.</summary>
    ControlFlow,
}

/// <summary>A local the emitter declares up front; <see cref="Array"/> is set for arrays (element type in <see cref="Type"/>), <see cref="Reference"/> for a tape or scratch pool.</summary>
internal sealed record LocalDeclaration(string Name, ScalarType Type, LocalRole Role, ArrayType? Array = null);

/// <summary>A tape the body uses (of <see cref="ElementType"/>, C# spelling), and the local that holds it.</summary>
internal sealed record TapeDeclaration(string ElementType, string Name);

/// <summary>A pool of scratch arrays the body rents from, the local that holds it and the local holding its mark.</summary>
internal sealed record ScratchDeclaration(string ElementType, string Name, string Mark);

/// <summary>A generated method body with its hoisted locals, the tapes and scratch pools it uses, and notes on how it works.</summary>
/// <param name="Forward">The forward sweep as the pullback runs it (reverse mode only), for the backward core.</param>
/// <param name="Reverse">The reverse sweep alone, up to but without the return (reverse mode only).</param>
/// <param name="Gradient">The scalar gradient the pullback returns (reverse mode only; null when there is none).</param>
/// <param name="ForwardAlone">
/// Where loops run each trip's reverse right after the trip (their reverse sits inside <paramref name="Forward"/>):
/// the forward sweep without those reverses, which computes the value alone; the tape is rewound after every trip
/// (for the tape-size query, which reports the peak). Null when no loop was fused: then <paramref name="Forward"/> is it.
/// </param>
/// <remarks>Use <see cref="ValueSweep"/> for the value alone.</remarks>
internal sealed record GeneratedBody(
    EquatableArray<LocalDeclaration> Locals,
    EquatableArray<TapeDeclaration> Tapes,
    EquatableArray<ScratchDeclaration> Scratch,
    Block Body,
    EquatableArray<string> Notes,
    Block Forward,
    Block? Reverse = null,
    IrExpression? Gradient = null,
    Block? ForwardAlone = null)
{
    /// <summary>The forward sweep that computes the value and nothing of the reverse sweep.</summary>
    public Block ValueSweep => ForwardAlone ?? Forward;
}

/// <summary>
/// Everything the emitter needs for one <c>[Differentiable]</c> method: the cache boundary between
/// differentiation and emission.
/// </summary>
/// <param name="Primal">The method as written (signature, parameters).</param>
/// <param name="SeedName">The pullback's seed parameter name.</param>
/// <param name="Pullback">Forward sweep and reverse sweep.</param>
/// <param name="TangentParameterNames">One tangent parameter per differentiable parameter (and per output), in order.</param>
/// <param name="ShadowParameterNames">One adjoint buffer per differentiable array parameter, then one seed per output, in order.</param>
/// <param name="Tangent">The forward-mode body.</param>
internal sealed record DifferentiatedMethod(
    MethodIr Primal,
    string SeedName,
    GeneratedBody Pullback,
    EquatableArray<string> TangentParameterNames,
    EquatableArray<string> ShadowParameterNames,
    GeneratedBody Tangent);

/// <summary>The result of the differentiation step: the method's derivatives (scalar path) or backward plan (tensor path), or only the diagnostics that stopped them.</summary>
internal sealed record DifferentiationResult(DifferentiatedMethod? Method, EquatableArray<DiagnosticInfo> Diagnostics, TensorPlan? Tensor = null);
