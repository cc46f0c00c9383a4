using System;
using System.Collections.Generic;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// Runs the kernels on the device and compares with double-precision host references, since the
/// tests only ever run them on the CPU simulator. Inputs are generated on the device by
/// <see cref="DeviceFill"/>; the host recomputes the same values instead of copying them.
/// Errors are |got - expected| / max(|expected|, floor); tolerances catch bugs, not rounding.
/// </summary>
internal sealed class CorrectnessChecks(IlgpuDevice device, DeviceFill fill, CheckSizes sizes)
{
    private readonly AcceleratorStream _stream = device.Accelerator.DefaultStream;
    private readonly List<JsonRecord> _results = [];

    public bool AllPassed { get; private set; } = true;

    public List<JsonRecord> Run()
    {
        Guard("gemm", Gemm);
        Guard("unary", Unary);
        Guard("binary", Binary);
        Guard("reductions", Reductions);
        Guard("softmax", Softmax);
        return _results;
    }

    private void Guard(string name, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e)
        {
            Record(name, double.NaN, 0, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private void Gemm()
    {
        foreach (var library in GemmLibraries.Available(device))
        {
            GemmLibraries.With(device, library, () =>
            {
                string tag = GemmLibraries.Tag(library);
                foreach (var (m, n, k) in sizes.VerifyGemmShapes)
                {
                    foreach (bool ta in new[] { false, true })
                    {
                        foreach (bool tb in new[] { false, true })
                        {
                            CheckProduct(tag, ta, tb, m, n, k, withBias: false);
                        }
                    }

                    CheckProduct(tag, false, false, m, n, k, withBias: true);
                }
            });
        }
    }

    /// <summary>One product against a double-precision host reference; with a bias, through the dense-layer form.</summary>
    private void CheckProduct(string library, bool ta, bool tb, int m, int n, int k, bool withBias)
    {
        using var a = Fill(m * k, 41, -1f, 1f, out var ha);
        using var b = Fill(k * n, 42, -1f, 1f, out var hb);
        using var bias = Fill(n, 43, -1f, 1f, out var hbias);
        using var c = device.Allocate((long)m * n);
        if (withBias)
        {
            device.Gemm.GemmBias(_stream, ta, tb, m, n, k, a.View, b.View, bias.View, c.View);
        }
        else
        {
            device.Gemm.Gemm(_stream, ta, tb, m, n, k, 1f, a.View, b.View, 0f, c.View);
        }

        var got = Download(c.View);
        double error = 0;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = withBias ? hbias[j] : 0, magnitude = withBias ? Math.Abs(hbias[j]) : 0;
                for (int p = 0; p < k; p++)
                {
                    double product = (double)(ta ? ha[p * m + i] : ha[i * k + p]) * (tb ? hb[j * k + p] : hb[p * n + j]);
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                // Relative to the sum of |terms|: the natural scale of float32 accumulation error.
                error = Math.Max(error, Math.Abs(got[i * n + j] - sum) / Math.Max(magnitude, 1e-30));
            }
        }

        Record($"gemm[{library}] {(ta ? "T" : "N")}{(tb ? "T" : "N")}{(withBias ? "+bias" : "")} {m}x{n}x{k}", error, 1e-5);
    }

    private void Unary()
    {
        int length = sizes.VerifyLength;
        const float p = 1.7f;
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            bool positive = op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Pow;
            using var x = Fill(length, 51, positive ? 0.05f : -6f, positive ? 4f : 6f, out var hx);
            using var dy = Fill(length, 52, -1f, 1f, out var hdy);
            using var y = device.Allocate(length);
            using var dx = device.Allocate(length);
            device.Elementwise.Unary(_stream, op, x.View, y.View, p);
            device.Elementwise.UnaryGradient(_stream, op, x.View, y.View, dy.View, dx.View, accumulate: false, p);
            var gotY = Download(y.View);
            var gotDx = Download(dx.View);
            double forward = 0, gradient = 0;
            for (int i = 0; i < length; i++)
            {
                double v = hx[i];
                var (value, derivative) = op switch
                {
                    UnaryOp.Negate => (-v, -1.0),
                    UnaryOp.Exp => (Math.Exp(v), Math.Exp(v)),
                    UnaryOp.Log => (Math.Log(v), 1 / v),
                    UnaryOp.Sqrt => (Math.Sqrt(v), 0.5 / Math.Sqrt(v)),
                    UnaryOp.Pow => (Math.Pow(v, p), p * Math.Pow(v, p - 1)),
                    UnaryOp.Tanh => (Math.Tanh(v), 1 - Math.Tanh(v) * Math.Tanh(v)),
                    UnaryOp.Sigmoid => (1 / (1 + Math.Exp(-v)), Math.Exp(-v) / Math.Pow(1 + Math.Exp(-v), 2)),
                    UnaryOp.Relu => (Math.Max(v, 0), v > 0 ? 1.0 : 0.0),
                    _ => (p * v, (double)p),
                };
                // On CUDA, ILGPU computes log with lg2.approx: accurate to ~2e-7 absolute, so near
                // x = 1, where log x is near 0, it is judged by absolute error.
                forward = Math.Max(forward, RelativeError(gotY[i], value, op == UnaryOp.Log ? 1 : 1e-3));
                gradient = Math.Max(gradient, RelativeError(gotDx[i], derivative * hdy[i], 1));
            }

            Record($"unary {op} forward", forward, 1e-5);
            Record($"unary {op} gradient", gradient, 1e-5);
        }
    }

    private void Binary()
    {
        var (rows, cols) = sizes.VerifyBinaryShape;
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            using var a = Fill(rows * cols, 61, -2f, 2f, out var ha);
            using var b = Fill(cols, 62, op == BinaryOp.Divide ? 0.5f : -2f, 2f, out var hb);
            using var dc = Fill(rows * cols, 63, -1f, 1f, out var hdc);
            using var c = device.Allocate(rows * cols);
            using var da = device.Allocate(rows * cols);
            using var db = device.Allocate(rows * cols);
            device.Elementwise.Binary(_stream, op, a.View, b.View, c.View, rows, cols);
            device.Elementwise.BinaryGradient(_stream, op, BinaryOperand.A, a.View, b.View, dc.View, da.View, rows, cols, accumulate: false);
            device.Elementwise.BinaryGradient(_stream, op, BinaryOperand.B, a.View, b.View, dc.View, db.View, rows, cols, accumulate: false);
            var gotC = Download(c.View);
            var gotDa = Download(da.View);
            var gotDb = Download(db.View);
            double forward = 0, gradient = 0;
            for (int i = 0; i < rows * cols; i++)
            {
                double av = ha[i], bv = hb[i % cols], g = hdc[i];
                var (value, ga, gb) = op switch
                {
                    BinaryOp.Add => (av + bv, 1.0, 1.0),
                    BinaryOp.Subtract => (av - bv, 1.0, -1.0),
                    BinaryOp.Multiply => (av * bv, bv, av),
                    BinaryOp.Divide => (av / bv, 1 / bv, -av / (bv * bv)),
                    BinaryOp.Maximum => (Math.Max(av, bv), av >= bv ? 1.0 : 0.0, av >= bv ? 0.0 : 1.0),
                    _ => (Math.Min(av, bv), av <= bv ? 1.0 : 0.0, av <= bv ? 0.0 : 1.0),
                };
                forward = Math.Max(forward, RelativeError(gotC[i], value, 1e-3));
                gradient = Math.Max(gradient, Math.Max(RelativeError(gotDa[i], ga * g, 1), RelativeError(gotDb[i], gb * g, 1)));
            }

            Record($"binary {op} row-broadcast forward", forward, 1e-5);
            Record($"binary {op} gradients", gradient, 1e-5);
        }
    }

    private void Reductions()
    {
        var (rows, cols) = sizes.VerifyReductionShape;
        using var x = Fill(rows * cols, 71, -1f, 1f, out var hx);
        using var rowSums = device.Allocate(rows);
        using var rowMax = device.Allocate(rows);
        using var colSums = device.Allocate(cols);
        using var total = device.Allocate(1);
        using var mean = device.Allocate(1);
        device.Reductions.SumOverLastAxis(_stream, x.View, rowSums.View, rows, cols);
        device.Reductions.MaxOverLastAxis(_stream, x.View, rowMax.View, rows, cols);
        device.Reductions.SumOverRows(_stream, x.View, colSums.View, rows, cols);
        device.Reductions.Sum(_stream, x.View, total.View);
        device.Reductions.Mean(_stream, x.View, mean.View);
        var rs = new double[rows];
        var rm = new double[rows];
        var cs = new double[cols];
        double all = 0;
        for (int r = 0; r < rows; r++)
        {
            rm[r] = double.NegativeInfinity;
            for (int c = 0; c < cols; c++)
            {
                double v = hx[r * cols + c];
                rs[r] += v;
                rm[r] = Math.Max(rm[r], v);
                cs[c] += v;
                all += v;
            }
        }

        Record("sum over last axis", MaxError(Download(rowSums.View), rs, 10), 1e-5);
        Record("max over last axis", MaxError(Download(rowMax.View), rm, 1), 0);
        Record("sum over rows", MaxError(Download(colSums.View), cs, 10), 1e-5);
        Record("sum", MaxError(Download(total.View), [all], 100), 1e-5);
        Record("mean", MaxError(Download(mean.View), [all / (rows * cols)], 1e-3), 1e-4);
    }

    private void Softmax()
    {
        foreach (var (rows, cols) in sizes.VerifySoftmaxShapes)
        {
            using var x = Fill(rows * cols, 81, -20f, 20f, out var hx);
            using var dloss = Fill(rows, 82, -1f, 1f, out var hdl);
            var hl = new float[rows * cols];
            for (int r = 0; r < rows; r++)
            {
                hl[r * cols + (r * 7 % cols)] = 1f;
            }

            using var labels = device.Allocate(hl.Length);
            labels.View.CopyFromCPU(hl);
            using var probabilities = device.Allocate(rows * cols);
            using var loss = device.Allocate(rows);
            using var dlogits = device.Allocate(rows * cols);
            using var accuracy = device.Allocate(1);
            using var predicted = device.Accelerator.Allocate1D<int>(rows);
            device.Softmax.Softmax(_stream, x.View, probabilities.View, rows, cols);
            device.Softmax.SoftmaxCrossEntropy(_stream, x.View, labels.View, loss.View, rows, cols);
            device.Softmax.SoftmaxCrossEntropyGradient(_stream, x.View, labels.View, dloss.View, dlogits.View, rows, cols, accumulate: false);
            device.Classification.ArgMax(_stream, x.View, predicted.View, rows, cols);
            device.Classification.Accuracy(_stream, x.View, labels.View, accuracy.View, rows, cols);

            var p = new double[rows * cols];
            var l = new double[rows];
            var g = new double[rows * cols];
            var argmax = new int[rows];
            int correct = 0;
            for (int r = 0; r < rows; r++)
            {
                double max = double.NegativeInfinity;
                for (int c = 0; c < cols; c++)
                {
                    if (hx[r * cols + c] > max)
                    {
                        max = hx[r * cols + c];
                        argmax[r] = c;
                    }
                }

                double sum = 0;
                for (int c = 0; c < cols; c++)
                {
                    sum += Math.Exp(hx[r * cols + c] - max);
                }

                for (int c = 0; c < cols; c++)
                {
                    int i = r * cols + c;
                    p[i] = Math.Exp(hx[i] - max) / sum;
                    l[r] -= hl[i] * Math.Log(p[i]);
                    g[i] = (p[i] - hl[i]) * hdl[r];
                }

                correct += argmax[r] == r * 7 % cols ? 1 : 0;
            }

            string shape = $"[{rows}, {cols}]";
            Record($"softmax {shape}", MaxError(Download(probabilities.View), p, 1e-3), 1e-5);
            Record($"softmax cross-entropy {shape}", MaxError(Download(loss.View), l, 1), 1e-5);
            Record($"softmax cross-entropy gradient {shape}", MaxError(Download(dlogits.View), g, 1), 1e-5);
            device.Synchronize();
            var gotArgMax = predicted.View.GetAsArray1D();
            int mismatches = 0;
            for (int r = 0; r < rows; r++)
            {
                mismatches += gotArgMax[r] == argmax[r] ? 0 : 1;
            }

            Record($"argmax {shape} mismatched rows", mismatches, 0);
            Record($"accuracy {shape}", Math.Abs(Download(accuracy.View)[0] - (double)correct / rows), 1e-6);
        }
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Fill(int length, uint seed, float low, float high, out float[] host)
    {
        var buffer = device.Allocate(length);
        fill.Run(_stream, buffer.View.BaseView, seed, low, high);
        host = new float[length];
        for (int i = 0; i < length; i++)
        {
            host[i] = DeviceFill.ValueAt(i, seed, low, high);
        }

        return buffer;
    }

    private float[] Download(ArrayView1D<float, Stride1D.Dense> view)
    {
        device.Synchronize();
        return view.GetAsArray1D();
    }

    private static double RelativeError(double got, double expected, double floor) =>
        Math.Abs(got - expected) / Math.Max(Math.Abs(expected), floor);

    private static double MaxError(float[] got, double[] expected, double floor)
    {
        double error = 0;
        for (int i = 0; i < got.Length; i++)
        {
            double e = RelativeError(got[i], expected[i], floor);
            error = double.IsNaN(e) ? double.PositiveInfinity : Math.Max(error, e);
        }

        return error;
    }

    private void Record(string name, double error, double tolerance, string? failure = null)
    {
        bool pass = failure is null && error <= tolerance;
        AllPassed &= pass;
        var record = new JsonRecord().Add("check", name).Add("max_error", error).Add("tolerance", tolerance).Add("pass", pass);
        if (failure is not null)
        {
            record.Add("failure", failure);
        }

        _results.Add(record);
        Console.WriteLine($"  {(pass ? "ok  " : "FAIL")} {name,-48} error {error:E2} (tolerance {tolerance:E0}){(failure is null ? "" : " " + failure)}");
    }
}
