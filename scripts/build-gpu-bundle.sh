#!/usr/bin/env bash
# Builds, HERE, what scripts/gpu-check.sh runs on the GPU machine (which has no .NET): trimmed
# self-contained linux-x64 publishes of benchmarks/AutoDiffGen.GpuCheck (.gpu/gpucheck.tgz) and of the
# MNIST sample (.gpu/mnist.tgz). Both are git-ignored and travel with the working tree, which is
# limited to 64 MiB in all: name both in the run's carry.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bundle() {
  local project="$1" name="$2"
  local publish="$root/.gpu/$name"
  rm -rf "$publish"
  mkdir -p "$publish"
  dotnet publish "$root/$project" -c Release -r linux-x64 --self-contained -o "$publish" -nologo -v quiet
  # Debug symbols are not needed there and would only grow the archive.
  find "$publish" -name '*.pdb' -delete
  tar czf "$root/.gpu/$name.tgz" -C "$publish" .
  echo "bundle: .gpu/$name.tgz $(( $(stat -c %s "$root/.gpu/$name.tgz") / 1024 / 1024 )) MiB"
}

bundle benchmarks/AutoDiffGen.GpuCheck/AutoDiffGen.GpuCheck.csproj gpucheck
bundle samples/Mnist/Mnist.csproj mnist
size=$(( $(stat -c %s "$root/.gpu/gpucheck.tgz") + $(stat -c %s "$root/.gpu/mnist.tgz") ))
if [ "$size" -gt $((56 * 1024 * 1024)) ]; then
  echo "bundles are over 56 MiB together; the working tree that carries them is limited to 64 MiB" >&2
  exit 1
fi
