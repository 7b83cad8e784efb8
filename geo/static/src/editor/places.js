import { el } from "../atlas/dom.js";
import { FIELDS, EDIT_ONLY, field } from "./forms.js";

export const places = {};

// ---- placing a place by hand (unlocated, or moving a point)
places.uncertaintyForZoom = function () {
  // A click is good to about 10 screen pixels at this zoom.
  var c = this.map.getCenter(), mpp = 40075016.686 * Math.cos(c.lat * Math.PI / 180) / (256 * Math.pow(2, this.map.getZoom()));
  return Math.max(5, Math.round(10 * mpp));
};

places.startPlacing = function (ident, name) {
  var self = this, t = this.t;
  this.api("GET", "places/" + ident).then(function (r) {
    if (r.status !== 200) { self.say(r.data.error || "?", null, true); return; }
    var version = r.data.version;
    var lonlat = el("input", { type: "text", placeholder: "125.3341,43.8412" });
    var address = el("input", { type: "text" });
    var source = el("input", { type: "text" });
    var unc = el("input", { type: "number", min: "0", step: "1", value: String(self.uncertaintyForZoom()) });
    var datum = el("p", { className: "geo-muted", id: "geo-datum", text: t.datumNote + self.atlas.datum });
    var form = self.openForm(t.placeTitle + name, [el("p", { className: "geo-muted", text: t.placeHint }),
      field("lonlat", t.lonlat, lonlat), field("address", t.address, address), field("source", t.source, source),
      field("uncertainty", t.uncertainty, unc), datum], function () {
      var body = { version: version, source: self.value("source"), datum: self.atlas.datum,
                   uncertainty_m: self.value("uncertainty") == null ? null : Number(self.value("uncertainty")) };
      if (self.value("lonlat") && self.value("lonlat") === self.clicked) body.zoom = self.clickZoom;
      if (self.value("lonlat")) body.lonlat = self.value("lonlat"); else body.address = self.value("address");
      var send = function (v) { body.version = v; return self.send("PUT", "places/" + ident + "/location", body, send); };
      send(version);
    });
    form.setAttribute("data-place", ident);
    self.layout("placing");
    self.atlas.busy = true;
    self.clickHandler = function (e) {
      // The click is in the basemap's datum (GCJ-02 on Amap): sent as it is, with that datum.
      lonlat.value = e.latlng.lng.toFixed(7) + "," + e.latlng.lat.toFixed(7);
      self.clicked = lonlat.value; self.clickZoom = self.map.getZoom();
      unc.value = String(self.uncertaintyForZoom());
      datum.textContent = t.datumNote + self.atlas.datum;
      if (self.temp) self.map.removeLayer(self.temp);
      self.temp = L.circleMarker(e.latlng, { radius: 8, color: "#d81b60", weight: 3, fill: false, interactive: false }).addTo(self.map);
    };
    self.map.on("click", self.clickHandler);
    source.focus();
  });
};

// ---- adding a park from a drawn point, rectangle or polygon
places.hookDraw = function () {
  var self = this;
  // While the draw tool is in use the map has the screen (on a phone the sheet and the editor step aside).
  this.map.on("draw:drawstart draw:editstart", function () { if (!self.form) self.layout("drawing"); });
  this.map.on("draw:drawstop draw:editstop", function () { if (!self.form) self.layout(null); });
  this.map.on("draw:created", function (e) {
    if (!self.token) return;
    var geometry = e.layer.toGeoJSON().geometry;
    self.temp = null;
    self.addPark(geometry, e.layer);
  });
};

places.addPark = function (geometry, layer) {
  var self = this, t = this.t, datum = this.atlas.datum;
  var rows = FIELDS.map(function (f) { return field(f[0], t[f[1]], self.input(f[0], f[0] === "status" ? "open" : null, f[2])); });
  var source = el("input", { type: "text" });
  rows.push(field("source", t.source, source));
  var mapped = el("p", { className: "geo-muted", id: "geo-mapped" });
  var confirm = el("input", { type: "checkbox" });
  rows.push(mapped, field("confirm_area", t.confirmArea, confirm), field("reason", t.acceptReason, el("input", { type: "text" })));
  var body = function () {
    return { name: self.value("name"), "name-en": self.value("name-en"), area: self.value("area"), "class": self.value("class"),
             status: self.value("status") || "open", source: self.value("source"), geometry: geometry, datum: datum,
             confirm_area: !!self.value("confirm_area"), reason: self.value("reason") };
  };
  this.openForm(t.addPark, rows, function () { self.send("POST", "places", body()); });
  this.layout("placing");
  this.temp = layer;
  if (layer && !this.map.hasLayer(layer)) layer.addTo(this.map);
  var measure = function () {
    if (geometry.type === "Point") return;
    // A dry run only to measure: placeholders for what the form still lacks (nothing is saved).
    var b = Object.assign(body(), { dry_run: true, name: body().name || "?", area: body().area || "1",
                                    source: body().source || "?" });
    self.api("POST", "places", b).then(function (r) {
      var m = r.data.mapped_area_m2;
      (r.data.problems || []).forEach(function (p) { if (m == null && p.values && p.values.mapped_area_m2 != null) m = p.values.mapped_area_m2; });
      if (m != null) mapped.textContent = t.mapped + self.tools.fmtArea(m);
    });
  };
  this.form.querySelector("[name='area']").addEventListener("change", measure);
  measure();
};

// ---- editing, moving, re-outlining and removing from a popup
places.popupActions = function (node, i) {
  // The popup's (or details') buttons for place i, added through the atlas's popup hook (core.js).
  var self = this, atlas = this.atlas;
  if (!self.token) return node;
  var ident = atlas.str("id", i), name = atlas.str("name", i), item = atlas.items[i];
  var bar = el("div", { className: "geo-actions geo-popup-actions" });
  var edit = el("button", { type: "button", className: "geo-edit", text: self.t.edit });
  edit.addEventListener("click", function () { atlas.map.closePopup(); self.edit(ident, name); });
  bar.appendChild(edit);
  if (item && item.member.poly === undefined) {
    var move = el("button", { type: "button", className: "geo-move", text: self.t.move });
    move.addEventListener("click", function () { atlas.map.closePopup(); self.startPlacing(ident, name); });
    bar.appendChild(move);
  } else if (item) {
    var outline = el("button", { type: "button", className: "geo-outline", text: self.t.editOutline });
    outline.addEventListener("click", function () { atlas.map.closePopup(); self.editOutline(ident, name); });
    bar.appendChild(outline);
  }
  var remove = el("button", { type: "button", className: "geo-remove", text: self.t.remove });
  remove.addEventListener("click", function () { atlas.map.closePopup(); self.remove(ident, name); });
  bar.appendChild(remove);
  var past = el("button", { type: "button", className: "geo-place-history", text: self.t.historyButton });
  past.addEventListener("click", function () { atlas.map.closePopup(); self.openHistory(ident); });
  bar.appendChild(past);
  node.appendChild(bar);
  return node;
};

places.edit = function (ident, name) {
  var self = this, t = this.t;
  this.api("GET", "places/" + ident).then(function (r) {
    if (r.status !== 200) { self.say(r.data.error || "?", null, true); return; }
    var p = r.data.feature.properties;
    var before = { name: p.name, "name-en": p.name_en, area: p.stated_area_m2 == null ? null : String(p.stated_area_m2),
                   "class": p.park_class, status: p.status, address: p.address, notes: p.notes };
    var all = FIELDS.concat(EDIT_ONLY);
    var rows = all.map(function (f) { return field(f[0], t[f[1]], self.input(f[0], before[f[0]], f[2])); });
    rows.push(field("source", t.source, el("input", { type: "text" })));
    self.openForm(t.edit + ": " + name, rows, function () {
      var changes = {};
      all.forEach(function (f) {
        var v = self.value(f[0]);
        if ((v || null) !== (before[f[0]] == null ? null : String(before[f[0]]))) changes[f[0]] = v;
      });
      // A changed area or status names where it comes from (else it is recorded as entered by hand).
      if (self.value("source")) {
        if ("area" in changes && changes.area != null) changes["area-source"] = self.value("source");
        if ("status" in changes) changes["status-source"] = self.value("source");
      }
      var body = { changes: changes };
      var send = function (v) { body.version = v; return self.send("PATCH", "places/" + ident, body, send); };
      send(r.data.version);
    }).setAttribute("data-place", ident);
  });
};

places.editOutline = function (ident, name) {
  var self = this, atlas = this.atlas;
  this.api("GET", "places/" + ident).then(function (r) {
    if (r.status !== 200) { self.say(r.data.error || "?", null, true); return; }
    var g = r.data.feature.geometry, polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    var latlngs = polys.map(function (rings) { return rings.map(function (ring) { return ring.slice(0, -1).map(function (pt) { return atlas.project(pt[0], pt[1]); }); }); });
    // One outline is handed over as its rings: Leaflet.draw's vertex editing fails on a one-part multi-polygon nesting.
    var layer = L.polygon(latlngs.length === 1 ? latlngs[0] : latlngs, { color: "#d81b60" }).addTo(self.map);
    if (layer.editing) layer.editing.enable();
    var source = el("input", { type: "text" });
    // A refused area difference can be accepted here too, with the reason the record keeps.
    var rows = [field("source", self.t.source, source), field("confirm_area", self.t.confirmArea, el("input", { type: "checkbox" })),
                field("reason", self.t.acceptReason, el("input", { type: "text" }))];
    self.openForm(self.t.editOutline + ": " + name, rows, function () {
      var body = { geometry: layer.toGeoJSON().geometry, datum: atlas.datum, source: self.value("source"),
                   confirm_area: !!self.value("confirm_area"), reason: self.value("reason") };
      var send = function (v) { body.version = v; return self.send("PUT", "places/" + ident + "/outline", body, send); };
      send(r.data.version);
    });
    self.layout("placing");
    self.temp = layer;
  });
};

places.remove = function (ident, name) {
  var self = this, t = this.t;
  this.api("GET", "places/" + ident).then(function (r) {
    if (r.status !== 200) { self.say(r.data.error || "?", null, true); return; }
    self.openForm(t.confirmRemove + " " + name, [], function () {
      var body = { version: r.data.version };
      var send = function (v) { body.version = v; return self.send("DELETE", "places/" + ident, body, send); };
      send(r.data.version).then(function (done) {
        if (!done || !done.change) return;
        var undo = el("button", { type: "button", id: "geo-undo", text: t.undo });
        undo.addEventListener("click", function () {
          self.api("POST", "undo/" + done.change, {}).then(function (u) {
            self.undoSlot.textContent = u.status === 200 ? t.undone + ": " + name : (u.data.error || "?");
            if (u.status === 200) self.refresh();
          });
        });
        self.undoSlot.textContent = t.removed + name + " ";
        self.undoSlot.appendChild(undo);
      });
    }).setAttribute("data-place", ident);
    document.getElementById("geo-save").textContent = t.remove;
  });
};

// ---- the "Not on the map" list gets a Place button per place
places.decorate = function () {
  var self = this, atlas = this.atlas;
  if (!this.token) return;
  document.querySelectorAll("#atlas-unlocated li[data-atlas-id]").forEach(function (li) {
    var ident = li.getAttribute("data-atlas-id"), i = atlas.indexOf(ident);
    var btn = el("button", { type: "button", className: "geo-place", "data-place": ident, text: self.t.place });
    btn.addEventListener("click", function () { self.startPlacing(ident, atlas.str("name", i)); });
    li.appendChild(btn);
  });
};
