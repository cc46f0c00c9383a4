using System.Runtime.InteropServices;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Four consecutive floats, loaded and stored as one 16-byte access. Kernels read a float view
/// through <c>view.Cast&lt;Float4&gt;().AsAligned16()</c>, which lets ILGPU's PTX backend emit
/// <c>ld.global.v4.f32</c>; it stands in for <c>System.Numerics.Vector4</c>, which kernels avoid.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Float4
{
    public float X;
    public float Y;
    public float Z;
    public float W;

    public Float4(float x, float y, float z, float w)
    {
        X = x;
        Y = y;
        Z = z;
        W = w;
    }
}
