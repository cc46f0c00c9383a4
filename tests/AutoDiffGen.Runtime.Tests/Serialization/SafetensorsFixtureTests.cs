using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoDiffGen.Serialization;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Serialization;

/// <summary>
/// Files written by an independent implementation (Serialization/Fixtures/make_safetensors_fixtures.py,
/// written from the format description with Python's struct and json modules).
/// </summary>
public class SafetensorsFixtureTests
{
    private static string Fixture(string name) => RepositoryPaths.Combine("tests/AutoDiffGen.Runtime.Tests/Serialization/Fixtures/" + name);

    // The content both fixtures hold, as the script defines it.
    private static readonly Dictionary<string, (int[] Shape, float[] Data)> s_expected = new()
    {
        ["empty"] = ([0, 4], []),
        ["layer.bias"] = ([3], [0.5f, -1.25f, 3f]),
        ["layer.weight"] = ([2, 3], [1f, -2f, 0.1f, float.Epsilon, float.MaxValue, -0f]),
        ["step"] = ([], [42f]),
        ["\u03c0"] = ([1], [3.14159265f]),
    };

    private static void AssertFixtureContent(SafetensorsFile file)
    {
        Assert.Equal(s_expected.Keys.Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name));
        foreach ((string name, (int[] shape, float[] data)) in s_expected)
        {
            NamedTensorData tensor = file[name];
            Assert.Equal(shape, tensor.Shape.ToArray());
            Assert.Equal(data.Select(BitConverter.SingleToInt32Bits), tensor.Data.Select(BitConverter.SingleToInt32Bits));
        }

        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "fixture for AutoDiffGen tests" }, file.Metadata);
    }

    [Fact]
    public void ReadsTheCanonicalFixture() => AssertFixtureContent(SafetensorsFile.Load(Fixture("python_canonical.safetensors")));

    [Fact]
    public void ReadsTheScrambledFixture()
    {
        // Header keys out of data order, metadata last, indented JSON with \u escapes, no padding.
        AssertFixtureContent(SafetensorsFile.Load(Fixture("python_scrambled.safetensors")));
    }

    [Fact]
    public void WritesTheSameBytesAsTheIndependentWriter()
    {
        SafetensorsFile fromPython = SafetensorsFile.Load(Fixture("python_canonical.safetensors"));
        var rebuilt = new SafetensorsFile(
            s_expected.Select(entry => new NamedTensorData(entry.Key, entry.Value.Shape, entry.Value.Data)),
            fromPython.Metadata);
        using var written = new MemoryStream();

        rebuilt.WriteTo(written);

        Assert.Equal(File.ReadAllBytes(Fixture("python_canonical.safetensors")), written.ToArray());
    }
}
