import { CanvasLayer } from "./canvas-layer.js";
import { el } from "./dom.js";

// A place on the map as the panel, search and popups use it: where it is, in the basemap's datum.
function Item(atlas, i, member) {
  this.atlas = atlas; this.i = i; this.member = member;
}
Item.prototype.getLatLng = function () {
  var a = this.atlas, m = this.member;
  if (m.poly !== undefined) return this.getBounds().getCenter();
  return L.latLng(a.project(a.lon[m.pt], a.lat[m.pt]));
};
Item.prototype.getBounds = function () {
  var a = this.atlas, m = this.member;
  if (m.poly === undefined) {
    var c = this.getLatLng();
    return m.radius ? c.toBounds(2 * m.radius) : L.latLngBounds(c, c);
  }
  var b = L.latLngBounds([]);
  a.polyLonLat[m.poly].forEach(function (poly) {
    var ring = poly[0];
    for (var j = 0; j < ring[0].length; j++) b.extend(a.project(ring[0][j], ring[1][j]));
  });
  return b;
};

export const layers = {};

layers.buildLayers = function () {
  // The category layers, the radii and the panel, from the current payload (again after a reload).
  var self = this, p = this.p, map = this.map, opts = this.opts;
  this.items = new Array(p.n);
  var members = {}, polyIndex = {}, k = 0;
  p.polygons.forEach(function (entry, q) { polyIndex[entry[0]] = q; });
  p.categories.forEach(function (c) { members[c] = []; });
  for (var i = 0; i < p.n; i++) {
    var kind = p.kind[i], m = null;
    if (kind === 1) {
      var precision = this.str("precision", i), unc = this.num("uncertainty_m", i);
      m = { i: i, pt: k++ };
      if (opts.approximate.indexOf(precision) >= 0 && unc) m.radius = unc;
    } else if (kind === 2) {
      m = { i: i, poly: polyIndex[i], schematic: this.str("outline", i) === "schematic" };
    }
    this.items[i] = m ? new Item(this, i, m) : null;
    if (m) members[this.cat(i)].push(m);
  }
  var hidden = this.hidden || {};
  this.groups = {};
  p.categories.forEach(function (c) {
    var st = opts.styles[c];
    var layer = new CanvasLayer(self, members[c], {
      color: st.color, fill: st.color, dot: 6, shape: st.shape, centres: true, clusterOver: opts.clusterOver,
      attribution: opts.placesAttribution
    });
    self.groups[c] = layer;
    if (!hidden[c]) layer.addTo(map);
    opts.control.addOverlay(layer, opts.labels[c] + " (" + members[c].length + ")");
  });
  this.buildRadii(members.park);
  this.buildPanel();
};

layers.reload = function (payload) {
  // Redraw from a new payload (the editor's live updates), keeping the view and the layers' visibility.
  var self = this, map = this.map, control = this.opts.control, radiiOn = map.hasLayer(this.radiiGroup);
  this.hidden = {};
  Object.keys(this.groups).forEach(function (c) {
    var layer = self.groups[c];
    if (!map.hasLayer(layer)) self.hidden[c] = true;
    control.removeLayer(layer); map.removeLayer(layer);
  });
  control.removeLayer(this.radiiGroup); map.removeLayer(this.radiiGroup);
  var search = document.getElementById("atlas-search"), query = search ? search.value : "";
  var focused = search && document.activeElement === search;
  this.p = payload; this.S = payload.strings; this.searchCache = null;
  this.decode(); this.reproject();
  this.buildLayers();
  if (radiiOn) this.radiiGroup.addTo(map);
  if (this.tableWrap) this.tableWrap.textContent = "";
  if (query) {
    // Someone typing in the search box keeps their query (and its results) across a live update.
    search = document.getElementById("atlas-search");
    search.value = query;
    search.dispatchEvent(new Event("input"));
    if (focused) search.focus();
  }
  this.hooks.forEach(function (hooks) { if (hooks.onReload) hooks.onReload(); });
};

layers.indexOf = function (ident) {
  var ids = this.p.columns.id;
  for (var i = 0; i < this.p.n; i++) if (this.S[ids[i]] === ident) return i;
  return -1;
};

layers.hitAt = function (pt) {
  // The top-most visible category wins.
  var cats = this.p.categories;
  for (var c = cats.length - 1; c >= 0; c--) {
    var layer = this.groups[cats[c]];
    if (!this.map.hasLayer(layer)) continue;
    var hit = layer.hit(pt.x, pt.y);
    if (hit) return hit;
  }
  return null;
};

layers.nearAt = function (pt) {
  // Places drawn on (almost) the same spot, in every visible layer: offered as a list, not hidden under each other.
  var cats = this.p.categories, out = [];
  for (var c = cats.length - 1; c >= 0; c--) {
    var layer = this.groups[cats[c]];
    if (this.map.hasLayer(layer)) out = out.concat(layer.near(pt.x, pt.y, 9));
  }
  return out;
};

layers.openChoice = function (members, where) {
  var self = this, t = this.opts.text;
  var list = el("ul", { className: "atlas-choice" }, members.map(function (m) {
    var btn = el("button", { type: "button", className: "atlas-link", "data-atlas-id": self.str("id", m.i), text: self.str("name", m.i) });
    btn.addEventListener("click", function () { self.openPopup(m.i); });
    return el("li", null, [btn, " ", el("span", { className: "atlas-muted", text: self.opts.labels[self.cat(m.i)] })]);
  }));
  var box = el("div", { className: "atlas-popup" }, [el("h4", { text: t.placesHere.split("{n}").join(String(members.length)) }), list]);
  L.popup(this.popupOptions()).setLatLng(where).setContent(box).openOn(this.map);
};

layers.countLocated = function (c) {
  return this.groups[c].members.length;
};

layers.buildBoundary = function () {
  var b = this.opts.boundary;
  if (!b) return;
  this.boundaryRings = b.coordinates;
  this.boundary = L.polygon(this.projectBoundary(), {
    renderer: this.renderer, color: "#444", weight: 2, dashArray: "8 4", fill: false, interactive: false,
    attribution: this.opts.boundaryAttribution
  });
  this.boundary.addTo(this.map);
  this.opts.control.addOverlay(this.boundary, this.opts.boundaryLabel);
};

layers.projectBoundary = function () {
  var self = this;
  return this.boundaryRings.map(function (poly) {
    return poly.map(function (ring) { return ring.map(function (pt) { return self.project(pt[0], pt[1]); }); });
  });
};

layers.buildRadii = function (parks) {
  // Straight-line radii around every located park, off by default, on one canvas: circles around point
  // parks, and for outlined parks the outline grown by the radius (measured from the edge, as geo summary
  // measures). The grown outlines are drawn from the parks' own outlines only while the layer is on
  // (CanvasLayer.drawGrown): nothing is computed, or carried in the page, until someone asks for them.
  var entries = [], self = this;
  (parks || []).forEach(function (m) {
    self.opts.radii.forEach(function (r) {
      if (m.pt !== undefined) entries.push({ i: m.i, pt: m.pt, radius: r });
      else if (m.poly !== undefined) entries.push({ i: m.i, poly: m.poly, radius: r });
    });
  });
  this.radii = new CanvasLayer(this, entries, { color: "#2e7d32", fill: "#66bb6a", dot: 0, circleAlpha: 0.05,
                                                dash: [3, 4], circleWidth: 1.5 });
  this.radiiGroup = L.layerGroup([this.radii]);
  this.opts.control.addOverlay(this.radiiGroup, this.opts.radiiLabel);
};

layers.projectPolygons = function (group) {
  // Polygons kept in WGS-84 (poly.rings), drawn in the basemap's datum.
  var self = this;
  group.eachLayer(function (poly) {
    poly.setLatLngs(poly.rings.map(function (rings) {
      return rings.map(function (ring) { return ring.map(function (pt) { return self.project(pt[0], pt[1]); }); });
    }));
  });
};

layers.buildServiceAreas = function () {
  // Per radius, the areas reachable on foot along the streets (geo build --network): one layer each.
  var self = this, areas = this.opts.serviceAreas || [], radii = {};
  this.serviceLayers = [];
  areas.forEach(function (a) { (radii[a.radius_m] = radii[a.radius_m] || []).push(a); });
  Object.keys(radii).sort(function (x, y) { return y - x; }).forEach(function (r, k) {
    var group = L.featureGroup();
    radii[r].forEach(function (a) {
      var poly = L.polygon([], { renderer: self.renderer, color: k ? "#1565c0" : "#5c6bc0", weight: 1,
                                 fillOpacity: 0.12, interactive: false });
      poly.rings = a.polygons;
      group.addLayer(poly);
    });
    self.serviceLayers.push(group);
    group.addTo(self.map);  // asked for with --network: shown from the start
    self.opts.control.addOverlay(group, self.opts.text.serviceArea.replace("{r}", Number(r).toLocaleString("zh-CN")));
  });
  this.projectServiceAreas();
};

layers.projectServiceAreas = function () {
  var self = this;
  (this.serviceLayers || []).forEach(function (group) { self.projectPolygons(group); });
};

layers.setDatum = function (datum) {
  if (datum === this.datum) return;
  this.datum = datum;
  this.reproject();
  var self = this;
  this.p.categories.forEach(function (c) { self.groups[c].redraw(); });
  this.radii.redraw();
  if (this.boundary) this.boundary.setLatLngs(this.projectBoundary());
  this.projectServiceAreas();
  this.syncPrint();
  var note = document.getElementById("atlas-datum-note");
  if (note) note.textContent = datum === "gcj02" ? this.opts.text.datumGcj : this.opts.text.datumWgs;
};
