import { LANG } from "./locale.js";

/*
 * The shareable state: the URL's hash keeps the view (z, c), the basemap (b), hidden categories (hide), other
 * layers not as they start (show, off), the language (lang), the filters (fs, fc, fq, fa, fu) and the selected
 * place (place). The pure parts (parsing and writing the filters) are exported for the unit tests.
 */
var STATE_KEYS = /(^#|&)(place|z|c|b|hide|show|lang|fs|fc|fq|fa|fu)=/;

function parseHash(hash) {
  // "#place=x&z=13" -> {place: "x", z: "13"}: values decoded, keys without a value kept as "".
  var state = {};
  (hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
    var k = kv.split("=")[0], v = kv.slice(k.length + 1);
    if (k) state[k] = decodeURIComponent(v || "");
  });
  return state;
}

function isStateLink(hash) {
  // Does the link carry any of the state the page restores (not only, say, the editor's token)?
  return STATE_KEYS.test(hash || "");
}

function filtersFromState(state) {
  // The filters a parsed hash asks for (all null, unknownArea true: no filter).
  var list = function (v) { return v ? v.split(",").filter(function (x) { return x !== ""; }) : null; };
  var f = { status: list(state.fs), cls: list(state.fc), quality: list(state.fq), min: null, max: null, unknownArea: state.fu !== "0" };
  if (state.fa) {
    var ends = state.fa.split("-"), lo = parseFloat(ends[0]), hi = parseFloat(ends[1]);
    f.min = isFinite(lo) ? lo : null; f.max = isFinite(hi) ? hi : null;
  }
  return f;
}

function filterParts(f) {
  // The hash's parts for active filters, the inverse of filtersFromState.
  var parts = [], enc = function (list) { return list.map(encodeURIComponent).join(","); };
  if (f.status) parts.push("fs=" + enc(f.status));
  if (f.cls) parts.push("fc=" + enc(f.cls));
  if (f.quality) parts.push("fq=" + enc(f.quality));
  if (f.min != null || f.max != null) parts.push("fa=" + (f.min == null ? "" : f.min) + "-" + (f.max == null ? "" : f.max));
  if (f.unknownArea === false) parts.push("fu=0");
  return parts;
}

export const urlState = {};

urlState.baseLayers = function () {
  var out = {};
  (this.opts.control._layers || []).forEach(function (l) { if (!l.overlay) out[l.name] = l.layer; });
  return out;
};

urlState.stateHash = function () {
  var map = this.map, c = map.getCenter(), parts = [], self = this;
  if (this.selected) parts.push("place=" + encodeURIComponent(this.selected));
  parts.push("z=" + map.getZoom(), "c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5));
  var bases = this.baseLayers();
  Object.keys(bases).forEach(function (name, k) { if (map.hasLayer(bases[name])) parts.push("b=" + k); });
  var hidden = this.p.categories.filter(function (c) { return !map.hasLayer(self.groups[c]); });
  if (hidden.length) parts.push("hide=" + hidden.join(","));
  return "#" + parts.concat(this.stateExtras()).join("&");
};

urlState.writeState = function (push) {
  if (this.applying) return;
  var hash = this.stateHash();
  if (hash === window.location.hash) return;
  // A new selection is a step back can return to; moving the map only updates the current step.
  if (push) window.history.pushState(null, "", hash); else window.history.replaceState(null, "", hash);
};

urlState.readState = function () {
  return parseHash(window.location.hash);
};

urlState.applyState = function (state) {
  var self = this, map = this.map;
  this.applying = true;
  try {
    var bases = this.baseLayers(), names = Object.keys(bases), want = names[Number(state.b)];
    if (want && !map.hasLayer(bases[want])) {
      names.forEach(function (n) { if (map.hasLayer(bases[n])) map.removeLayer(bases[n]); });
      map.addLayer(bases[want]);
      map.fire("baselayerchange", { layer: bases[want], name: want });
    }
    var hidden = (state.hide || "").split(",");
    this.p.categories.forEach(function (c) {
      var off = hidden.indexOf(c) >= 0, layer = self.groups[c];
      if (off && map.hasLayer(layer)) map.removeLayer(layer);
      if (!off && !map.hasLayer(layer)) map.addLayer(layer);
    });
    var c = (state.c || "").split(",").map(Number);
    if (c.length === 2 && isFinite(c[0]) && isFinite(c[1]) && isFinite(Number(state.z))) {
      map.setView(c, Number(state.z), { animate: false });
    }
    this.applyStateExtras(state);
    var i = state.place ? this.indexOf(state.place) : -1;
    if (i >= 0) { this.selected = state.place; this.openPopup(i, true); }
    else { this.selected = null; map.closePopup(); }
  } finally {
    this.applying = false;
  }
};

urlState.linkState = function () {
  var self = this, map = this.map;
  if (isStateLink(window.location.hash)) {
    var initial = this.readState();
    this.applyState(initial);
    // Layout can still change while the page loads (styles, the fitted first view): apply the link once more then.
    if (window.document.readyState !== "complete") {
      window.addEventListener("load", function () { self.applyState(initial); }, { once: true });
    }
  }
  map.on("moveend zoomend baselayerchange overlayadd overlayremove", function () { self.writeState(false); });
  map.on("popupclose", function (e) {
    // Only closing the selected place's popup ends the selection (opening another closes it too).
    if (!self.applying && self.selected && e.popup === self.popup) { self.selected = null; self.writeState(true); }
  });
  window.addEventListener("popstate", function () { self.applyState(self.readState()); });
};

urlState.stateExtras = function () {
  // The link keeps the language, every layer that is not as it starts, and the filters.
  var map = this.map, parts = [], f = this.filters;
  var hidden = [], shown = [];
  if (this.radiiGroup && map.hasLayer(this.radiiGroup)) shown.push("radii");
  if (this.boundary && !map.hasLayer(this.boundary)) hidden.push("boundary");
  (this.serviceLayers || []).forEach(function (g, k) { if (!map.hasLayer(g)) hidden.push("walk" + k); });
  if (shown.length) parts.push("show=" + shown.join(","));
  if (hidden.length) parts.push("off=" + hidden.join(","));
  if (LANG.explicit) parts.push("lang=" + encodeURIComponent(LANG.code));
  if (this.filtersActive()) parts = parts.concat(filterParts(f));
  return parts;
};

urlState.applyStateExtras = function (state) {
  var map = this.map, shown = (state.show || "").split(","), off = (state.off || "").split(",");
  var toggle = function (layer, on) { if (!layer) return; if (on && !map.hasLayer(layer)) map.addLayer(layer); if (!on && map.hasLayer(layer)) map.removeLayer(layer); };
  toggle(this.radiiGroup, shown.indexOf("radii") >= 0);
  toggle(this.boundary, off.indexOf("boundary") < 0);
  (this.serviceLayers || []).forEach(function (g, k) { toggle(g, off.indexOf("walk" + k) < 0); });
  this.filters = filtersFromState(state);
  if (!this.filtersActive()) this.filters = null;
  if (this.filterBox && this.filtersActive()) this.filterBox.open = true;
  this.applyFilters(true);
};

export { parseHash, isStateLink, filtersFromState, filterParts };
