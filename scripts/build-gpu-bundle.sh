#!/usr/bin/env bash
# Builds, HERE, the self-contained GPU check that scripts/gpu-check.sh runs on the GPU machine
# (which has no .NET): a trimmed linux-x64 publish of benchmarks/AutoDiffGen.GpuCheck packed into
# .gpu/gpucheck.tgz (git-ignored; it travels with the working tree, which is limited to 64 MiB).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
publish="$root/.gpu/gpucheck"
rm -rf "$publish"
mkdir -p "$publish"
dotnet publish "$root/benchmarks/AutoDiffGen.GpuCheck/AutoDiffGen.GpuCheck.csproj" \
  -c Release -r linux-x64 --self-contained -o "$publish" -nologo -v quiet
# Debug symbols are not needed there and would only grow the archive.
find "$publish" -name '*.pdb' -delete
tar czf "$root/.gpu/gpucheck.tgz" -C "$publish" .
size=$(stat -c %s "$root/.gpu/gpucheck.tgz")
echo "bundle: .gpu/gpucheck.tgz $((size / 1024 / 1024)) MiB ($size bytes)"
if [ "$size" -gt $((60 * 1024 * 1024)) ]; then
  echo "bundle is over 60 MiB; the working tree that carries it is limited to 64 MiB" >&2
  exit 1
fi
