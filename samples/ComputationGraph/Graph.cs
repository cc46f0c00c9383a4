using System;
using AutoDiffGen;

namespace ComputationGraph;

/// <summary>The seed talk's computation graph (slides 10 to 43): a(x, w, b) = relu(w·x + b).</summary>
public static partial class Graph
{
    /// <summary>One neuron with one input: u = w·x, v = u + b, a = relu(v).</summary>
    [Differentiable]
    public static float Activation(float x, float w, float b)
    {
        var u = w * x;          // slide 13
        var v = u + b;
        return MathF.Max(v, 0); // relu
    }

    /// <summary>The intermediate nodes, as the talk's session.run([u, v, a]) prints them.</summary>
    public static (float U, float V, float A) Nodes(float x, float w, float b)
    {
        float u = w * x;
        float v = u + b;
        return (u, v, MathF.Max(v, 0));
    }
}
