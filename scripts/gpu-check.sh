#!/usr/bin/env bash
# Runs ON THE GPU MACHINE (no .NET, no network; Python with PyTorch and JAX), in one call: unpacks the
# self-contained GPU check built here by scripts/build-gpu-bundle.sh (.gpu/gpucheck.tgz), runs it,
# then the PyTorch and JAX peers on the same shapes, then puts the results side by side.
# Everything lands in $OUT:
#   ilgpu.json / ilgpu.log     ILGPU: device, compile time, on-device correctness (kernels and the
#                              Tensor API's GPU device), MLP training step, elementwise, GEMM, softmax
#   peers.json / peers.log     PyTorch: the same measurements (TF32 off), MLP step eager and as a CUDA graph
#   jax.json / jax.log         JAX: the MLP step as one jax.jit (fp32 and default matmul precision)
#   mnist.log                  the MNIST sample trained on the GPU (--device cuda), its three ways side by side
#   summary.json / summary.txt ratios ILGPU/PyTorch and step times next to JAX's, and the MNIST accuracy
#   nvidia-smi.txt             the GPU and driver
#   ptxas.txt                  registers and spills per kernel (ptxas -v), when .gpu/ptx holds dumped PTX
# Each phase has a time limit, so the whole run stays within about five minutes, and every result
# file is rewritten as it goes, so a phase cut short keeps what it measured.
# Pass --smoke to run the tiny sizes (a quick end-to-end check of the pipeline). PYTHON picks the
# interpreter (default python3).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/.gpu/out}"
python="${PYTHON:-python3}"
mkdir -p "$out"
smoke=()
# Seconds per phase: the ILGPU check, the PyTorch peers, the JAX peer. A smoke run on a machine without a GPU
# simulates every GPU thread on the CPU and may take minutes; it gets room instead.
limits=(180 75 80 90)
mnist_args=(--device cuda --variant all)
if [ "${1:-}" = "--smoke" ]; then
  smoke=(--smoke)
  limits=(900 300 300 300)
  mnist_args=(--device ilgpu-cpu --epochs 1 --train-limit 200 --test-limit 100)
fi

status=0
started=$(date +%s)
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || echo "nvidia-smi failed" >> "$out/nvidia-smi.txt"

# cuBLAS for the products: PyTorch's and JAX's Python wheels (nvidia-cublas) ship it outside the loader's path, so
# point the runtime at the newest one found (AUTODIFFGEN_CUBLAS); without it the ILGPU kernels multiply.
if [ -z "${AUTODIFFGEN_CUBLAS:-}" ]; then
  found="$("$python" -c '
import glob, os, site
folders = site.getsitepackages() + [site.getusersitepackages()]
for path in sorted({p for f in folders for p in glob.glob(os.path.join(f, "nvidia", "**", "libcublas.so.*"), recursive=True)}):
    print(path)
' 2>/dev/null)"
  echo "$found" | sed 's/^/  found /'
  cublas="$(echo "$found" | tail -1)"
  if [ -n "$cublas" ]; then
    export AUTODIFFGEN_CUBLAS="$cublas"
  fi
fi
echo "== cuBLAS for the products: ${AUTODIFFGEN_CUBLAS:-none in the Python wheels, so the library path of the loader is tried}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if tar xzf "$root/.gpu/gpucheck.tgz" -C "$work"; then
  # The bundle is self-contained; no .NET install is needed. ILGPU finds libcuda.so.1 itself.
  export DOTNET_CLI_TELEMETRY_OPTOUT=1
  timeout "${limits[0]}" "$work/AutoDiffGen.GpuCheck" "${smoke[@]}" "$out/ilgpu.json" 2>&1 | tee "$out/ilgpu.log"
  status=$((status | PIPESTATUS[0]))
else
  echo "cannot unpack $root/.gpu/gpucheck.tgz (run scripts/build-gpu-bundle.sh first)" | tee "$out/ilgpu.log"
  status=1
fi
echo "== ILGPU check done after $(( $(date +%s) - started )) s"

timeout "${limits[1]}" "$python" "$root/scripts/gpu_peers.py" "$out/peers.json" "${smoke[@]}" 2>&1 | tee "$out/peers.log"
status=$((status | PIPESTATUS[0]))
echo "== PyTorch peers done after $(( $(date +%s) - started )) s"

timeout "${limits[2]}" "$python" "$root/scripts/gpu_peers_jax.py" "$out/jax.json" "${smoke[@]}" 2>&1 | tee "$out/jax.log"
status=$((status | PIPESTATUS[0]))
echo "== JAX peer done after $(( $(date +%s) - started )) s"

mnist="$work/mnist"
mkdir -p "$mnist"
if tar xzf "$root/.gpu/mnist.tgz" -C "$mnist"; then
  timeout "${limits[3]}" "$mnist/Mnist" "${mnist_args[@]}" --no-progress --save "$out/mnist-mlp.safetensors" 2>&1 | tee "$out/mnist.log"
  status=$((status | PIPESTATUS[0]))
else
  echo "cannot unpack $root/.gpu/mnist.tgz (run scripts/build-gpu-bundle.sh first)" | tee "$out/mnist.log"
  status=1
fi
echo "== MNIST sample done after $(( $(date +%s) - started )) s"

# Registers, shared memory and spills of the kernels as the GPU's own assembler builds them, where CUDA's compiler is
# installed: the PTX comes from the runtime's PTX tests run here with AUTODIFFGEN_PTX_DUMP=.gpu/ptx (optional).
ptxas="$(command -v ptxas || ls /usr/local/cuda*/bin/ptxas 2>/dev/null | head -1)"
if [ -n "$ptxas" ] && [ -d "$root/.gpu/ptx" ]; then
  for ptx in "$root"/.gpu/ptx/*.ptx; do
    echo "== $(basename "$ptx")"
    "$ptxas" -v -arch=sm_90 "$ptx" -o /dev/null 2>&1 | grep -E "registers|spill|smem" || true
  done > "$out/ptxas.txt" 2>&1
  echo "== ptxas -v of $(ls "$root"/.gpu/ptx/*.ptx | wc -l) kernels in ptxas.txt"
fi

"$python" "$root/scripts/gpu_summary.py" "$out" 2>&1 | tee "$out/summary.txt"

echo "gpu-check finished with status $status after $(( $(date +%s) - started )) s; results in $out"
exit "$status"
