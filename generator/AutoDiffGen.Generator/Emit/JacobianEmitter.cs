using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Emit;

/// <summary>
/// Writes <c>{M}Jacobian</c>: the full Jacobian of a method with array inputs or outputs, built from
/// the generated pullback (one reverse sweep per output row) when there are fewer outputs than
/// inputs, else from the generated tangent (one forward sweep per input column).
/// </summary>
internal static class JacobianEmitter
{
    private sealed record Segment(string Name, string Buffer, ScalarType Element, bool IsArray, string Start)
    {
        public string Length => IsArray ? $"{ExpressionPrinter.Identifier(Name)}.Length" : "1";
    }

    public static void Emit(CodeWriter writer, Signatures signatures)
    {
        MethodIr method = signatures.Primal;
        if (method.Parameters.Any(p => p.IsDifferentiable && p.Array is { Rank: not 1 }))
        {
            writer.Line("// No Jacobian method: it is generated for one-dimensional arrays and spans only.");
            return;
        }

        ScalarType element = method.ReturnsValue ? method.ReturnType : signatures.Outputs.First().Type;
        string t = element.ToCSharp();
        string name = method.Name;
        var inputs = method.Parameters.Where(p => p.IsDifferentiable && !p.IsOutput)
            .Select(p => new Segment(p.Name, "_" + p.Name + "Derivative", p.Type, p.Array is not null, $"_{p.Name}Column"))
            .ToList();
        var outputs = signatures.Outputs
            .Select(p => new Segment(p.Name, "_" + p.Name + "Derivative", p.Type, true, $"_{p.Name}Row"))
            .ToList();
        if (method.ReturnsValue)
        {
            outputs.Add(new Segment("result", "_seed", method.ReturnType, false, "_resultRow"));
        }

        string inputList = string.Join(", ", inputs.Select(i => i.IsArray ? $"{i.Name}[0..{i.Name}.Length)" : i.Name));
        string outputList = string.Join(", ", outputs.Select(o => o.IsArray ? $"{o.Name}[0..{o.Name}.Length)" : "the return value"));
        writer.Line($"/// <summary>");
        writer.Line($"/// The Jacobian of <see cref=\"{method.Signature}\"/>: row i, column j holds ∂output_i/∂input_j, with outputs {outputList}");
        writer.Line($"/// and differentiable inputs {inputList}, in parameter order. Uses reverse mode (one pullback per row) when there are");
        writer.Line("/// no more outputs than inputs, else forward mode (one tangent per column). Allocates nothing in steady state.");
        writer.Line($"/// </summary>");
        writer.Line("/// <param name=\"jacobian\">Receives the Jacobian; its shape must be [outputs, inputs].</param>");
        writer.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoDiffGen\", \"0.1.0\")]");
        writer.Open($"{signatures.Modifiers} void {name}Jacobian({signatures.Inputs}, {t}[,] jacobian)");
        DeclareOffsets(writer, inputs, "_inputs");
        DeclareOffsets(writer, outputs, "_outputs");
        writer.Open("if (jacobian.GetLength(0) != _outputs || jacobian.GetLength(1) != _inputs)");
        writer.Line($"throw new global::System.ArgumentException($\"{name}Jacobian: the jacobian is [{{jacobian.GetLength(0)}}, {{jacobian.GetLength(1)}}] but must be [{{_outputs}}, {{_inputs}}] (outputs × inputs).\", nameof(jacobian));");
        writer.Close();

        var scratchTypes = inputs.Concat(outputs).Where(s => s.IsArray).Select(s => s.Element).Distinct().ToList();
        foreach (ScalarType type in scratchTypes)
        {
            string c = type.ToCSharp();
            writer.Line($"global::AutoDiffGen.ScratchArrays<{c}> _{c}Scratch = global::AutoDiffGen.ScratchArrays<{c}>.Current;");
            writer.Line($"int _{c}ScratchMark = _{c}Scratch.Mark;");
        }

        writer.Open("if (_outputs <= _inputs)");
        writer.Line("// Reverse mode: each pullback seeds one output with 1 and yields one row.");
        DeclareBuffers(writer, inputs.Concat(outputs));
        writer.Open("for (int _row = 0; _row < _outputs; _row++)");
        foreach (Segment input in inputs.Where(i => i.IsArray))
        {
            writer.Line($"global::System.Array.Clear({input.Buffer});");
        }

        SetFlat(writer, outputs, "_row", "1");
        string pullbackArguments = signatures.Join(
            new[] { signatures.InputArguments },
            inputs.Where(i => i.IsArray).Select(i => i.Buffer),
            outputs.Where(o => o.IsArray).Select(o => o.Buffer),
            method.ReturnsValue ? new[] { "_seed" } : new string[0]);
        bool hasResult = signatures.ResultType != "void";
        writer.Line($"{(hasResult ? "var _pulled = " : string.Empty)}{name}Pullback({pullbackArguments});");
        writer.Line("int _column = 0;");
        var scalars = signatures.ScalarGradients.ToList();
        foreach (Segment input in inputs)
        {
            if (input.IsArray)
            {
                writer.Open($"for (int _i = 0; _i < {input.Buffer}.Length; _i++)");
                writer.Line($"jacobian[_row, _column++] = ({t}){input.Buffer}[_i];");
                writer.Close();
            }
            else
            {
                writer.Line($"jacobian[_row, _column++] = ({t}){ScalarGradient(signatures, scalars, input.Name)};");
            }
        }

        SetFlat(writer, outputs, "_row", "0");
        writer.Close();
        writer.Close();
        writer.Open("else");
        writer.Line("// Forward mode: each tangent moves one input by 1 and yields one column.");
        DeclareBuffers(writer, inputs.Concat(outputs));
        writer.Open("for (int _column = 0; _column < _inputs; _column++)");
        SetFlat(writer, inputs, "_column", "1");
        string tangentArguments = signatures.Join(
            new[] { signatures.InputArguments },
            method.Parameters.Where(p => p.IsDifferentiable).Select(p => "_" + p.Name + "Derivative"));
        writer.Line($"{(method.ReturnsValue ? "var _moved = " : string.Empty)}{name}Tangent({tangentArguments});");
        writer.Line("int _row = 0;");
        foreach (Segment output in outputs)
        {
            if (output.IsArray)
            {
                writer.Open($"for (int _i = 0; _i < {output.Buffer}.Length; _i++)");
                writer.Line($"jacobian[_row++, _column] = ({t}){output.Buffer}[_i];");
                writer.Close();
            }
            else
            {
                writer.Line($"jacobian[_row++, _column] = _moved.Tangent;");
            }
        }

        SetFlat(writer, inputs, "_column", "0");
        writer.Close();
        writer.Close();
        foreach (ScalarType type in scratchTypes)
        {
            writer.Line($"_{type.ToCSharp()}Scratch.Release(_{type.ToCSharp()}ScratchMark);");
        }

        writer.Close();
    }

    private static string ScalarGradient(Signatures signatures, List<ParameterIr> scalars, string parameter)
    {
        string gradient = signatures.Primal.ReturnsValue ? "_pulled.Gradient" : "_pulled";
        return scalars.Count == 1 ? gradient : $"{gradient}.{ExpressionPrinter.Identifier(parameter)}";
    }

    private static void DeclareOffsets(CodeWriter writer, List<Segment> segments, string total)
    {
        string previous = "0";
        foreach (Segment segment in segments)
        {
            writer.Line($"int {segment.Start} = {previous};");
            previous = $"{segment.Start} + {segment.Length}";
        }

        writer.Line($"int {total} = {previous};");
    }

    private static void DeclareBuffers(CodeWriter writer, IEnumerable<Segment> segments)
    {
        foreach (Segment segment in segments)
        {
            string c = segment.Element.ToCSharp();
            writer.Line(segment.IsArray
                ? $"{c}[] {segment.Buffer} = _{c}Scratch.Rent({segment.Length});"
                : $"{c} {segment.Buffer} = {ExpressionPrinter.Literal(0, segment.Element)};");
        }
    }

    /// <summary>Sets the element at a flat position across the segments (an array element or a scalar).</summary>
    private static void SetFlat(CodeWriter writer, List<Segment> segments, string position, string value)
    {
        for (int i = 0; i < segments.Count; i++)
        {
            Segment segment = segments[i];
            string end = i + 1 < segments.Count ? segments[i + 1].Start : null!;
            string keyword = i == 0 ? "if" : "else if";
            string assignment = segment.IsArray
                ? $"{segment.Buffer}[{position} - {segment.Start}] = {(value == "1" ? ExpressionPrinter.Literal(1, segment.Element) : ExpressionPrinter.Literal(0, segment.Element))};"
                : $"{segment.Buffer} = {(value == "1" ? ExpressionPrinter.Literal(1, segment.Element) : ExpressionPrinter.Literal(0, segment.Element))};";
            if (end is null)
            {
                writer.Line(i == 0 ? assignment : "else");
                if (i > 0)
                {
                    writer.Line("    " + assignment);
                }
            }
            else
            {
                writer.Line($"{keyword} ({position} < {end})");
                writer.Line("    " + assignment);
            }
        }
    }
}
