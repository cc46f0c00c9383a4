#!/usr/bin/env python3
"""Writes the safetensors fixtures that SafetensorsFixtureTests reads, and checks files by the spec.

An implementation independent of the C# one, written from the format description in the
safetensors README (8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each
tensor name to {"dtype", "shape", "data_offsets": [begin, end]} plus an optional "__metadata__"
map of strings, then the data, little-endian, row-major, offsets relative to the data start),
using only the standard library: Python's `safetensors` package could not be installed here.

  python3 make_safetensors_fixtures.py            # rewrites the two fixtures next to this script
  python3 make_safetensors_fixtures.py check F..  # checks files as the reference reader does

Fixtures:
  python_canonical.safetensors  laid out as the reference writer lays it out: "__metadata__"
      first, tensors sorted by name with data in that order, compact JSON (non-ASCII as UTF-8),
      header padded with spaces to a multiple of 8 bytes. The C# writer must match it byte for byte.
  python_scrambled.safetensors  the same tensors, but header keys in an order unrelated to the
      data order, metadata last, indented JSON with escaped non-ASCII, and no padding: everything
      a reader must accept although the reference writer never produces it.
"""

import json
import os
import struct
import sys

METADATA = {"format": "pt", "note": "fixture for AutoDiffGen tests"}

# name -> (shape, values); values are packed as IEEE float32 ('<f' rounds to nearest).
TENSORS = {
    "layer.bias": ([3], [0.5, -1.25, 3.0]),
    "layer.weight": ([2, 3], [1.0, -2.0, 0.1, 1.401298464324817e-45, 3.4028234663852886e38, -0.0]),
    "empty": ([0, 4], []),
    "step": ([], [42.0]),
    "\u03c0": ([1], [3.14159265]),
}


def pack(values):
    return b"".join(struct.pack("<f", v) for v in values)


def canonical():
    names = sorted(TENSORS, key=lambda n: n.encode("utf-8"))
    header = {"__metadata__": dict(sorted(METADATA.items()))}
    data = b""
    for name in names:
        shape, values = TENSORS[name]
        blob = pack(values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def scrambled():
    data_order = ["step", "layer.weight", "\u03c0", "empty", "layer.bias"]
    key_order = ["layer.bias", "\u03c0", "empty", "step", "layer.weight"]
    offsets = {}
    data = b""
    for name in data_order:
        blob = pack(TENSORS[name][1])
        offsets[name] = [len(data), len(data) + len(blob)]
        data += blob
    header = {}
    for name in key_order:
        shape = TENSORS[name][0]
        # Key order inside the entry differs from the reference writer's too.
        header[name] = {"data_offsets": offsets[name], "shape": shape, "dtype": "F32"}
    header["__metadata__"] = METADATA
    text = json.dumps(header, indent=2, ensure_ascii=True).encode("ascii")
    return struct.pack("<Q", len(text)) + text + data


def check(path):
    """Validates a file the way the reference reader does and returns (metadata, tensors)."""
    with open(path, "rb") as f:
        blob = f.read()
    assert len(blob) >= 8, "shorter than the header length field"
    (n,) = struct.unpack("<Q", blob[:8])
    assert n <= 100_000_000, "header over 100 MB"
    assert 8 + n <= len(blob), "header runs past the end of the file"
    text = blob[8 : 8 + n].decode("utf-8")
    assert text.startswith("{"), "header does not start with '{'"

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
        return dict(pairs)

    header = json.loads(text, object_pairs_hook=no_duplicates)
    metadata = header.pop("__metadata__", {})
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()), "metadata must map strings to strings"
    data = blob[8 + n :]
    entries = sorted(header.items(), key=lambda item: tuple(item[1]["data_offsets"]))
    end = 0
    tensors = {}
    for name, info in entries:
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}"
        shape = info["shape"]
        assert all(isinstance(d, int) and d >= 0 for d in shape), f"{name}: shape {shape}"
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name}: starts at {begin}, previous tensor ends at {end}"
        count = 1
        for d in shape:
            count *= d
        assert stop - begin == 4 * count, f"{name}: shape {shape} needs {4 * count} bytes, offsets cover {stop - begin}"
        tensors[name] = (shape, list(struct.unpack(f"<{count}f", data[begin:stop])))
        end = stop
    assert end == len(data), f"data section is {len(data)} bytes, tensors cover {end}"
    return metadata, tensors


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        for path in sys.argv[2:]:
            metadata, tensors = check(path)
            print(f"{path}: OK, header {struct.unpack('<Q', open(path, 'rb').read(8))[0]} bytes, metadata {metadata}")
            for name, (shape, values) in tensors.items():
                print(f"  {name!r} {shape} {values[:8]}{' ...' if len(values) > 8 else ''}")
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for name, content in (("python_canonical.safetensors", canonical()), ("python_scrambled.safetensors", scrambled())):
        with open(os.path.join(here, name), "wb") as f:
            f.write(content)
        check(os.path.join(here, name))
        print(f"wrote {name}: {len(content)} bytes")


if __name__ == "__main__":
    main()
