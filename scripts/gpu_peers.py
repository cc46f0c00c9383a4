#!/usr/bin/env python3
"""PyTorch peers for the ILGPU GPU check: the same ops and shapes as benchmarks/AutoDiffGen.GpuCheck,
timed the same way (warm-up, then CUDA events around each repetition, median), and the same MLP
training step (eager, and replayed as a CUDA graph) timed like the Tensor API's: repetitions of
back-to-back steps closed by a synchronisation, wall clock per step, median.

Usage: python3 scripts/gpu_peers.py <results.json> [--smoke]

One function per measurement, each returning JSON-ready data; main() runs them in turn and rewrites
the results file after each, so a run that is cut short keeps what it measured. Without CUDA (a
smoke run on a machine with only a CPU build of PyTorch) it runs on the CPU with wall-clock timing,
which proves the script, not the numbers.
"""
import json
import statistics
import sys
import time

import torch

WARMUPS = 3
REPETITIONS = 10
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def synchronize():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def median_ms(work, calls_per_repetition=1, warmups=WARMUPS, repetitions=REPETITIONS):
    """Median milliseconds per call of work(), measured with CUDA events on the current stream."""
    for _ in range(warmups):
        work()
    synchronize()
    samples = []
    for _ in range(repetitions):
        if DEVICE != "cuda":
            started = time.perf_counter()
            for _ in range(calls_per_repetition):
                work()
            samples.append((time.perf_counter() - started) * 1e3 / calls_per_repetition)
            continue
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(calls_per_repetition):
            work()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end) / calls_per_repetition)
    return statistics.median(samples)


def device_info():
    if DEVICE != "cuda":
        return {"name": "cpu (no CUDA: smoke run)", "torch": torch.__version__}
    props = torch.cuda.get_device_properties(0)
    return {
        "name": props.name,
        "multiprocessors": props.multi_processor_count,
        "memory_bytes": props.total_memory,
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "tf32_matmul_allowed": torch.backends.cuda.matmul.allow_tf32,
        "float32_matmul_precision": torch.get_float32_matmul_precision(),
    }


def elementwise(lengths, cols=1024):
    """Same ops, byte counts and shapes as ElementwiseBenchmark.cs."""
    results = []
    largest = max(lengths)
    x_all = torch.empty(largest, device=DEVICE).uniform_(-1, 1)
    dy_all = torch.empty(largest, device=DEVICE).uniform_(-1, 1)
    y_all = torch.empty(largest, device=DEVICE)
    dx_all = torch.empty(largest, device=DEVICE)
    row = torch.empty(cols, device=DEVICE).uniform_(-1, 1)
    for n in lengths:
        x, dy, y, dx = x_all[:n], dy_all[:n], y_all[:n], dx_all[:n]
        x2, y2, dy2 = x.view(-1, cols), y.view(-1, cols), dy.view(-1, cols)
        torch.sigmoid(x, out=y)
        f = 4 * n
        cases = [
            ("relu_forward", 2 * f, lambda: torch.clamp_min(x, 0, out=y)),
            ("tanh_forward", 2 * f, lambda: torch.tanh(x, out=y)),
            ("relu_backward", 3 * f, lambda: torch.ops.aten.threshold_backward.grad_input(dy, x, 0, grad_input=dx)),
            ("sigmoid_backward", 3 * f, lambda: torch.ops.aten.sigmoid_backward.grad_input(dy, y, grad_input=dx)),
            ("add", 3 * f, lambda: torch.add(x, dy, out=y)),
            ("mul_row_broadcast", 2 * f, lambda: torch.mul(x2, row, out=y2)),
            ("sum", f, lambda: torch.sum(x)),
            ("sum_over_rows", f, lambda: torch.sum(x2, dim=0)),
            # The peers of the generated swish kernels launched through GpuKernels (UserKernelBenchmark.cs).
            ("silu_forward", 2 * f, lambda: torch.ops.aten.silu.out(x, out=y)),
            ("silu_backward", 3 * f, lambda: torch.ops.aten.silu_backward.grad_input(dy, x, grad_input=dx)),
        ]
        for name, nbytes, work in cases:
            ms = median_ms(work)
            results.append({"op": name, "elements": n, "bytes": nbytes, "median_ms": ms, "gb_per_s": nbytes / ms / 1e6})
            print(f"  {name:<22} n={n:>10} {ms:9.3f} ms {nbytes / ms / 1e6:8.1f} GB/s", flush=True)
    return results


def matmul(sizes):
    """torch.matmul fp32 with TF32 off, square NN at each size, all four layouts at the largest."""
    results = []
    largest = max(sizes)
    a_all = torch.empty(largest * largest, device=DEVICE).uniform_(-1, 1)
    b_all = torch.empty(largest * largest, device=DEVICE).uniform_(-1, 1)
    for s in sizes:
        a = a_all[: s * s].view(s, s)
        b = b_all[: s * s].view(s, s)
        layouts = ["NN", "NT", "TN", "TT"] if s == largest else ["NN"]
        for layout in layouts:
            left = a.t() if layout[0] == "T" else a
            right = b.t() if layout[1] == "T" else b
            ms = median_ms(lambda: torch.matmul(left, right))
            tflops = 2 * s**3 / ms / 1e9
            results.append({"m": s, "n": s, "k": s, "layout": layout, "median_ms": ms, "tflops": tflops})
            print(f"  matmul {layout} {s:5}^3 {ms:9.3f} ms {tflops:7.2f} TFLOP/s", flush=True)
    return results


def mlp_gemms(batches, widths):
    """The GEMMs of an MLP step, as GemmBenchmark.Mlp: Y = X W + b, dX = dY W^T, dW = X^T dY."""
    results = []
    for batch in batches:
        layers = []
        forward_total = backward_total = 0.0
        for inputs, outputs in zip(widths[:-1], widths[1:]):
            x = torch.empty(batch, inputs, device=DEVICE).uniform_(-1, 1)
            w = torch.empty(inputs, outputs, device=DEVICE).uniform_(-1, 1)
            bias = torch.empty(outputs, device=DEVICE).uniform_(-1, 1)
            dy = torch.empty(batch, outputs, device=DEVICE).uniform_(-1, 1)
            flops = 2.0 * batch * inputs * outputs
            t_forward = median_ms(lambda: torch.addmm(bias, x, w))
            t_input = median_ms(lambda: torch.matmul(dy, w.t()))
            t_weight = median_ms(lambda: torch.matmul(x.t(), dy))
            forward_total += t_forward
            backward_total += t_input + t_weight
            layers.append({
                "inputs": inputs, "outputs": outputs,
                "forward_ms": t_forward, "forward_tflops": flops / t_forward / 1e9,
                "grad_input_ms": t_input, "grad_input_tflops": flops / t_input / 1e9,
                "grad_weight_ms": t_weight, "grad_weight_tflops": flops / t_weight / 1e9,
            })
            print(f"  mlp batch {batch:6} {inputs:4}->{outputs:<4} fwd {t_forward:8.4f} ms dX {t_input:8.4f} ms dW {t_weight:8.4f} ms", flush=True)
        results.append({"batch": batch, "forward_ms": forward_total, "backward_ms": backward_total, "layers": layers})
    return results


def softmax_cross_entropy(shapes):
    """Per-row softmax cross-entropy with dense labels, its gradient, and softmax, as SoftmaxBenchmark.cs."""
    results = []
    for rows, cols in shapes:
        logits = torch.empty(rows, cols, device=DEVICE).uniform_(-5, 5)
        labels = torch.empty(rows, cols, device=DEVICE).uniform_(0, 0.2)
        dloss = torch.empty(rows, device=DEVICE).uniform_(-1, 1)

        def loss():
            return torch.nn.functional.cross_entropy(logits, labels, reduction="none")

        def gradient():
            # The same fused formula the ILGPU kernel computes, written as PyTorch ops.
            p = torch.softmax(logits, dim=1)
            return (p * labels.sum(dim=1, keepdim=True) - labels) * dloss[:, None]

        t_loss = median_ms(loss)
        t_grad = median_ms(gradient)
        t_softmax = median_ms(lambda: torch.softmax(logits, dim=1))
        nbytes = 4 * rows * cols
        results.append({
            "rows": rows, "cols": cols,
            "loss_ms": t_loss, "loss_gb_per_s": 2 * nbytes / t_loss / 1e6,
            "gradient_ms": t_grad, "gradient_gb_per_s": 3 * nbytes / t_grad / 1e6,
            "softmax_ms": t_softmax, "softmax_gb_per_s": 2 * nbytes / t_softmax / 1e6,
        })
        print(f"  softmax-xent [{rows}, {cols}] loss {t_loss:8.4f} ms grad {t_grad:8.4f} ms softmax {t_softmax:8.4f} ms", flush=True)
    return results


def mlp_step(batches, widths, learning_rate=0.01):
    """One SGD training step of the MLP (forward, backward, update) as TrainingStepBenchmark.cs times it, in eager mode
    and replayed as a captured CUDA graph; data staged on the device once."""
    results = []
    for batch in batches:
        torch.manual_seed(1)
        layers = []
        for inputs, outputs in zip(widths[:-1], widths[1:]):
            layers += [torch.nn.Linear(inputs, outputs), torch.nn.ReLU()]
        model = torch.nn.Sequential(*layers[:-1]).to(DEVICE)
        x = torch.rand(batch, widths[0], device=DEVICE)
        labels = (torch.arange(batch, device=DEVICE) % widths[-1])
        optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, foreach=True)

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(x), labels)
            loss.backward()
            optimizer.step()
            return loss

        steps = 4 if batch >= 10000 else 16
        first = step().item()
        results.append(timed_step("torch_eager", batch, widths, step, steps, first, lambda loss: loss.item()))
        if DEVICE == "cuda":
            try:
                results.append(graph_step(batch, widths, step, steps))
            except Exception as error:  # an older PyTorch or a capture problem: keep the eager numbers
                results.append({"implementation": "torch_cuda_graph", "batch": batch, "error": repr(error)})
        print(f"  mlp step batch {batch:6}: " + ", ".join(
            f"{r['implementation']} {r['median_ms']:.4f} ms" for r in results if r.get("batch") == batch and "median_ms" in r), flush=True)
    return results


def timed_step(name, batch, widths, run, steps, first, read_loss, repetitions=REPETITIONS):
    """Median wall-clock milliseconds per step over repetitions of `steps` back-to-back steps, each closed by a sync."""
    last = None
    for _ in range(WARMUPS):
        last = run()
    synchronize()
    samples = []
    for _ in range(repetitions):
        started = time.perf_counter()
        for _ in range(steps):
            last = run()
        synchronize()
        samples.append((time.perf_counter() - started) * 1e3 / steps)
    return {
        "implementation": name, "batch": batch, "widths": "-".join(map(str, widths)),
        "median_ms": statistics.median(samples), "min_ms": min(samples),
        "steps_per_repetition": steps, "repetitions": repetitions,
        "loss_first": first, "loss_last": read_loss(last),
    }


def graph_step(batch, widths, step, steps):
    """The same step captured once as a CUDA graph and replayed: PyTorch without its per-op launch overhead."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            step()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_loss = step()
    graph.replay()
    first = static_loss.item()

    def replay():
        graph.replay()
        return static_loss

    return timed_step("torch_cuda_graph", batch, widths, replay, steps, first, lambda loss: loss.item())


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    output = argv[1]
    smoke = "--smoke" in argv
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    if smoke:
        sizes = dict(lengths=[1 << 12], gemm=[64, 96], batches=[8], widths=[28, 16, 16, 10], softmax=[(24, 10)])
    else:
        sizes = dict(lengths=[1 << 26, 1 << 27, 1 << 28], gemm=[1024, 2048, 4096], batches=[100, 1000, 10000],
                     widths=[784, 256, 256, 10], softmax=[(10000, 10), (100000, 10), (4096, 1000)])
    started = time.time()
    results = {"device": device_info(), "smoke": smoke, "sections": {}}
    measurements = [
        ("mlp_step", lambda: mlp_step(sizes["batches"], sizes["widths"])),
        ("elementwise", lambda: elementwise(sizes["lengths"])),
        ("gemm", lambda: matmul(sizes["gemm"])),
        ("mlp_gemm", lambda: mlp_gemms(sizes["batches"], sizes["widths"])),
        ("softmax_cross_entropy", lambda: softmax_cross_entropy(sizes["softmax"])),
    ]
    failed = False
    for name, run in measurements:
        print(f"== {name}", flush=True)
        try:
            results["sections"][name] = run()
        except Exception as error:  # keep the other measurements
            failed = True
            print(f"  FAILED: {error!r}", flush=True)
            results["sections"][name] = {"error": repr(error)}
        if DEVICE == "cuda":
            torch.cuda.empty_cache()
        results["elapsed_s"] = time.time() - started
        with open(output, "w") as file:
            json.dump(results, file, indent=2)
    print(f"Results written to {output} ({time.time() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
