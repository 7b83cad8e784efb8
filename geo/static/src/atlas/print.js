// Paper: the print header, a print-only map fitted to the located places, and the list of the others.
import { CanvasLayer } from "./canvas-layer.js";
import { el } from "./dom.js";

export const print = {};

print.buildPrint = function () {
  // Paper: a header (title, date, source), a print-only map that is always laid out at the printed size and
  // fitted to the located places (so Ctrl+P at any moment, or a headless print, shows them), and the legend
  // with the list of the places not on the map. The screen map is left as the reader had it.
  var self = this, header = el("header", { className: "atlas-print-only atlas-print-header" });
  document.body.insertBefore(header, document.body.firstChild);
  this.printHeader = header;
  var container = this.map.getContainer();
  var box = el("div", { className: "atlas-print-map", id: "atlas-print-map", "aria-hidden": "true" });
  container.parentNode.insertBefore(box, container.nextSibling);
  this.printMap = L.map(box, { zoomControl: false, dragging: false, touchZoom: false, scrollWheelZoom: false,
    doubleClickZoom: false, boxZoom: false, keyboard: false, inertia: false, fadeAnimation: false,
    zoomAnimation: false, markerZoomAnimation: false, zoomSnap: 0.25 });
  L.control.scale({ imperial: false }).addTo(this.printMap);
  this.printMap.setView([43.75, 125.4], 11);
  this.map.on("baselayerchange overlayadd overlayremove", function () { self.syncPrint(); });
  window.addEventListener("beforeprint", function () { self.printHeaderText(); });
};
print.printHeaderText = function () {
  var t = this.opts.text, header = this.printHeader, located = 0;
  if (!header) return;
  for (var i = 0; i < this.p.n; i++) if (this.items[i]) located++;
  header.textContent = "";
  header.appendChild(el("p", { className: "atlas-print-title", text: t.title }));
  header.appendChild(el("p", { bi: t.subtitle }));
  header.appendChild(el("p", { text: t.printLine.replace("{date}", new Date().toISOString().slice(0, 10))
    .replace("{located}", located).replace("{total}", this.p.n).replace("{report}", this.opts.report) }));
  var active = this.filterSummary();
  if (active) header.appendChild(el("p", { text: t.printFilters.replace("{filters}", active) }));
};
print.syncPrint = function () {
  // The print map shows what the screen shows (basemap, visible layers, filters), fitted to its located places.
  var self = this, pm = this.printMap;
  if (!pm) return;
  (this.printLayers || []).forEach(function (layer) { pm.removeLayer(layer); });
  var layers = this.printLayers = [], bases = this.baseLayers();
  Object.keys(bases).forEach(function (name) {
    var base = bases[name];
    if (self.map.hasLayer(base) && base._url) layers.push(L.tileLayer(base._url, L.extend({}, base.options)));
  });
  if (this.opts.boundary && (!this.boundary || this.map.hasLayer(this.boundary))) {
    this.boundaryRings = this.boundaryRings || this.opts.boundary.coordinates;
    layers.push(L.polygon(this.projectBoundary(), { color: "#444", weight: 2, dashArray: "8 4", fill: false,
      interactive: false, attribution: this.opts.boundaryAttribution }));
  }
  var bounds = L.latLngBounds([]);
  this.p.categories.forEach(function (c) {
    var group = self.groups[c];
    if (!group || !self.map.hasLayer(group)) return;
    var st = self.opts.styles[c];
    layers.push(new CanvasLayer(self, group.members, { color: st.color, fill: st.color, dot: 6, shape: st.shape,
      centres: true, attribution: self.opts.placesAttribution }));
    group.members.forEach(function (m) {
      var item = self.items[m.i];
      if (m.poly !== undefined || m.radius) bounds.extend(item.getBounds()); else bounds.extend(item.getLatLng());
    });
  });
  if (this.radii && this.map.hasLayer(this.radiiGroup)) {
    layers.push(new CanvasLayer(this, this.radii.members, this.radii.style));
  }
  layers.forEach(function (layer) { layer.addTo(pm); });
  if (!bounds.isValid() && this.opts.boundary) {
    this.opts.boundary.coordinates.forEach(function (poly) { poly[0].forEach(function (pt) { bounds.extend(self.project(pt[0], pt[1])); }); });
  }
  pm.invalidateSize({ pan: false });
  if (bounds.isValid()) pm.fitBounds(bounds, { padding: [18, 18], animate: false, maxZoom: 16 });
  this.printHeaderText();
  this.buildPrintList();
  document.body.setAttribute("data-print-ready", "1");
};
print.buildPrintList = function () {
  // On paper, the places without a location are listed under the legend: never silently missing.
  var self = this, t = this.opts.text, old = document.getElementById("atlas-print-unlocated"), names = [];
  if (old) old.remove();
  for (var i = 0; i < this.p.n; i++) if (!this.items[i]) names.push(i);
  var body = document.getElementById("atlas-panel-body");
  if (!body || !names.length) return;
  // One line per category ("公园绿地 Parks：睦邻园、创意园"), so the list fits beside or under the legend.
  var byCat = {};
  names.forEach(function (k) { (byCat[self.cat(k)] = byCat[self.cat(k)] || []).push(self.str("name", k) || ""); });
  var list = el("ul", null, this.p.categories.filter(function (c) { return byCat[c]; }).map(function (c) {
    return el("li", { "data-category": c }, [el("strong", { bi: self.opts.labels[c] + "（" + byCat[c].length + "）" }),
                                               "：" + byCat[c].join("、")]);
  }));
  var box = el("section", { className: "atlas-print-only atlas-print-unlocated", id: "atlas-print-unlocated" }, [
    el("h3", { bi: t.printUnlocated.replace("{n}", names.length) }), list]);
  var legendNote = document.getElementById("atlas-legend").nextSibling;
  body.insertBefore(box, legendNote ? legendNote.nextSibling : null);
};
print.locatedBounds = function () {
  var bounds = L.latLngBounds([]);
  for (var i = 0; i < this.p.n; i++) {
    var item = this.items[i];
    if (!item) continue;
    if (item.member.poly !== undefined || item.member.radius) bounds.extend(item.getBounds()); else bounds.extend(item.getLatLng());
  }
  return bounds.isValid() ? bounds : null;
};
