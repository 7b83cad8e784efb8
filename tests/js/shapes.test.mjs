// The markers' outlines: every shape ends where it began, joined there, without closePath() (Chromium's closePath()
// costs as much as the whole path so far, so a layer of thousands of markers drew in quadratic time).
import { test } from "node:test";
import assert from "node:assert/strict";
import { shapePath } from "../../geo/static/src/atlas/shapes.js";

function recorder() {
  const calls = [];
  const ctx = {};
  for (const name of ["moveTo", "lineTo", "arc", "closePath"]) ctx[name] = (...args) => calls.push([name, ...args]);
  return { ctx, calls };
}

for (const shape of ["square", "diamond", "triangle", "cross", "pentagon", "house", "hexagon"]) {
  test(`${shape}: a closed outline around its point, with no closePath()`, () => {
    const { ctx, calls } = recorder();
    shapePath(ctx, shape, 100, 50, 4);
    shapePath(ctx, shape, 300, 80, 4);  // a second marker starts its own outline
    assert.ok(!calls.some((c) => c[0] === "closePath"));
    const starts = calls.flatMap((c, i) => (c[0] === "moveTo" ? [i] : []));
    assert.equal(starts.length, 2);
    const first = calls.slice(0, starts[1]);
    const [, x0, y0] = first[0], [, x1, y1] = first[1];
    assert.deepEqual(first.slice(-2), [["lineTo", x0, y0], ["lineTo", x1, y1]]);  // back to the start, on to the join
    const corners = first.slice(0, -2).map((c) => [c[1], c[2]]);
    assert.ok(corners.length >= 3 && new Set(corners.map(String)).size === corners.length);
    const xs = corners.map((p) => p[0]), ys = corners.map((p) => p[1]);
    assert.ok(Math.min(...xs) < 100 && Math.max(...xs) > 100 && Math.min(...ys) < 50 && Math.max(...ys) > 50);
  });
}

test("circle: one arc round its point", () => {
  const { ctx, calls } = recorder();
  shapePath(ctx, "circle", 10, 20, 3);
  assert.deepEqual(calls, [["moveTo", 13, 20], ["arc", 10, 20, 3, 0, 2 * Math.PI]]);
});
