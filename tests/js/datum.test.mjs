// The page's WGS-84 -> GCJ-02 transform against the vectors geo.coords is tested with (tests/test_coords.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { wgs2gcj, gcj2wgs, inChina } from "../../geo/static/src/atlas/datum.js";

const shared = JSON.parse(readFileSync(new URL("../data/gcj02_vectors.json", import.meta.url), "utf8"));
const tol = shared.tolerance_deg;

function near(got, want, what) {
  const d = Math.max(Math.abs(got[0] - want[0]), Math.abs(got[1] - want[1]));
  assert.ok(d <= tol, `${what}: got ${got}, want ${want} (off by ${d} degrees, tolerance ${tol})`);
}

test("the shared vectors file has points inside and outside China", () => {
  assert.ok(shared.vectors.length >= 20);
  assert.ok(shared.vectors.some((v) => !inChina(v.wgs84[0], v.wgs84[1])));
  assert.ok(shared.vectors.filter((v) => inChina(v.wgs84[0], v.wgs84[1])).length >= 20);
});

for (const v of shared.vectors) {
  test(`forward and inverse at ${v.name}`, () => {
    near(wgs2gcj(v.wgs84[0], v.wgs84[1]), v.gcj02, "wgs2gcj");
    near(gcj2wgs(v.gcj02[0], v.gcj02[1]), v.wgs84, "gcj2wgs");
  });
}

test("Changchun is shifted about 520 m east and 270 m north", () => {
  const [lon, lat] = [125.33, 43.86];
  const [glon, glat] = wgs2gcj(lon, lat);
  const east = (glon - lon) * 111320 * Math.cos((lat * Math.PI) / 180), north = (glat - lat) * 110950;
  assert.ok(east > 480 && east < 560, `east ${east}`);
  assert.ok(north > 240 && north < 300, `north ${north}`);
});
