namespace AutoDiffGen.Data;

/// <summary>Which half of the MNIST distribution to load from a folder.</summary>
public enum MnistSplit
{
    /// <summary>The training set: <c>train-images-idx3-ubyte</c> and <c>train-labels-idx1-ubyte</c>.</summary>
    Train,

    /// <summary>The test set: <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>.</summary>
    Test,
}
