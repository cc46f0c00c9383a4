using System;
using System.Collections.Generic;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Optim;

/// <summary>The checks every optimizer makes before touching a tensor: gradients and state line up with the parameters.</summary>
internal static class ParameterMatching
{
    /// <summary>Throws unless <paramref name="gradients"/> has one tensor per parameter, in order, with the same name, shape and device.</summary>
    public static void Check(string op, IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedParameter> gradients)
    {
        for (int i = 0; i < Math.Min(parameters.Count, gradients.Count); i++)
        {
            NamedParameter parameter = parameters[i], gradient = gradients[i];
            if (!string.Equals(parameter.Name, gradient.Name, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"{op}: parameter {i} of the model is '{parameter.Name}' but gradient {i} is '{gradient.Name}'; " +
                    "pass the gradients made for this model (model.CreateGradients()), whose tensors follow the parameters' order.",
                    "gradients");
            }

            if (!parameter.Value.Shape.SequenceEqual(gradient.Value.Shape))
            {
                throw new ArgumentException(
                    $"{op}: parameter '{parameter.Name}' has shape {parameter.Value.ShapeText} but its gradient has shape {gradient.Value.ShapeText}.",
                    "gradients");
            }

            if (parameter.Value.Device != gradient.Value.Device)
            {
                throw new ArgumentException(
                    $"{op}: parameter '{parameter.Name}' is on {parameter.Value.Device} but its gradient is on {gradient.Value.Device}.",
                    "gradients");
            }

            if (ReferenceEquals(parameter.Value.Storage, gradient.Value.Storage))
            {
                throw new ArgumentException($"{op}: parameter '{parameter.Name}' and its gradient share storage; the gradient must be a separate tensor.", "gradients");
            }
        }

        if (parameters.Count != gradients.Count)
        {
            string extra = parameters.Count > gradients.Count
                ? $"parameter '{parameters[gradients.Count].Name}' has no gradient"
                : $"gradient '{gradients[parameters.Count].Name}' has no parameter";
            throw new ArgumentException(
                $"{op}: the model has {parameters.Count} parameters but the gradients have {gradients.Count} tensors; {extra}.",
                "gradients");
        }
    }

    /// <summary>
    /// Throws unless <paramref name="parameters"/> still match the names and shapes the optimizer made its state for;
    /// <paramref name="state"/> holds one tensor per parameter, shaped like it.
    /// </summary>
    public static void CheckState(string op, IReadOnlyList<NamedParameter> parameters, string[] names, Tensor[] state)
    {
        if (parameters.Count != names.Length)
        {
            throw new ArgumentException(
                $"{op}: this optimizer was first used with {names.Length} parameters ('{string.Join("', '", names)}'), now it is given {parameters.Count}; " +
                "use one optimizer per model.",
                "model");
        }

        for (int i = 0; i < names.Length; i++)
        {
            NamedParameter parameter = parameters[i];
            if (!string.Equals(parameter.Name, names[i], StringComparison.Ordinal) || !parameter.Value.Shape.SequenceEqual(state[i].Shape))
            {
                throw new ArgumentException(
                    $"{op}: parameter {i} is '{parameter.Name}' {parameter.Value.ShapeText}, but this optimizer's state was made for " +
                    $"'{names[i]}' {state[i].ShapeText} on its first step; use one optimizer per model.",
                    "model");
            }

            if (parameter.Value.Device != state[i].Device)
            {
                throw new ArgumentException(
                    $"{op}: parameter '{parameter.Name}' is on {parameter.Value.Device} but this optimizer's state for it is on {state[i].Device}.",
                    "model");
            }
        }
    }

    /// <summary>The parameters' names, to recognise them on later steps.</summary>
    public static string[] Names(IReadOnlyList<NamedParameter> parameters)
    {
        var names = new string[parameters.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = parameters[i].Name;
        }

        return names;
    }

    /// <summary>One zero tensor shaped like each parameter, on its device.</summary>
    public static Tensor[] ZerosLike(IReadOnlyList<NamedParameter> parameters)
    {
        var state = new Tensor[parameters.Count];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = Tensor.ZerosLike(parameters[i].Value);
        }

        return state;
    }
}
