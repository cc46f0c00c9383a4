using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Frontend;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// The differentiation step of the pipeline: normalise control flow, lower to three-address form,
/// analyse activity, then build the reverse-mode and forward-mode bodies. Pure: IR in, IR out.
/// </summary>
internal static class Differentiation
{
    public static DifferentiationResult Apply(ParseResult parsed)
    {
        if (parsed.Tensor is not null)
        {
            return Tensors.TensorDifferentiation.Apply(parsed);
        }

        if (parsed.Method is null)
        {
            return new DifferentiationResult(null, parsed.Diagnostics);
        }

        try
        {
            return ApplyCore(parsed.Method, parsed);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never crash the compiler: report the failure on the method and generate nothing for it.
            DiagnosticInfo failure = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, parsed.Span, parsed.DisplayName, $"{exception.GetType().Name}: {exception.Message}");
            return new DifferentiationResult(null, parsed.Diagnostics.Add(failure));
        }
    }

    private static DifferentiationResult ApplyCore(MethodIr method, ParseResult parsed)
    {
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name)));
        MethodIr lowered = ThreeAddressLowering.Apply(JumpElimination.Apply(method, names), names);
        ActivityAnalysis activity = ActivityAnalysis.Analyze(lowered);
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        diagnostics.AddRange(DerivativeWarnings.Find(lowered, activity, parsed.DisplayName));

        // Public parameter names first, so generated locals never take them: d{p} is p's tangent,
        // adjoint buffer (arrays) or seed (outputs).
        string seed = names.Allocate("seed");
        var derivativeNames = method.Parameters
            .Where(p => p.IsDifferentiable)
            .ToDictionary(p => p.Name, p => names.Allocate("d" + p.Name));
        var tangentNames = method.Parameters.Where(p => p.IsDifferentiable).Select(p => derivativeNames[p.Name]).ToEquatableArray();
        var shadowNames = method.Parameters.Where(p => p.IsDifferentiable && p.Array is not null).Select(p => derivativeNames[p.Name]).ToEquatableArray();

        GeneratedBody pullback = ReverseMode.Apply(lowered, activity, names.Clone(), seed, derivativeNames);
        GeneratedBody tangent = ForwardMode.Apply(lowered, activity, names.Clone(), derivativeNames);
        var differentiated = new DifferentiatedMethod(method, seed, pullback, tangentNames, shadowNames, tangent);
        return new DifferentiationResult(differentiated, diagnostics.ToEquatableArray());
    }
}
