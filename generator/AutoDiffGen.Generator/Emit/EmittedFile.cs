using AutoDiffGen.Generator.Diagnostics;

namespace AutoDiffGen.Generator.Emit;

/// <summary>A generated source file, or the failure that prevented it: what the emit step hands to the compiler.</summary>
internal sealed record EmittedFile(string HintName, string Text, DiagnosticInfo? Failure);
