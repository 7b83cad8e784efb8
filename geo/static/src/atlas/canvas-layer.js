import { shapePath } from "./shapes.js";
import { mercLat, groundScale, EARTH_CIRCUMFERENCE } from "./mercator.js";

var PI = Math.PI;

// Ends a ring that began at (fx, fy), whose last point drawn is (lx, ly) and second (sx, sy), as closePath() would:
// back to the start if it is not there, then on to the second point, so that the stroke joins at the start. The fill
// is the same (the second segment is drawn twice over, which neither fill rule counts). Chromium's closePath() costs
// as much as the whole path so far: over a layer of thousands of rings it was most of the page's first draw.
function closeRing(ctx, fx, fy, lx, ly, sx, sy) {
  if (lx !== fx || ly !== fy) ctx.lineTo(fx, fy);
  if (sx === sx) ctx.lineTo(sx, sy);
}

/*
 * One category (or the walking radii) drawn on its own canvas in one pass.
 * Points, circles of a radius in metres, and polygons; hit-testing is done by
 * the Atlas at map level, so the canvas never takes pointer events.
 */
var CanvasLayer = L.Layer.extend({
  getAttribution: function () { return this.style.attribution || null; },
  initialize: function (atlas, members, style) {
    this.atlas = atlas;
    this.members = members;   // feature indices, or radius entries for the radii layer
    this.style = style;
    this.screen = null;       // per member: container x, y, radius (px) after the last draw
  },
  onAdd: function (map) {
    this.canvas = L.DomUtil.create("canvas", "atlas-canvas leaflet-zoom-hide");
    this.canvas.style.pointerEvents = "none";
    map.getPane("overlayPane").appendChild(this.canvas);
    map.on("moveend zoomend resize viewreset", this.viewChanged, this);
    this.redraw();
  },
  onRemove: function (map) {
    map.off("moveend zoomend resize viewreset", this.viewChanged, this);
    L.DomUtil.remove(this.canvas);
    this.canvas = null;
    this.screen = null;
    this.drawnView = null;
  },
  // One change of view fires up to four of these events: the layer is drawn again only when what it would draw
  // differs from its last drawing (the view, the canvas, its members or the atlas's projected points).
  viewChanged: function () {
    if (this.drawnView !== this.viewKey()) this.redraw();
  },
  viewKey: function () {
    var map = this._map, size = map.getSize(), origin = map.getPixelOrigin(), at = map.containerPointToLayerPoint([0, 0]);
    return [map.getZoom(), origin.x, origin.y, at.x, at.y, size.x, size.y, window.devicePixelRatio || 1].join(",");
  },
  getLayers: function () { return this.members; },
  redraw: function () {
    if (!this._map || !this.canvas) return;
    this.drawnView = this.viewKey();
    var map = this._map, atlas = this.atlas, size = map.getSize(), pad = 0.3;
    var dpr = window.devicePixelRatio || 1;
    var cx0 = -Math.round(size.x * pad), cy0 = -Math.round(size.y * pad);   // canvas origin, container points
    var min = map.containerPointToLayerPoint([cx0, cy0]);
    var w = size.x - 2 * cx0, h = size.y - 2 * cy0;
    var canvas = this.canvas;
    L.DomUtil.setPosition(canvas, min);
    canvas.width = w * dpr; canvas.height = h * dpr;
    canvas.style.width = w + "px"; canvas.style.height = h + "px";
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
    var origin = map.getPixelOrigin();
    // container point = mercator * scale - origin - (layer offset of the map pane)
    var paneOffset = this.drawnFrom = map.containerPointToLayerPoint([0, 0]);
    var ox = origin.x + paneOffset.x, oy = origin.y + paneOffset.y;
    var style = this.style, members = this.members;
    var screen = this.screen = { x: new Float32Array(members.length), y: new Float32Array(members.length),
                                 r: new Float32Array(members.length), on: new Uint8Array(members.length) };
    var mx = atlas.mx, my = atlas.my;
    var dots = [], circles = [], polys = [], grown = [], n = members.length;
    for (var k = 0; k < n; k++) {
      var m = members[k];
      var x, y, r;
      if (m.poly !== undefined) {
        (m.radius ? grown : polys).push(k);
        continue;
      }
      x = mx[m.pt] * scale - ox; y = my[m.pt] * scale - oy;
      if (x < cx0 - 50 || y < cy0 - 50 || x > cx0 + w + 50 || y > cy0 + h + 50) {
        if (!m.radius) continue;
      }
      if (m.radius) {
        var mpp = EARTH_CIRCUMFERENCE * Math.cos(atlas.lat[m.pt] * PI / 180) / scale;
        r = m.radius / mpp;
        if (x + r < cx0 || y + r < cy0 || x - r > cx0 + w || y - r > cy0 + h) continue;
        circles.push(k);
      } else {
        r = style.dot;
        dots.push(k);
      }
      screen.x[k] = x; screen.y[k] = y; screen.r[k] = Math.max(r, style.dot); screen.on[k] = 1;
    }
    var cluster = this.style.clusterOver && dots.length + circles.length > this.style.clusterOver;
    this.clusters = null;
    if (cluster) { this.drawClusters(ctx, dots.concat(circles), cx0, cy0); return; }
    if (grown.length) this.drawGrown(ctx, grown, { scale: scale, ox: ox + cx0, oy: oy + cy0, w: w, h: h, dpr: dpr });
    if (polys.length) {
      // Outlines: culled by their box, decimated to about a pixel, and drawn as a dot when tiny.
      // Schematic outlines (stand-ins, not surveyed) are dashed so they are never taken for real ones.
      var tiny = [], bbox = atlas.bbox;
      for (var pass = 0; pass < 2; pass++) {
        ctx.beginPath();
        var inPass = 0;
        for (var q = 0; q < polys.length; q++) {
          var pk = polys[q], pm = members[pk];
          if (!!pm.schematic !== (pass === 1)) continue;
          var bb = bbox[pm.poly];
          var bx = bb[0] * scale - ox, by = bb[1] * scale - oy, ex = bb[2] * scale - ox, ey = bb[3] * scale - oy;
          if (ex < cx0 || ey < cy0 || bx > cx0 + w || by > cy0 + h) continue;
          screen.x[pk] = (bx + ex) / 2; screen.y[pk] = (by + ey) / 2; screen.r[pk] = Math.max(ex - bx, ey - by) / 2 + 2;
          if (ex - bx < 4 && ey - by < 4) { screen.on[pk] = 1; tiny.push(pk); continue; }
          screen.on[pk] = 2; inPass++;
          var rings = atlas.rings[pm.poly];
          for (var a = 0; a < rings.length; a++) {
            var ring = rings[a], lx = NaN, ly = NaN, sx = NaN, sy = NaN;
            for (var j = 0; j < ring.length; j += 2) {
              var px = ring[j] * scale - ox - cx0, py = ring[j + 1] * scale - oy - cy0;
              if (j === 0) { ctx.moveTo(px, py); lx = px; ly = py; }
              else if (Math.abs(px - lx) + Math.abs(py - ly) >= 1 || j === ring.length - 2) {
                ctx.lineTo(px, py); lx = px; ly = py;
                if (sx !== sx) { sx = px; sy = py; }
              }
            }
            closeRing(ctx, ring[0] * scale - ox - cx0, ring[1] * scale - oy - cy0, lx, ly, sx, sy);
          }
        }
        if (!inPass) continue;
        ctx.fillStyle = style.fill; ctx.globalAlpha = pass === 1 ? 0.15 : 0.3; ctx.fill("evenodd");
        ctx.globalAlpha = 1; ctx.strokeStyle = style.color; ctx.lineWidth = 1.5;
        // Dashing a huge path is slow in software rendering; past 1,500 outlines they are too small to tell anyway.
        if (pass === 1 && inPass < 1500) ctx.setLineDash([4, 4]);
        ctx.stroke(); ctx.setLineDash([]);
      }
      if (tiny.length) {
        ctx.beginPath();
        for (var t2 = 0; t2 < tiny.length; t2++) ctx.rect(screen.x[tiny[t2]] - cx0 - 2, screen.y[tiny[t2]] - cy0 - 2, 4, 4);
        ctx.fillStyle = style.fill; ctx.fill();
      }
    }
    if (circles.length) {
      ctx.beginPath();
      for (var c = 0; c < circles.length; c++) {
        var ck = circles[c];
        ctx.moveTo(screen.x[ck] - cx0 + screen.r[ck], screen.y[ck] - cy0);
        ctx.arc(screen.x[ck] - cx0, screen.y[ck] - cy0, screen.r[ck], 0, 2 * PI);
      }
      if (style.circleFill !== false) { ctx.globalAlpha = style.circleAlpha || 0.12; ctx.fillStyle = style.fill; ctx.fill(); }
      ctx.globalAlpha = 1; ctx.setLineDash(style.dash || [6, 5]); ctx.lineWidth = style.circleWidth || 2;
      ctx.strokeStyle = style.color; ctx.stroke(); ctx.setLineDash([]);
      if (style.centres) {
        ctx.beginPath();
        for (var c2 = 0; c2 < circles.length; c2++) {
          var c2k = circles[c2];
          shapePath(ctx, style.shape, screen.x[c2k] - cx0, screen.y[c2k] - cy0, 3.5);
        }
        ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 1.5; ctx.strokeStyle = style.color; ctx.stroke();
      }
    }
    if (dots.length) {
      ctx.beginPath();
      for (var d = 0; d < dots.length; d++) {
        var dk = dots[d];
        shapePath(ctx, style.shape, screen.x[dk] - cx0, screen.y[dk] - cy0, style.dot);
      }
      ctx.fillStyle = style.fill; ctx.fill(); ctx.lineWidth = 1.5; ctx.strokeStyle = "#fff"; ctx.stroke();
    }
  },
  drawGrown: function (ctx, ks, v) {
    // Outlined parks grown by a radius: every point within r metres of the park is the outline filled and
    // stroked 2r wide with round joins (its Minkowski sum with a disc), exact in screen space. The path is
    // drawn in ground metres at the park's latitude on the WGS-84 ellipsoid (east and north each at their own
    // scale: Web Mercator is 0.35 % wider than tall there), so a 500 m ring is 500 m in both directions.
    // Parks whose scale agrees to a quarter pixel of the radius share one path; the union of all parks is
    // painted once on a spare canvas (overlapping rings do not darken), lightly filled, and its edge drawn.
    var atlas = this.atlas, members = this.members, style = this.style, byRadius = {}, radii = [];
    for (var t = 0; t < ks.length; t++) {
      var m = members[ks[t]], bb = atlas.bbox[m.poly];
      var lat = mercLat((bb[1] + bb[3]) / 2), k = groundScale(lat, v.scale), r = m.radius * k[1];
      var bx = bb[0] * v.scale - v.ox, by = bb[1] * v.scale - v.oy, ex = bb[2] * v.scale - v.ox, ey = bb[3] * v.scale - v.oy;
      if (ex + r < 0 || ey + r < 0 || bx - r > v.w || by - r > v.h) continue;
      var bins = byRadius[m.radius];
      if (!bins) { bins = byRadius[m.radius] = {}; radii.push(m.radius); }
      var key = Math.round(r * 4), bin = bins[key] || (bins[key] = { k: k, polys: [] });
      bin.polys.push(m.poly);
    }
    if (!radii.length) return;
    var off = this.grownCanvas || (this.grownCanvas = document.createElement("canvas"));
    off.width = v.w * v.dpr; off.height = v.h * v.dpr;
    var octx = off.getContext("2d"), line = (style.circleWidth || 1.5);
    radii.sort(function (a, b) { return b - a; });
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (var q = 0; q < radii.length; q++) {
      var radius = radii[q];
      octx.setTransform(1, 0, 0, 1, 0, 0);
      octx.globalCompositeOperation = "source-over";
      octx.clearRect(0, 0, off.width, off.height);
      this.grownPath(octx, byRadius[radius], v, radius, 0);
      ctx.globalAlpha = style.circleAlpha || 0.05; ctx.drawImage(off, 0, 0);
      // The same region less the line's width, cut out: its edge is left, a line `line` px wide.
      octx.globalCompositeOperation = "destination-out";
      this.grownPath(octx, byRadius[radius], v, radius, line);
      octx.setTransform(1, 0, 0, 1, 0, 0);
      octx.globalCompositeOperation = "source-in";
      octx.fillStyle = style.color; octx.fillRect(0, 0, off.width, off.height);
      ctx.globalAlpha = 0.9; ctx.drawImage(off, 0, 0);
    }
    ctx.restore();
  },
  grownPath: function (octx, bins, v, radius, inset) {
    // Fill and stroke every park of each bin, in ground metres (see drawGrown); `inset` px narrower.
    var atlas = this.atlas, style = this.style;
    octx.fillStyle = octx.strokeStyle = style.fill; octx.lineJoin = "round"; octx.lineCap = "round";
    Object.keys(bins).forEach(function (key) {
      var bin = bins[key], kx = bin.k[0], ky = bin.k[1], width = 2 * (radius - inset / ky);
      octx.setTransform(v.dpr * kx, 0, 0, v.dpr * ky, 0, 0);
      octx.beginPath();
      for (var t = 0; t < bin.polys.length; t++) {
        var rings = atlas.rings[bin.polys[t]];
        for (var a = 0; a < rings.length; a++) {
          var ring = rings[a], lx = NaN, ly = NaN;
          for (var j = 0; j < ring.length; j += 2) {
            var px = ring[j] * v.scale - v.ox, py = ring[j + 1] * v.scale - v.oy;
            if (j === 0) { octx.moveTo(px / kx, py / ky); lx = px; ly = py; }
            else if (Math.abs(px - lx) + Math.abs(py - ly) >= 0.5 || j === ring.length - 2) { octx.lineTo(px / kx, py / ky); lx = px; ly = py; }
          }
          // No closePath(): the ring ends where it began, its caps and joins are round, and Chromium's
          // closePath() costs as much as the whole path so far.
          var fx = ring[0] * v.scale - v.ox, fy = ring[1] * v.scale - v.oy;
          if (lx !== fx || ly !== fy) octx.lineTo(fx / kx, fy / ky);
        }
      }
      octx.fill("nonzero");  // holes wind the other way (RFC 7946), so they stay open where the stroke does not reach
      if (width > 0) { octx.lineWidth = width; octx.stroke(); }
    });
  },
  drawClusters: function (ctx, ks, cx0, cy0) {
    // Dense view: aggregate into 48 px cells; a bubble shows how many places it holds.
    var cell = 48, bins = new Map(), screen = this.screen, list = [];
    for (var t = 0; t < ks.length; t++) {
      var k = ks[t], key = (Math.floor(screen.x[k] / cell) + 4096) * 8192 + Math.floor(screen.y[k] / cell) + 4096;
      var b = bins.get(key);
      if (!b) { b = { x: 0, y: 0, n: 0, first: k }; bins.set(key, b); list.push(b); }
      b.x += screen.x[k]; b.y += screen.y[k]; b.n++;
      screen.on[k] = 0;
    }
    ctx.font = "bold 11px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    for (var u = 0; u < list.length; u++) {
      var bb = list[u]; bb.x /= bb.n; bb.y /= bb.n;
      bb.r = bb.n === 1 ? this.style.dot : Math.min(8 + 3 * Math.log(bb.n) * 1.6, 24);
      ctx.beginPath(); ctx.arc(bb.x - cx0, bb.y - cy0, bb.r, 0, 2 * PI);
      ctx.globalAlpha = bb.n === 1 ? 1 : 0.8; ctx.fillStyle = this.style.fill; ctx.fill();
      ctx.globalAlpha = 1; ctx.lineWidth = 1.5; ctx.strokeStyle = "#fff"; ctx.stroke();
      if (bb.n > 1) { ctx.fillStyle = "#fff"; ctx.fillText(bb.n > 999 ? Math.round(bb.n / 1000) + "k" : String(bb.n), bb.x - cx0, bb.y - cy0); }
    }
    this.clusters = list;
  },
  sinceDrawn: function () {
    // How far the canvas has moved with the map's pane since it was drawn (a pan moves it and redraws at its end:
    // an autopan runs for a quarter of a second), to add to a container point of now to find what is drawn there.
    var now = this._map.containerPointToLayerPoint([0, 0]);
    return { x: now.x - this.drawnFrom.x, y: now.y - this.drawnFrom.y };
  },
  near: function (x, y, px) {
    // Every drawn member whose point (or circle's centre) is within px of a container point.
    var out = [], s = this.screen;
    if (!s || this.clusters) return out;
    var moved = this.sinceDrawn();
    x += moved.x; y += moved.y;
    for (var k = 0; k < this.members.length; k++) {
      if (s.on[k] !== 1) continue;
      var dx = x - s.x[k], dy = y - s.y[k];
      if (dx * dx + dy * dy <= px * px) out.push(this.members[k]);
    }
    return out;
  },
  hit: function (x, y) {
    // The member under a container point (of now, the map maybe mid-pan), or a cluster (its centre as a container
    // point of now); null when nothing is there.
    if (!this.screen) return null;
    var moved = this.sinceDrawn(), sx = x + moved.x, sy = y + moved.y;
    if (this.clusters) {
      for (var u = this.clusters.length - 1; u >= 0; u--) {
        var b = this.clusters[u], dx = sx - b.x, dy = sy - b.y;
        if (dx * dx + dy * dy > (b.r + 2) * (b.r + 2)) continue;
        return b.n === 1 ? { member: this.members[b.first] } : { cluster: { x: b.x - moved.x, y: b.y - moved.y, n: b.n, r: b.r, first: b.first } };
      }
      return null;
    }
    var best = null, bestD = Infinity, s = this.screen;
    for (var k = 0; k < this.members.length; k++) {
      var on = s.on[k];
      if (!on) continue;
      var ddx = sx - s.x[k], ddy = sy - s.y[k], d2 = ddx * ddx + ddy * ddy;
      if (on === 2) {
        if (Math.abs(ddx) <= s.r[k] && Math.abs(ddy) <= s.r[k] && this.atlas.inPolygon(this.members[k].poly, x, y, this._map) && d2 < bestD) { best = k; bestD = d2; }
      } else if (d2 <= (s.r[k] + 3) * (s.r[k] + 3) && d2 < bestD) { best = k; bestD = d2; }
    }
    return best === null ? null : { member: this.members[best] };
  }
});

export { CanvasLayer };
