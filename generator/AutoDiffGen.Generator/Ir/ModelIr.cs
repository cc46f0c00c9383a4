namespace AutoDiffGen.Generator.Ir;

/// <summary>A <c>[Parameter]</c> field: a tensor, or a dense layer (which holds W and B).</summary>
internal sealed record ModelMember(string Name, bool IsLayer);

/// <summary>A class with <c>[Parameter]</c> fields: what the generator needs to list them and mirror them as gradients.</summary>
internal sealed record ModelIr(ContainingType ContainingType, EquatableArray<ModelMember> Members, SourceSpan? Span);
