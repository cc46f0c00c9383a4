#!/usr/bin/env bash
# Times the MNIST MLP training step in libtorch 2.10 (TorchSharp-cpu 0.107.0) next to the generated and hand-written
# steps, in one BenchmarkDotNet run (benchmarks/AutoDiffGen.TorchPeer). Extra arguments go to BenchmarkDotNet, e.g.
#   bash scripts/torch-peer.sh --iterationCount 15 --warmupCount 5
#
# TorchSharp's native shim, libLibTorchSharp.so, is built with GCC 13 and asks libstdc++ for one symbol of version
# GLIBCXX_3.4.32, std::ios_base_library_init(); Debian 12's libstdc++ stops at 3.4.30, so the shim does not load here
# (libtorch itself needs only 3.4.26). This script copies the shim, marks that one version requirement weak (a flag in
# its .gnu.version_r section; nothing else changes), and preloads a five-line library that defines the symbol as GCC
# 13 does (it constructs an ios_base::Init). The benchmark runs in process (--inProcess), so the patched copy in the
# build output is the one loaded.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/benchmarks/AutoDiffGen.TorchPeer"
work="$root/artifacts/torch-peer"
mkdir -p "$work"

dotnet build "$project" -c Release -nologo -v quiet
output="$project/bin/Release/net10.0"
shim="$output/runtimes/linux-x64/native/libLibTorchSharp.so"

python3 - "$shim" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum = struct.unpack_from('<HH', data, 0x3A)
sections = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
verneed = next(s for s in sections if s[1] == 0x6ffffffe)  # SHT_GNU_verneed
strings = sections[verneed[6]]
def name(offset):
    start = strings[4] + offset
    return data[start:data.index(0, start)].decode()
entry, marked = verneed[4], 0
while True:
    _, count, _, aux, following = struct.unpack_from('<HHIII', data, entry)
    at = entry + aux
    for _ in range(count):
        _, flags, _, name_offset, next_aux = struct.unpack_from('<IHHII', data, at)
        if name(name_offset) == 'GLIBCXX_3.4.32':
            struct.pack_into('<H', data, at + 4, flags | 2)  # VER_FLG_WEAK
            marked += 1
        if next_aux == 0:
            break
        at += next_aux
    if following == 0:
        break
    entry += following
open(path, 'wb').write(data)
print(f"torch-peer: {marked} version requirement(s) of {path} marked weak")
PY

cat > "$work/iosinit.cpp" <<'CPP'
#include <ios>
// What GCC 13's libstdc++ exports as GLIBCXX_3.4.32: initialise the standard streams once.
namespace std { void ios_base_library_init() { static ios_base::Init init; } }
CPP
g++ -shared -fPIC -O2 -o "$work/libiosinit.so" "$work/iosinit.cpp"

cd "$root"
LD_PRELOAD="$work/libiosinit.so" dotnet "$output/AutoDiffGen.TorchPeer.dll" --filter '*MlpStepAgainstLibTorch*' --inProcess "$@"
