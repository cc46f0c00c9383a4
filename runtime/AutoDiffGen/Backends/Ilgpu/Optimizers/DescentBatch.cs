using ILGPU;

namespace AutoDiffGen.Backends.Ilgpu.Optimizers;

/// <summary>
/// Up to <see cref="Capacity"/> parameter tensors and their gradients for one launch of
/// <see cref="OptimizerKernel.Descent"/>: the tensors' elements are numbered one after another, tensor t holding
/// elements [End(t − 1), End(t)). Slots past <see cref="Count"/> repeat the first tensor with an empty range.
/// Fields rather than arrays: a kernel parameter cannot hold an array, but it can hold views.
/// </summary>
internal struct DescentBatch
{
    public const int Capacity = 8;

    public ArrayView<float> W0, W1, W2, W3, W4, W5, W6, W7;
    public ArrayView<float> G0, G1, G2, G3, G4, G5, G6, G7;
    public int End0, End1, End2, End3, End4, End5, End6, End7;

    /// <summary>How many slots hold tensors.</summary>
    public int Count;

    /// <summary>−learning rate: each element becomes w + Scale · g, as <c>AddScaled(w, −lr, g, w)</c> computes it.</summary>
    public float Scale;

    /// <summary>Elements of all tensors together.</summary>
    public readonly int Total => End7;

    /// <summary>Puts <paramref name="weights"/> and <paramref name="gradients"/> (dense, of one length) in the next slot.</summary>
    public void Add(ArrayView<float> weights, ArrayView<float> gradients)
    {
        int start = Count == 0 ? 0 : End7;
        int end = checked(start + (int)weights.Length);
        if (Count == 0)
        {
            // Every slot starts as the first tensor with an empty range, so unused slots are valid views never read.
            W0 = W1 = W2 = W3 = W4 = W5 = W6 = W7 = weights;
            G0 = G1 = G2 = G3 = G4 = G5 = G6 = G7 = gradients;
        }

        switch (Count)
        {
            case 0: (W0, G0) = (weights, gradients); break;
            case 1: (W1, G1) = (weights, gradients); break;
            case 2: (W2, G2) = (weights, gradients); break;
            case 3: (W3, G3) = (weights, gradients); break;
            case 4: (W4, G4) = (weights, gradients); break;
            case 5: (W5, G5) = (weights, gradients); break;
            case 6: (W6, G6) = (weights, gradients); break;
            default: (W7, G7) = (weights, gradients); break;
        }

        // This slot and every later one end here until the next tensor moves them on.
        for (int slot = Count; slot < Capacity; slot++)
        {
            SetEnd(slot, end);
        }

        Count++;
    }

    private void SetEnd(int slot, int end)
    {
        switch (slot)
        {
            case 0: End0 = end; break;
            case 1: End1 = end; break;
            case 2: End2 = end; break;
            case 3: End3 = end; break;
            case 4: End4 = end; break;
            case 5: End5 = end; break;
            case 6: End6 = end; break;
            default: End7 = end; break;
        }
    }
}
