import { el } from "../atlas/dom.js";

export const conflicts = {};

// ---- conflicts: who changed the place and when, each field old -> new beside yours, and one button to reapply
// A form's names for the fields it sends, as the data calls them (the catalogue labels the data's names).
var PROPERTY = { area: "stated_area_m2", "class": "park_class", "name-en": "name_en", "area-source": "stated_area_source",
                 "status-source": "status_source", lonlat: "geometry", geometry: "geometry", address: "address" };

conflicts.label = function (prop) {
  var labels = this.t.fieldLabels || {};
  return labels[prop] || prop;
};

// A value as a person reads it: a status by its name, an outline by its kind and size, nothing as "(empty)".
conflicts.shownValue = function (prop, v) {
  var t = this.t;
  if (v == null || v === "") return t.empty;
  if (prop === "status" && this.opts.statuses[v]) return this.opts.statuses[v];
  if (prop === "geometry") {
    if (Array.isArray(v) && typeof v[0] === "number") return v.map(function (x) { return Number(x).toFixed(6); }).join(", ");
    if (v.type === "Point" && v.coordinates) return this.shownValue(prop, v.coordinates);
    if (v.type) return (t.shapes[v.type] || v.type) + (v.positions ? " · " + t.positions.replace("{n}", v.positions) : "");
    if (typeof v === "string") return v;
  }
  if (typeof v === "number" && prop === "stated_area_m2") return this.tools.fmtArea(v);
  var text = this.fullValue(prop, v);
  return text.length > 160 ? text.slice(0, 150) + "…" : text;
};
// The whole value (a long note in full), for a tooltip beside the shortened one.
conflicts.fullValue = function (prop, v) {
  if (v == null || v === "" || prop === "geometry" || prop === "status") return v == null || v === "" ? this.t.empty : this.shownValue(prop, v);
  return typeof v === "object" ? JSON.stringify(v) : String(v);
};

conflicts.when = function (iso) {
  var d = iso ? new Date(iso) : null;
  return d && !isNaN(d.getTime()) ? d.toLocaleString(document.documentElement.lang || "zh-CN", { hour12: false }) : (iso || "?");
};

conflicts.conflict = function (mine, data, retry) {
  var self = this, t = this.t, theirs = data.changes || {}, yours = {};
  Object.keys(mine.changes || {}).forEach(function (k) { yours[PROPERTY[k] || k] = mine.changes[k]; });
  if (mine.lonlat) yours.geometry = mine.lonlat;
  else if (mine.address) yours.address = mine.address;
  if (mine.geometry) yours.geometry = { type: mine.geometry.type };
  var props = Object.keys(theirs).concat(Object.keys(yours).filter(function (k) { return !(k in theirs); }));
  var rows = props.map(function (k) {
    var change = theirs[k];
    var cell = change ? self.shownValue(k, change[0]) + " → " + self.shownValue(k, change[1]) : t.unchanged;
    var full = change ? self.fullValue(k, change[0]) + " → " + self.fullValue(k, change[1]) : t.unchanged;
    return el("tr", { "data-field": k }, [el("th", { scope: "row", text: self.label(k) }), el("td", { className: "geo-theirs", text: cell, title: full }),
                                          el("td", { className: "geo-yours", text: k in yours ? self.shownValue(k, yours[k]) : t.unchanged })]);
  });
  var who = (data.by && data.by.length) ? data.by.join("、") : t.someone;
  var said = (data.removed ? t.conflictRemoved : t.conflictBy).replace(/\{who\}/g, who).replace(/\{time\}/g, this.when(data.time));
  var form = this.form, place = form && form.getAttribute("data-place");
  this.slot.textContent = "";
  var view = el("div", { className: "geo-conflict", id: "geo-conflict", role: "alertdialog", "aria-label": t.conflict }, [
    el("p", { className: "geo-warn", text: t.conflict }),
    el("p", { className: "geo-conflict-who", id: "geo-conflict-who", text: said }),
    el("table", null, [el("thead", null, [el("tr", null, [el("th", { text: t.field }), el("th", { text: t.theirChange }), el("th", { text: t.yourChange })])]),
                        el("tbody", null, rows)])
  ]);
  var again = el("button", { type: "button", id: "geo-reapply", text: t.reapply });
  var drop = el("button", { type: "button", id: "geo-discard", text: t.discard });
  again.addEventListener("click", function () { if (data.current) retry(data.version); else self.close(); });
  if (!data.current) again.disabled = true;
  drop.addEventListener("click", function () { self.close(); self.refresh(); });
  view.appendChild(el("div", { className: "geo-actions" }, [again, drop]));
  if (place) view.setAttribute("data-place", place);
  this.slot.appendChild(view);
  this.form = view;
  this.layout("open");
};

// A live update that touches the place an open form edits is said in the form, before its save finds out.
conflicts.touched = function (event) {
  var form = this.form, place = form && form.getAttribute("data-place");
  if (!place || !event || event.by === this.editor) return;
  var hit = (event.changed || []).indexOf(place) >= 0 || (event.removed || []).indexOf(place) >= 0;
  if (!hit || form.id === "geo-conflict") return;
  var note = form.querySelector("#geo-form-live");
  if (!note) { note = el("p", { className: "geo-warn", id: "geo-form-live", role: "alert" }); form.insertBefore(note, form.children[1] || null); }
  var text = (event.removed || []).indexOf(place) >= 0 ? this.t.liveRemoved : this.t.liveTouched;
  note.textContent = text.replace(/\{who\}/g, event.by || this.t.someone);
};
