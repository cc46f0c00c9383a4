using System;
using System.Collections.Generic;
using System.IO;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Serialization;

/// <summary>
/// Saves a model's parameters as a safetensors file (one F32 tensor per parameter, named as in
/// <see cref="IParameterized.Parameters"/>, e.g. <c>Hidden1.W</c>) and loads them back into a model of the same
/// architecture. The files load in Python with <c>safetensors.numpy.load_file</c> or <c>safetensors.torch.load_file</c>.
/// </summary>
/// <example>
/// <code>
/// Checkpoint.Save(model, "mlp.safetensors");
/// var restored = new Mlp(seed: 0);
/// Checkpoint.Load(restored, "mlp.safetensors");
/// </code>
/// </example>
public static class Checkpoint
{
    /// <summary>
    /// Writes every parameter of <paramref name="model"/> to <paramref name="path"/>, atomically: into a temporary file
    /// beside it, flushed, then renamed over it, so a crash never leaves a half-written checkpoint.
    /// </summary>
    /// <param name="model">The model whose parameters to save.</param>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="metadata">Optional strings stored in the file's <c>__metadata__</c> (say, the epoch or the accuracy).</param>
    /// <exception cref="ArgumentException">Two parameters share a name.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Save(IParameterized model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        IReadOnlyList<NamedParameter> parameters = model.Parameters;
        var tensors = new List<NamedTensorData>(parameters.Count);
        foreach (NamedParameter parameter in parameters)
        {
            tensors.Add(new NamedTensorData(parameter.Name, parameter.Value.Shape, parameter.Value.ToArray()));
        }

        new SafetensorsFile(tensors, metadata).Save(path);
    }

    /// <summary>
    /// Overwrites every parameter of <paramref name="model"/> with the tensor of the same name in <paramref name="path"/>.
    /// Everything is checked before anything is written: if the file does not fit, the model is left as it was.
    /// </summary>
    /// <param name="model">The model to fill; its parameter tensors keep their identity and device, only their values change.</param>
    /// <param name="path">A safetensors file written by <see cref="Save"/> (or by any tool, with F32 tensors of these names).</param>
    /// <returns>The file's metadata strings (empty when it has none).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a valid safetensors file (truncated, corrupt header, another dtype), or it does not fit the model:
    /// a parameter has no tensor in the file, the file has a tensor the model lacks, or a shape differs. The message
    /// names the file and lists every problem.
    /// </exception>
    public static IReadOnlyDictionary<string, string> Load(IParameterized model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafetensorsFile file = SafetensorsFile.Load(path);
        IReadOnlyList<NamedParameter> parameters = model.Parameters;

        var problems = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var sources = new NamedTensorData[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            NamedParameter parameter = parameters[i];
            expected.Add(parameter.Name);
            if (!file.TryGetTensor(parameter.Name, out NamedTensorData? stored))
            {
                problems.Add($"it has no tensor '{parameter.Name}' for the model's parameter of shape {parameter.Value.ShapeText}");
            }
            else if (!stored.Shape.SequenceEqual(parameter.Value.Shape))
            {
                problems.Add($"tensor '{parameter.Name}' has shape {Shapes.Format(stored.Shape)} in the file but {parameter.Value.ShapeText} in the model");
            }
            else
            {
                sources[i] = stored;
            }
        }

        foreach (NamedTensorData stored in file.Tensors)
        {
            if (!expected.Contains(stored.Name))
            {
                problems.Add($"it has a tensor '{stored.Name}' of shape {Shapes.Format(stored.Shape)} that the model has no parameter for");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"Checkpoint '{path}' does not fit the model: {string.Join("; ", problems)}. The model was left unchanged.");
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            parameters[i].Value.CopyFrom(sources[i].Data);
        }

        return file.Metadata;
    }
}
