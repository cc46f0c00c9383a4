#!/usr/bin/env python3
"""Puts the GPU check's results side by side: ILGPU (ilgpu.json) against PyTorch (peers.json) and
JAX (jax.json), as ratios measured in the same run on the same GPU. Writes summary.json and prints
a table; a missing or failed part shows as null.

Usage: python3 scripts/gpu_summary.py <results folder>
"""
import json
import os
import sys

# ILGPU op (elementwise and user_kernels sections) -> the PyTorch op doing the same work.
ELEMENTWISE_PEERS = {
    "relu_forward": "relu_forward", "tanh_forward": "tanh_forward", "relu_backward": "relu_backward",
    "sigmoid_backward": "sigmoid_backward", "add": "add", "mul_row_broadcast": "mul_row_broadcast",
    "sum": "sum", "sum_over_rows": "sum_over_rows",
    "swish_forward": "silu_forward", "swish_backward": "silu_backward",
    "tensor_relu_forward": "relu_forward", "tensor_relu_backward": "relu_backward",
}


def load(folder, name):
    try:
        with open(os.path.join(folder, name)) as file:
            return json.load(file)
    except (OSError, ValueError):
        return {}


def rows(results, section):
    value = results.get("sections", {}).get(section)
    return value if isinstance(value, list) else []


def ratio(a, b):
    return a / b if a and b else None


def mnist_results(folder):
    """The MNIST sample's final lines per way ("| (c) ... | cost | accuracy | time |"), or its one accuracy line."""
    try:
        with open(os.path.join(folder, "mnist.log")) as file:
            lines = file.read().splitlines()
    except OSError:
        return None
    table = [line for line in lines if line.startswith("| (")]
    return {"device": next((l for l in lines if l.startswith("Device:")), None),
            "ways": table or [l for l in lines if l.startswith("Test accuracy:")]}


def summarize(folder):
    ilgpu, torch, jax = load(folder, "ilgpu.json"), load(folder, "peers.json"), load(folder, "jax.json")
    torch_elementwise = {(r["op"], r["elements"]): r for r in rows(torch, "elementwise")}
    elementwise = []
    for section in ("elementwise", "user_kernels"):
        for r in rows(ilgpu, section):
            peer = torch_elementwise.get((ELEMENTWISE_PEERS.get(r["op"]), r["elements"]), {})
            elementwise.append({
                "op": r["op"], "via": section, "elements": r["elements"], "ilgpu_gb_per_s": r["gb_per_s"],
                "torch_op": ELEMENTWISE_PEERS.get(r["op"]), "torch_gb_per_s": peer.get("gb_per_s"),
                "ilgpu_over_torch": ratio(r["gb_per_s"], peer.get("gb_per_s")),
            })

    torch_gemm = {(r["m"], r["layout"]): r for r in rows(torch, "gemm")}
    gemm = []
    for r in rows(ilgpu, "gemm"):
        peer = torch_gemm.get((r["m"], r["layout"]), {})
        gemm.append({"library": r.get("library", "ilgpu"), "size": r["m"], "layout": r["layout"],
                     "ilgpu_tflops": r["tflops"], "torch_tflops": peer.get("tflops"),
                     "ilgpu_over_torch": ratio(r["tflops"], peer.get("tflops"))})

    steps = rows(ilgpu, "mlp_step") + rows(torch, "mlp_step") + rows(jax, "mlp_step")
    mlp = {}
    for r in steps:
        if "median_ms" in r:
            mlp.setdefault(r["batch"], {})[r["implementation"]] = r["median_ms"]
    for batch, times in mlp.items():
        jax_ms = times.get("jax_jit_fp32")
        for name, ms in list(times.items()):
            if name.startswith("tensor_api") or name.startswith("generated_plan"):
                times[f"{name}_over_jax_jit_fp32"] = ratio(ms, jax_ms)

    summary = {
        "mnist": mnist_results(folder),
        "device": ilgpu.get("report", {}).get("device", {}).get("name"),
        "torch_device": torch.get("device", {}).get("name"),
        "jax_device": jax.get("device", {}).get("device_kind"),
        "elementwise": elementwise, "gemm": gemm, "mlp_step_ms": {str(k): v for k, v in sorted(mlp.items())},
    }
    with open(os.path.join(folder, "summary.json"), "w") as file:
        json.dump(summary, file, indent=2)
    return summary


def show(summary):
    def fmt(value, digits=2):
        return "-" if value is None else f"{value:.{digits}f}"

    print(f"GPU: {summary['device']} (PyTorch: {summary['torch_device']}, JAX: {summary['jax_device']})")
    print("elementwise GB/s            elements      ILGPU      torch   ratio")
    for r in summary["elementwise"]:
        print(f"  {r['op']:<24} {r['elements']:>10} {fmt(r['ilgpu_gb_per_s'], 1):>10} {fmt(r['torch_gb_per_s'], 1):>10} {fmt(r['ilgpu_over_torch']):>7}")
    print("gemm TFLOP/s (fp32)                ours      torch   ratio")
    for r in summary["gemm"]:
        print(f"  {r['library']:<6} {r['layout']} {r['size']:>5}^3 {fmt(r['ilgpu_tflops']):>14} {fmt(r['torch_tflops']):>10} {fmt(r['ilgpu_over_torch']):>7}")
    print("mlp training step, ms per step")
    for batch, times in summary["mlp_step_ms"].items():
        print(f"  batch {batch:>6}: " + ", ".join(f"{name} {fmt(ms, 4)}" for name, ms in times.items()))
    if summary["mnist"]:
        print(f"mnist sample: {summary['mnist']['device']}")
        for line in summary["mnist"]["ways"]:
            print(f"  {line}")


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    show(summarize(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
