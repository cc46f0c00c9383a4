#!/usr/bin/env python3
"""JAX peer for the ILGPU GPU check: the MLP training step of TrainingStepBenchmark.cs (forward,
backward and SGD update of a Dense/ReLU MLP with softmax cross-entropy) as one jax.jit of
value_and_grad plus the update, with the parameters donated so the update is in place. Timed like
the Tensor API's step: warm-up (which compiles), then repetitions of back-to-back steps closed by
block_until_ready, wall clock per step, median.

Two precisions: "highest" (true fp32 matmuls, like the ILGPU kernels and PyTorch with TF32 off) and
JAX's default (which lets XLA use TF32 tensor cores on recent GPUs).

Usage: python3 scripts/gpu_peers_jax.py <results.json> [--smoke]

Runs in its own process (gpu-check.sh starts it after PyTorch's peers): JAX would otherwise share the
GPU's memory with PyTorch, and it preallocates most of it unless told not to, as here.
"""
import json
import os
import statistics
import sys
import time

os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")

WARMUPS = 3
REPETITIONS = 10


def init_params(key, widths):
    import jax
    import jax.numpy as jnp

    params = []
    for inputs, outputs in zip(widths[:-1], widths[1:]):
        key, sub = jax.random.split(key)
        w = jax.random.truncated_normal(sub, -2.0, 2.0, (inputs, outputs), jnp.float32) * jnp.sqrt(2.0 / inputs)
        params.append((w, jnp.zeros((outputs,), jnp.float32)))
    return params


def make_step(learning_rate):
    import jax
    import jax.numpy as jnp

    def loss_fn(params, x, labels):
        h = x
        for w, b in params[:-1]:
            h = jax.nn.relu(h @ w + b)
        w, b = params[-1]
        logits = h @ w + b
        return -jnp.mean(jnp.sum(labels * jax.nn.log_softmax(logits), axis=-1))

    def step(params, x, labels):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, labels)
        params = jax.tree_util.tree_map(lambda p, g: p - learning_rate * g, params, grads)
        return params, loss

    return jax.jit(step, donate_argnums=0)


def mlp_step(batches, widths, precision, learning_rate=0.01):
    import jax
    import jax.numpy as jnp

    results = []
    with jax.default_matmul_precision(precision):
        for batch in batches:
            key = jax.random.PRNGKey(1)
            params = init_params(key, widths)
            x = jax.random.uniform(jax.random.PRNGKey(2), (batch, widths[0]), jnp.float32)
            labels = jax.nn.one_hot(jnp.arange(batch) % widths[-1], widths[-1], dtype=jnp.float32)
            step = make_step(learning_rate)

            compile_started = time.perf_counter()
            params, loss = step(params, x, labels)
            first = float(loss)
            compile_s = time.perf_counter() - compile_started
            for _ in range(WARMUPS):
                params, loss = step(params, x, labels)
            jax.block_until_ready(params)

            steps = 4 if batch >= 10000 else 16
            samples = []
            for _ in range(REPETITIONS):
                started = time.perf_counter()
                for _ in range(steps):
                    params, loss = step(params, x, labels)
                jax.block_until_ready((params, loss))
                samples.append((time.perf_counter() - started) * 1e3 / steps)
            name = "jax_jit_fp32" if precision == "highest" else f"jax_jit_{precision}_precision"
            results.append({
                "implementation": name, "batch": batch, "widths": "-".join(map(str, widths)),
                "matmul_precision": precision, "median_ms": statistics.median(samples), "min_ms": min(samples),
                "steps_per_repetition": steps, "repetitions": REPETITIONS, "first_call_s": compile_s,
                "loss_first": first, "loss_last": float(loss),
            })
            print(f"  {name:<28} batch {batch:6}: {results[-1]['median_ms']:.4f} ms/step, loss {first:.4f} -> {float(loss):.4f}", flush=True)
    return results


def device_info():
    import jax

    device = jax.devices()[0]
    return {"jax": jax.__version__, "platform": device.platform, "device_kind": getattr(device, "device_kind", str(device))}


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    output = argv[1]
    smoke = "--smoke" in argv
    batches, widths = ([8], [28, 16, 16, 10]) if smoke else ([100, 1000, 10000], [784, 256, 256, 10])
    started = time.time()
    results = {"smoke": smoke, "sections": {}}

    def write():
        results["elapsed_s"] = time.time() - started
        with open(output, "w") as file:
            json.dump(results, file, indent=2)

    try:
        results["device"] = device_info()
    except Exception as error:  # no JAX here: say so in the results rather than only on stderr
        results["error"] = repr(error)
        write()
        print(f"JAX unavailable: {error!r}", flush=True)
        return 1

    failed = False
    steps = []
    for precision in ("highest", "default"):
        print(f"== mlp_step ({precision} matmul precision)", flush=True)
        try:
            steps += mlp_step(batches, widths, precision)
        except Exception as error:
            failed = True
            print(f"  FAILED: {error!r}", flush=True)
            steps.append({"implementation": f"jax_jit_{precision}", "error": repr(error)})
        results["sections"]["mlp_step"] = steps
        write()
    print(f"Results written to {output} ({time.time() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
