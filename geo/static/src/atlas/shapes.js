var PI = Math.PI;

// Marker shapes, one per category, so categories differ by more than colour.
var SHAPES = {
  circle: null,
  square: [[-1, -1], [1, -1], [1, 1], [-1, 1]],
  diamond: [[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]],
  triangle: [[0, -1.35], [1.25, 1], [-1.25, 1]],
  cross: [[-0.4, -1.2], [0.4, -1.2], [0.4, -0.4], [1.2, -0.4], [1.2, 0.4], [0.4, 0.4], [0.4, 1.2], [-0.4, 1.2],
          [-0.4, 0.4], [-1.2, 0.4], [-1.2, -0.4], [-0.4, -0.4]],
  pentagon: [[0, -1.2], [1.15, -0.35], [0.7, 1.05], [-0.7, 1.05], [-1.15, -0.35]],
  house: [[0, -1.3], [1.2, -0.2], [1.2, 1.1], [-1.2, 1.1], [-1.2, -0.2]],
  hexagon: [[-0.6, -1.05], [0.6, -1.05], [1.2, 0], [0.6, 1.05], [-0.6, 1.05], [-1.2, 0]]
};
function shapePath(ctx, shape, x, y, r) {
  var pts = SHAPES[shape];
  if (!pts) { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * PI); return; }
  ctx.moveTo(x + pts[0][0] * r, y + pts[0][1] * r);
  for (var i = 1; i < pts.length; i++) ctx.lineTo(x + pts[i][0] * r, y + pts[i][1] * r);
  // Back to the first corner and on to the second instead of closePath(): the same outline, fill and join,
  // while Chromium's closePath() costs as much as the whole path so far (quadratic over a layer's markers).
  ctx.lineTo(x + pts[0][0] * r, y + pts[0][1] * r);
  ctx.lineTo(x + pts[1][0] * r, y + pts[1][1] * r);
}
function shapeSvg(shape, color) {
  // A legend swatch, built as DOM (no markup strings).
  var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "-8 -8 16 16");
  svg.setAttribute("aria-hidden", "true"); svg.setAttribute("class", "atlas-swatch-svg");
  var pts = SHAPES[shape], node;
  if (!pts) { node = document.createElementNS(ns, "circle"); node.setAttribute("r", "6"); }
  else {
    node = document.createElementNS(ns, "polygon");
    node.setAttribute("points", pts.map(function (p) { return (p[0] * 5.5).toFixed(2) + "," + (p[1] * 5.5).toFixed(2); }).join(" "));
  }
  node.setAttribute("fill", color); node.setAttribute("stroke", "#fff"); node.setAttribute("stroke-width", "1.5");
  svg.appendChild(node);
  return svg;
}

export { SHAPES, shapePath, shapeSvg };
