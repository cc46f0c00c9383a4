using System;

namespace AutoDiffGen;

/// <summary>
/// The argument checks every op runs before dispatching to a backend, with messages that name the op and the shapes
/// or devices involved. Checks allocate only when they throw.
/// </summary>
internal static class OpChecks
{
    public static void NotNull(string op, Tensor? tensor, string name)
    {
        if (tensor is null)
        {
            throw new ArgumentNullException(name, $"{op}: {name} is null.");
        }
    }

    /// <summary>Throws unless every non-null tensor is on the device of <paramref name="first"/>.</summary>
    public static void SameDevice(string op, Tensor first, Tensor? second, Tensor? third = null, Tensor? fourth = null, Tensor? fifth = null, Tensor? sixth = null)
    {
        Check(second);
        Check(third);
        Check(fourth);
        Check(fifth);
        Check(sixth);

        void Check(Tensor? other)
        {
            if (other is not null && !ReferenceEquals(other.Device, first.Device))
            {
                throw new ArgumentException($"{op}: tensors are on different devices ({first.Device.Name} and {other.Device.Name}); move them to one device first.");
            }
        }
    }

    /// <summary>Throws unless <paramref name="destination"/> has exactly the result's shape.</summary>
    public static void Destination(string op, Tensor destination, ReadOnlySpan<int> expected, string name = "destination")
    {
        if (!Shapes.Equal(destination.Shape, expected))
        {
            throw new ArgumentException($"{op}: {name} has shape {destination.ShapeText} but the result has shape {Shapes.Format(expected)}.", name);
        }
    }

    /// <summary>Throws unless two tensors have the same shape.</summary>
    public static void SameShape(string op, Tensor first, string firstName, Tensor second, string secondName)
    {
        if (!Shapes.Equal(first.Shape, second.Shape))
        {
            throw new ArgumentException($"{op}: {firstName} has shape {first.ShapeText} but {secondName} has shape {second.ShapeText}; they must match.");
        }
    }

    /// <summary>Throws when <paramref name="output"/> shares storage with an input it must not overwrite while reading.</summary>
    public static void NoSharedStorage(string op, Tensor output, string outputName, Tensor input, string inputName)
    {
        if (ReferenceEquals(output.Storage, input.Storage))
        {
            throw new ArgumentException($"{op}: {outputName} shares storage with {inputName}; use a separate tensor.");
        }
    }

    /// <summary>Normalizes axes (negative counts from the end) into a bit mask; throws on an axis out of range or repeated.</summary>
    public static int AxesMask(string op, Tensor x, ReadOnlySpan<int> axes)
    {
        int mask = 0;
        foreach (int given in axes)
        {
            int axis = given < 0 ? given + x.Rank : given;
            if ((uint)axis >= (uint)x.Rank)
            {
                throw new ArgumentException($"{op}: axis {given} is out of range for shape {x.ShapeText}.");
            }

            if ((mask & (1 << axis)) != 0)
            {
                throw new ArgumentException($"{op}: axis {given} is given more than once for shape {x.ShapeText}.");
            }

            mask |= 1 << axis;
        }

        return mask;
    }

    /// <summary>Normalizes one axis; throws when it is out of range.</summary>
    public static int Axis(string op, Tensor x, int given)
    {
        int axis = given < 0 ? given + x.Rank : given;
        if ((uint)axis >= (uint)x.Rank)
        {
            throw new ArgumentException($"{op}: axis {given} is out of range for shape {x.ShapeText}.");
        }

        return axis;
    }

    /// <summary>Writes the shape of a reduction of <paramref name="input"/> over <paramref name="axesMask"/> and returns its rank.</summary>
    public static int ReducedShape(ReadOnlySpan<int> input, int axesMask, bool keepDims, Span<int> result)
    {
        int rank = 0;
        for (int axis = 0; axis < input.Length; axis++)
        {
            if ((axesMask & (1 << axis)) == 0)
            {
                result[rank++] = input[axis];
            }
            else if (keepDims)
            {
                result[rank++] = 1;
            }
        }

        return rank;
    }

    /// <summary>Throws unless a tensor's rank is one of the allowed ones.</summary>
    public static void Rank(string op, Tensor tensor, string name, int rank)
    {
        if (tensor.Rank != rank)
        {
            throw new ArgumentException($"{op}: {name} has shape {tensor.ShapeText} but must be {rank}-D.");
        }
    }
}
