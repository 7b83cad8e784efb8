/*
 * The atlas: one per page, made by the page's script (nanguanAtlas(map, options), see index.js) from the payload
 * in its <script type="application/json">. Its methods are grouped by concern in the modules mixed in below.
 *
 * Extensions (the editor of `geo serve`) attach through one declared interface, registerExtension(extension):
 *   extension.name           a name; the hooks are kept as atlas.extensions[name]
 *   extension.attach(atlas, tools) -> hooks or null
 *                            called once per atlas, after its layers and panel are built and before the link's
 *                            state is applied; tools.fmtArea formats an area in the page's language
 *   hooks.popup(node, i)     may add to (or replace) the popup or details content of place i; returns the node
 *   hooks.onReload()         called after every reload(payload) (a live update) has redrawn the page
 * Nothing else of the atlas is wrapped or replaced by an extension.
 */
import { readPayload, decodeDeltas } from "./payload.js";
import { wgs2gcj } from "./datum.js";
import { mercX, mercY } from "./mercator.js";
import { el } from "./dom.js";
import { fmtArea } from "./format.js";
import { layers } from "./layers.js";
import { urlState } from "./url-state.js";
import { popup } from "./popup.js";
import { search } from "./search.js";
import { panel } from "./panel.js";
import { print } from "./print.js";
import { table } from "./table.js";
import { readers } from "./readers.js";
import { filters } from "./filters.js";

var EXTENSIONS = [];

function registerExtension(extension) {
  if (!extension || typeof extension.attach !== "function") throw new TypeError("an extension needs attach(atlas, tools)");
  EXTENSIONS.push(extension);
}

function Atlas(map, opts) {
  var payload = readPayload(document.getElementById(opts.dataId).textContent);
  this.map = map;
  this.opts = opts;
  this.p = payload;
  this.S = payload.strings;
  this.datum = opts.startDatum || "wgs84";  // GCJ-02 when the page opens on the Amap basemap
  this.applyLanguage();
  this.build();
}

Atlas.prototype.str = function (col, i) {
  var k = this.p.columns[col][i];
  return k == null || k < 0 ? null : this.S[k];
};
Atlas.prototype.num = function (col, i) {
  var v = this.p.numbers[col][i];
  return v == null ? null : v;
};
Atlas.prototype.cat = function (i) { return this.p.categories[this.p.category[i]]; };

Atlas.prototype.project = function (lon, lat) {
  // (lon, lat) in WGS-84 -> Leaflet [lat, lon] in the basemap's datum.
  if (this.datum === "gcj02") { var g = wgs2gcj(lon, lat); return [g[1], g[0]]; }
  return [lat, lon];
};

Atlas.prototype.decode = function () {
  // WGS-84 lon/lat of every point and polygon vertex, decoded once.
  var p = this.p;
  this.lon = decodeDeltas(p.points.x);
  this.lat = decodeDeltas(p.points.y);
  this.polyLonLat = p.polygons.map(function (entry) {
    return entry[1].map(function (poly) {
      return poly.map(function (ring) { return [decodeDeltas(ring[0]), decodeDeltas(ring[1])]; });
    });
  });
};

Atlas.prototype.reproject = function () {
  // Mercator coordinates in the current datum, for drawing and hit-testing.
  var n = this.lon.length, gcj = this.datum === "gcj02";
  this.mx = new Float64Array(n); this.my = new Float64Array(n);
  for (var k = 0; k < n; k++) {
    var lon = this.lon[k], lat = this.lat[k];
    if (gcj) { var g = wgs2gcj(lon, lat); lon = g[0]; lat = g[1]; }
    this.mx[k] = mercX(lon); this.my[k] = mercY(lat);
  }
  var boxes = this.bbox = [];
  this.rings = this.polyLonLat.map(function (polys) {
    var flat = [], box = [Infinity, Infinity, -Infinity, -Infinity];
    boxes.push(box);
    polys.forEach(function (poly) {
      poly.forEach(function (ring) {
        var lons = ring[0], lats = ring[1], out = new Float64Array(lons.length * 2);
        for (var j = 0; j < lons.length; j++) {
          var x = lons[j], y = lats[j];
          if (gcj) { var g2 = wgs2gcj(x, y); x = g2[0]; y = g2[1]; }
          var u = out[2 * j] = mercX(x), v = out[2 * j + 1] = mercY(y);
          if (u < box[0]) box[0] = u; if (v < box[1]) box[1] = v; if (u > box[2]) box[2] = u; if (v > box[3]) box[3] = v;
        }
        flat.push(out);
      });
    });
    return flat;
  });
};

Atlas.prototype.inPolygon = function (polyIndex, x, y, map) {
  // Even-odd test of a container point against a polygon's rings.
  var scale = 256 * Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
  var pane = map.containerPointToLayerPoint([0, 0]);
  var ox = origin.x + pane.x, oy = origin.y + pane.y, inside = false, rings = this.rings[polyIndex];
  for (var a = 0; a < rings.length; a++) {
    var r = rings[a], n = r.length / 2;
    for (var i = 0, j = n - 1; i < n; j = i++) {
      var xi = r[2 * i] * scale - ox, yi = r[2 * i + 1] * scale - oy, xj = r[2 * j] * scale - ox, yj = r[2 * j + 1] * scale - oy;
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
};

Atlas.prototype.build = function () {
  var self = this, map = this.map, opts = this.opts;
  this.decode();
  this.reproject();
  this.layout();
  if (opts.boundary) {
    // Fit to the district before any layer is drawn, so the first draw is the only one.
    var bounds = L.latLngBounds([]);
    opts.boundary.coordinates.forEach(function (poly) { poly[0].forEach(function (pt) { bounds.extend([pt[1], pt[0]]); }); });
    map.fitBounds(bounds, { animate: false });
  }
  this.renderer = L.canvas({ padding: 0.5 });
  this.buildLayers();
  this.buildBoundary();
  this.buildServiceAreas();
  this.buildTable();
  this.tooltip = L.tooltip({ sticky: false, direction: "top", offset: [0, -8] });
  this.busy = false;
  map.on("click", function (e) {
    if (self.busy) return;
    var hit = self.hitAt(e.containerPoint);
    if (!hit) return;
    if (hit.cluster) { map.setView(map.containerPointToLatLng([hit.cluster.x, hit.cluster.y]), Math.min(map.getZoom() + 2, map.getMaxZoom())); return; }
    var here = self.nearAt(e.containerPoint);
    if (here.length > 1) { self.openChoice(here, self.items[here[0].i].getLatLng()); return; }
    self.openPopup(hit.member.i);
  });
  map.on("mousemove", function (e) {
    var hit = self.busy ? null : self.hitAt(e.containerPoint);
    map.getContainer().style.cursor = hit ? "pointer" : "";
    if (hit && hit.member) {
      // A DOM node, not a string: Leaflet would insert a string as HTML.
      self.tooltip.setContent(el("span", { text: self.str("name", hit.member.i) || "" }));
      self.tooltip.setLatLng(e.latlng);
      if (!map.hasLayer(self.tooltip)) self.tooltip.addTo(map);
    } else if (map.hasLayer(self.tooltip)) {
      map.removeLayer(self.tooltip);
    }
  });
  map.on("draw:drawstart draw:editstart draw:deletestart measurestart", function () { self.busy = true; });
  map.on("draw:drawstop draw:editstop draw:deletestop measurefinish", function () { self.busy = false; });
  // While a shape is drawn every mouse move goes to the drawing tool: the places' canvas (Leaflet's canvas renderer,
  // on top of the map) handles at most one move per 32 ms and drops the rest, so a rectangle whose button went up
  // soon after its last move ended at the move before, short of the corner the planner let go at.
  map.on("draw:drawstart", function () { L.DomUtil.addClass(map.getContainer(), "atlas-drawing"); });
  map.on("draw:drawstop", function () { L.DomUtil.removeClass(map.getContainer(), "atlas-drawing"); });
  map.on("baselayerchange", function (e) {
    self.setDatum(opts.gcjLayers.indexOf(e.name) >= 0 ? "gcj02" : "wgs84");
  });
  map.on("draw:created", function (e) {
    // Record the datum the sketch was drawn in, so `geo import` converts it.
    var layer = e.layer;
    layer.feature = layer.feature || { type: "Feature", properties: {} };
    layer.feature.properties.datum = self.datum;
  });
  this.attachExtensions();
  this.linkState();
};

Atlas.prototype.attachExtensions = function () {
  var self = this, tools = { fmtArea: fmtArea };
  this.extensions = {};
  this.hooks = [];
  EXTENSIONS.forEach(function (extension) {
    var hooks = extension.attach(self, tools);
    if (!hooks) return;
    self.hooks.push(hooks);
    if (extension.name) self.extensions[extension.name] = hooks;
  });
};

Object.assign(Atlas.prototype, layers, urlState, popup, search, panel, print, table, readers, filters);

export { Atlas, registerExtension };
