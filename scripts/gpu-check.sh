#!/usr/bin/env bash
# Runs ON THE GPU MACHINE (no .NET, no network; Python with PyTorch): unpacks the self-contained
# GPU check built here by scripts/build-gpu-bundle.sh (.gpu/gpucheck.tgz), runs it, then runs the
# PyTorch peers on the same shapes. Everything lands in $OUT:
#   ilgpu.json / ilgpu.log     ILGPU kernels: device, compile time, on-device correctness, timings
#   peers.json / peers.log     PyTorch: the same measurements
#   nvidia-smi.txt             the GPU and driver
# Pass --smoke to run the tiny sizes (a quick end-to-end check of the pipeline).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/.gpu/out}"
mkdir -p "$out"
smoke=()
if [ "${1:-}" = "--smoke" ]; then
  smoke=(--smoke)
fi

status=0
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || echo "nvidia-smi failed" >> "$out/nvidia-smi.txt"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if tar xzf "$root/.gpu/gpucheck.tgz" -C "$work"; then
  # The bundle is self-contained; no .NET install is needed. ILGPU finds libcuda.so.1 itself.
  export DOTNET_CLI_TELEMETRY_OPTOUT=1
  "$work/AutoDiffGen.GpuCheck" "${smoke[@]}" "$out/ilgpu.json" 2>&1 | tee "$out/ilgpu.log"
  status=$((status | ${PIPESTATUS[0]}))
else
  echo "cannot unpack $root/.gpu/gpucheck.tgz (run scripts/build-gpu-bundle.sh first)" | tee "$out/ilgpu.log"
  status=1
fi

python3 "$root/scripts/gpu_peers.py" "$out/peers.json" "${smoke[@]}" 2>&1 | tee "$out/peers.log"
status=$((status | ${PIPESTATUS[0]}))

echo "gpu-check finished with status $status; results in $out"
exit "$status"
