"""The page's payload decoder (``readPayload``, geo/static/src/atlas/payload.js) against Python's zlib, run in Node.

Node runs the page's own module: every kind of DEFLATE block (stored, fixed and dynamic Huffman codes, long
matches, the whole 32 KiB window) is inflated by it and must give back exactly the payload Python packed.
(tests/js/payload.test.mjs checks it against geo.render's own encoder.) Skipped where Node is missing, failed under CI.
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from geo import render

PAYLOAD_JS = Path(__file__).parent.parent / "geo" / "static" / "src" / "atlas" / "payload.js"

#: Imports the page's payload module and answers each packed payload on stdin with what readPayload made of it.
RUNNER = r"""
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { readPayload } = await import(pathToFileURL(process.argv[1]).href);
const cases = JSON.parse(readFileSync(0, "utf8"));
const out = cases.map((c) => {
  try { return { ok: readPayload(JSON.stringify(c)) }; }
  catch (e) { return { error: String(e.message || e) }; }
});
process.stdout.write(JSON.stringify(out));
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("Node is required under CI to test the page's payload decoder")
        pytest.skip("Node is not installed")
    return node


def _read_in_node(cases: list[dict]) -> list[dict]:
    args = [_node(), "--input-type=module", "-e", RUNNER, str(PAYLOAD_JS)]
    done = subprocess.run(args, input=json.dumps(cases), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _pack(value, level=4, strategy=zlib.Z_DEFAULT_STRATEGY):
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    packer = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return {"deflate": base64.b64encode(packer.compress(data) + packer.flush()).decode(), "size": len(data)}


def _values():
    rng = random.Random(27)
    han = "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(40_000))  # little to match: many literals
    far = "园" * 5 + "x" * 40_000 + "园" * 5  # a match that reaches back across the whole window
    return {
        "empty object": {},
        "short (fixed codes)": {"n": 1, "strings": ["睦邻园"]},
        "repeats": {"strings": ["长春南关区睦邻园"] * 3000, "codes": list(range(3000))},
        "random han": {"text": han},
        "far match": {"text": far, "again": far},
        "numbers": {"x": [rng.randrange(-300_000, 300_000) for _ in range(20_000)], "y": [None, 0.5, -1e-6]},
    }


@pytest.mark.parametrize(
    ("level", "strategy"),
    [(0, zlib.Z_DEFAULT_STRATEGY), (1, zlib.Z_DEFAULT_STRATEGY), (4, zlib.Z_DEFAULT_STRATEGY),
     (9, zlib.Z_DEFAULT_STRATEGY), (6, zlib.Z_FIXED), (6, zlib.Z_HUFFMAN_ONLY), (6, zlib.Z_RLE)],
    ids=["stored", "level-1", "level-4", "level-9", "fixed-codes", "huffman-only", "rle"],
)  # fmt: skip
def test_the_page_inflates_what_python_deflates(level, strategy):
    values = _values()
    got = _read_in_node([_pack(v, level, strategy) for v in values.values()])
    for (label, value), answer in zip(values.items(), got, strict=True):
        assert answer == {"ok": value}, label


def test_the_page_reads_the_payload_pack_payload_makes_and_a_plain_one():
    payload = {"n": 2, "strings": ["睦邻园", "Mulin Park"], "columns": {"name": [0, 1]}, "numbers": {"a": [None, 1.5]}}
    packed = render.pack_payload(payload)
    assert set(packed) == {"deflate", "size"} and render.unpack_payload(packed) == payload
    assert _read_in_node([packed, payload]) == [{"ok": payload}, {"ok": payload}]


def test_a_damaged_payload_is_an_error_not_a_wrong_map():
    packed = render.pack_payload({"strings": ["睦邻园"] * 100})
    short = dict(packed, size=packed["size"] + 1)
    answers = _read_in_node([short])
    assert "error" in answers[0] and "expected" in answers[0]["error"], answers
    with pytest.raises(ValueError, match="expected"):
        render.unpack_payload(short)
