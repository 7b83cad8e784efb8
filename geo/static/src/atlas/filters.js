// The readers' filters (status, park class, how sure the location is, area): what the map and the print show.
import { el } from "./dom.js";

export const filters = {};

function checkboxes(name, values, labels) {
  return values.map(function (v) {
    var id = "atlas-f-" + name + "-" + v.replace(/[^A-Za-z0-9_]/g, function (ch) { return ch.charCodeAt(0).toString(16); });
    var box = el("input", { type: "checkbox", id: id, value: v, "data-filter": name });
    box.checked = true;
    return el("label", { for: id, className: "atlas-check" }, [box, el("span", { bi: labels[v] || v })]);
  });
}

filters.buildFilters = function () {
  // Status, park class, how sure the location is and the area: what the map (and the print) shows.
  var self = this, t = this.opts.text, o = this.opts;
  var statuses = Object.keys(o.statuses), classes = Object.keys(o.parkClasses).concat(["none"]);
  var classLabels = {}; classes.forEach(function (c) { classLabels[c] = c === "none" ? t.filterNone : self.classLabel(c); });
  var fieldset = function (legend, children) { return el("fieldset", null, [el("legend", { bi: legend })].concat(children)); };
  var min = el("input", { type: "number", id: "atlas-f-min", min: "0", step: "any", inputmode: "decimal", "aria-label": t.filterArea + " " + t.filterAreaMin });
  var max = el("input", { type: "number", id: "atlas-f-max", min: "0", step: "any", inputmode: "decimal", "aria-label": t.filterArea + " " + t.filterAreaMax });
  var unknown = el("input", { type: "checkbox", id: "atlas-f-unknown-area" }); unknown.checked = true;
  var reset = el("button", { type: "button", id: "atlas-f-reset", bi: t.filterReset });
  var count = el("p", { className: "atlas-muted", id: "atlas-filter-count", "aria-live": "polite" });
  var box = el("details", { className: "atlas-filters", id: "atlas-filters" }, [
    el("summary", { bi: t.filters }),
    fieldset(t.filterStatus, checkboxes("status", statuses, o.statuses)),
    fieldset(t.filterClass, checkboxes("class", classes, classLabels)),
    fieldset(t.filterQuality, checkboxes("quality", ["precise", "rough"], t.quality)),
    fieldset(t.filterArea, [el("label", { for: "atlas-f-min", className: "atlas-range" }, [el("span", { bi: t.filterAreaMin }), min]),
      el("label", { for: "atlas-f-max", className: "atlas-range" }, [el("span", { bi: t.filterAreaMax }), max]),
      el("label", { for: "atlas-f-unknown-area", className: "atlas-check" }, [unknown, el("span", { bi: t.filterAreaUnknown })])]),
    reset, count]);
  if (this.filters && this.filtersActive()) box.open = true;
  box.addEventListener("change", function () { self.filters = self.readFilterForm(); self.applyFilters(); });
  box.addEventListener("input", function (e) { if (e.target.type === "number") { self.filters = self.readFilterForm(); self.applyFilters(); } });
  reset.addEventListener("click", function () { self.filters = null; self.applyFilters(); });
  this.filterBox = box;
  return box;
};

filters.readFilterForm = function () {
  var box = this.filterBox, f = { status: null, cls: null, quality: null, min: null, max: null, unknownArea: true };
  var keys = { status: "status", "class": "cls", quality: "quality" };
  Object.keys(keys).forEach(function (name) {
    var all = box.querySelectorAll("input[data-filter='" + name + "']"), on = [];
    all.forEach(function (b) { if (b.checked) on.push(b.value); });
    if (on.length < all.length) f[keys[name]] = on;
  });
  var min = parseFloat(box.querySelector("#atlas-f-min").value), max = parseFloat(box.querySelector("#atlas-f-max").value);
  f.min = isFinite(min) ? min : null; f.max = isFinite(max) ? max : null;
  f.unknownArea = box.querySelector("#atlas-f-unknown-area").checked;
  return f;
};

filters.writeFilterForm = function () {
  var box = this.filterBox, f = this.filters || {};
  if (!box) return;
  var keys = { status: "status", "class": "cls", quality: "quality" };
  Object.keys(keys).forEach(function (name) {
    box.querySelectorAll("input[data-filter='" + name + "']").forEach(function (b) {
      b.checked = !f[keys[name]] || f[keys[name]].indexOf(b.value) >= 0;
    });
  });
  box.querySelector("#atlas-f-min").value = f.min == null ? "" : String(f.min);
  box.querySelector("#atlas-f-max").value = f.max == null ? "" : String(f.max);
  box.querySelector("#atlas-f-unknown-area").checked = f.unknownArea !== false;
};

filters.filtersActive = function () {
  var f = this.filters;
  return !!f && !!(f.status || f.cls || f.quality || f.min != null || f.max != null || f.unknownArea === false);
};

filters.passes = function (i) {
  var f = this.filters;
  if (!f) return true;
  if (f.status && f.status.indexOf(this.str("status", i) || "unknown") < 0) return false;
  if (f.cls && this.cat(i) === "park" && f.cls.indexOf(this.str("park_class", i) || "none") < 0) return false;
  var unc = this.num("uncertainty_m", i);
  if (f.quality && f.quality.indexOf(unc != null && unc > this.opts.precisePrintM ? "rough" : "precise") < 0) return false;
  var area = this.num("stated_area_m2", i);
  if (area == null) area = this.num("mapped_area_m2", i);
  if (area == null) return f.unknownArea !== false;
  var ha = area / 10000;
  return !(f.min != null && ha < f.min) && !(f.max != null && ha > f.max);
};

filters.applyFilters = function (quiet) {
  // Each layer draws (and hit-tests) only the places that pass; the print map follows.
  var self = this, shown = 0, total = 0;
  this.p.categories.forEach(function (c) {
    var all = self.groupsAll[c], layer = self.groups[c];
    layer.members = self.filters ? all.filter(function (m) { return self.passes(m.i); }) : all.slice();
    shown += layer.members.length; total += all.length;
    if (layer._map) layer.redraw();
  });
  if (this.radii) {
    this.radii.members = this.filters ? this.radiiAll.filter(function (m) { return self.passes(m.i); }) : this.radiiAll.slice();
    if (this.radii._map) this.radii.redraw();
  }
  this.writeFilterForm();
  var count = document.getElementById("atlas-filter-count");
  if (count) count.textContent = this.opts.text.filterCount.replace("{n}", shown).replace("{total}", total);
  this.syncPrint();
  if (!quiet) this.writeState(false);
};

filters.filterSummary = function () {
  // The filters in words, for the printed header.
  if (!this.filtersActive()) return "";
  var f = this.filters, o = this.opts, t = o.text, self = this, parts = [];
  if (f.status) parts.push(f.status.map(function (v) { return o.statuses[v] || v; }).join("、"));
  if (f.cls) parts.push(f.cls.map(function (v) { return v === "none" ? t.filterNone : self.classLabel(v); }).join("、"));
  if (f.quality) parts.push(f.quality.map(function (v) { return t.quality[v]; }).join("、"));
  if (f.min != null || f.max != null) parts.push((f.min == null ? "0" : f.min) + "–" + (f.max == null ? "∞" : f.max) + " ha");
  return parts.join(" · ");
};
