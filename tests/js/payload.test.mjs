// The page's payload decoder against what geo.render makes: encode_payload's payload, packed by pack_payload.
// The sample comes from the Python encoder at test time (tools/payload_sample.py), so the two cannot drift apart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readPayload, decodeDeltas } from "../../geo/static/src/atlas/payload.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const python = process.env.PYTHON || "python3";

const samples = new Map();  // one run of the Python encoder per data file

function sample(dataFile) {
  if (samples.has(dataFile)) return samples.get(dataFile);
  const args = ["tools/payload_sample.py"].concat(dataFile ? [dataFile] : []);
  const out = execFileSync(python, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
  samples.set(dataFile, JSON.parse(out));
  return samples.get(dataFile);
}

for (const [what, file] of [["the bundled data", null], ["the test places", "tests/data/places_valid.geojson"]]) {
  test(`readPayload inflates pack_payload's output of ${what} to encode_payload's payload`, () => {
    const { payload, packed } = sample(file);
    assert.equal(typeof packed.deflate, "string");
    assert.ok(packed.size > 0);
    assert.deepEqual(readPayload(JSON.stringify(packed)), payload);
    assert.deepEqual(readPayload(JSON.stringify(payload)), payload);  // the editor's live updates: plain JSON
  });
}

test("decodeDeltas turns the payload's micro-degree deltas into coordinates in Nanguan", () => {
  const { payload } = sample(null);
  const lon = decodeDeltas(payload.points.x), lat = decodeDeltas(payload.points.y);
  assert.equal(lon.length, payload.points.x.length);
  assert.ok(lon.length > 0);
  for (let k = 0; k < lon.length; k++) {
    assert.ok(lon[k] > 125 && lon[k] < 126 && lat[k] > 43 && lat[k] < 44.5, `point ${k}: ${lon[k]}, ${lat[k]}`);
  }
  assert.deepEqual(decodeDeltas([1000000, 500000, -250000]), [1, 1.5, 1.25]);
});

test("a packed payload that is cut short or of the wrong size is refused, not half-read", () => {
  const { packed } = sample(null);
  assert.throws(() => readPayload(JSON.stringify({ deflate: packed.deflate, size: packed.size + 10 })), /payload:/);
  const cut = { deflate: packed.deflate.slice(0, Math.floor(packed.deflate.length / 8) * 4), size: packed.size };
  assert.throws(() => readPayload(JSON.stringify(cut)));
});
