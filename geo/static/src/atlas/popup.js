// Popups and the panel's details of a place, and the keyboard focus that follows them.
import { LANG } from "./locale.js";
import { el } from "./dom.js";
import { fmtArea, fmtDistance, fmtNumber, paren, publicText } from "./format.js";

export const popup = {};

popup.popupContent = function (i) {
  // What a place's popup (or details) shows: its own content, then what each extension adds (core.js).
  var node = this.placeContent(i);
  (this.hooks || []).forEach(function (hooks) { if (hooks.popup) node = hooks.popup(node, i) || node; });
  return node;
};

popup.placeContent = function (i) {
  var self = this, t = this.opts.text, c = this.cat(i);
  var rows = [];
  function row(label, value) { if (value != null && value !== "") rows.push(el("dt", { text: label }), el("dd", { text: String(value) })); }
  var cls = this.str("park_class", i);
  row(t.category, this.opts.labels[c]);
  if (cls) row(t.parkClass, this.classLabel(cls));
  var sourced = function (value, source) { return value == null ? null : value + paren(self.sourceLabel(source)); };
  row(t.statedArea, sourced(fmtArea(this.num("stated_area_m2", i)), this.str("stated_area_source", i)));
  row(t.mappedArea, fmtArea(this.num("mapped_area_m2", i)));
  row(t.status, this.opts.statuses[this.str("status", i)] || this.str("status", i));
  if (this.str("status_source", i)) row(t.statusSource, this.sourceLabel(this.str("status_source", i)));
  row(t.address, this.str("address", i));
  var figures = this.str("figures", i);
  if (figures) {
    var obj = JSON.parse(figures), from = JSON.parse(this.str("figure_sources", i) || "{}");
    Object.keys(obj).forEach(function (key) { row(self.figureLabel(key), sourced(fmtNumber(obj[key], 2), from[key])); });
  }
  var precision = this.str("precision", i), unc = this.num("uncertainty_m", i);
  if (precision && precision !== "none") {
    row(t.precision, (this.opts.precisions[precision] || precision) +
      (unc != null ? (LANG.code === "en" ? " (" : "（") + t.within.replace("{m}", fmtDistance(unc)) + (LANG.code === "en" ? ")" : "）") : ""));
  } else {
    rows.push(el("dt", { text: t.precision }), el("dd", { className: "atlas-warn", text: t.unlocated }));
  }
  row(t.sources, this.str("sources", i));
  var outline = this.str("outline", i);
  if (outline) row(t.outline, this.opts.outlines[outline] || outline);
  var children = [
    el("h4", { text: this.str("name", i) || "" }),
    this.str("name_en", i) ? el("p", { className: "atlas-en", text: this.str("name_en", i) }) : null,
    el("dl", null, rows)
  ];
  var quote = this.str("quote", i);
  if (quote) {
    children.push(el("blockquote", { text: quote }));
    children.push(el("div", { className: "atlas-cite", text: "— " + (this.str("quote_source", i) || "") }));
  }
  var notes = publicText(this.str("notes", i)), where = this.str("location_source", i);
  if (notes) children.push(el("details", null, [el("summary", { bi: t.notes }), el("p", { text: notes })]));
  if (where) children.push(el("details", { className: "atlas-source-details" }, [el("summary", { bi: t.sourceDetails }),
    el("p", null, [el("strong", { text: t.locationSource + (LANG.code === "en" ? ": " : "：") }), where])]));
  return el("div", { className: "atlas-popup", "data-atlas-id": this.str("id", i) || "" }, children);
};

popup.figureLabel = function (key) {
  return (this.opts.figureLabels || {})[key] || key.replace(/_/g, " ");
};

popup.sourceLabel = function (source) {
  // "报道" for the report's own figures, the source's name otherwise.
  var t = this.opts.text;
  return source === "report" ? t.report : t.source + (LANG.code === "en" ? ": " : "：") + (source || "?");
};

popup.openPopup = function (i, restoring) {
  var item = this.items[i];
  this.selected = this.str("id", i);
  if (!restoring) this.writeState(true);
  // An unlocated place must never look located: its details go in the panel, not in a popup on the map.
  if (!item) { this.showDetails(i); return; }
  this.popup = L.popup(this.popupOptions()).setLatLng(item.getLatLng()).setContent(this.popupContent(i));
  this.popup.openOn(this.map);
};

popup.popupOptions = function () {
  // Popups open between the control columns (left: zoom, tools; right: layers) and above the scale and
  // attribution, never under them; sources make them long, so they scroll inside instead of growing.
  var size = this.map.getSize(), side = 62, frame = 50;  // frame: the popup's own padding and border
  var controls = this.map.getContainer().querySelectorAll(".leaflet-top .leaflet-control");
  return {
    maxWidth: Math.max(160, Math.min(340, size.x - 2 * side - frame)),
    minWidth: Math.min(160, size.x - 2 * side - frame),
    maxHeight: Math.max(120, size.y - 120),
    autoPanPaddingTopLeft: L.point(controls.length ? side : 8, 10),
    autoPanPaddingBottomRight: L.point(controls.length ? side : 8, 48)
  };
};

popup.showDetails = function (i) {
  var self = this, t = this.opts.text, old = document.getElementById("atlas-details");
  if (old) old.remove();
  this.popup = null;
  this.map.closePopup();
  var close = el("button", { type: "button", id: "atlas-details-close", text: t.detailsClose });
  var box = el("section", { className: "atlas-details", id: "atlas-details", role: "region", tabindex: "-1",
                            "aria-label": this.str("name", i) || "" }, [
    el("p", { className: "atlas-warn", bi: t.detailsNote }), this.popupContent(i), close]);
  close.addEventListener("click", function () { box.remove(); self.selected = null; self.writeState(true); });
  var body = document.getElementById("atlas-panel-body");
  body.insertBefore(box, document.getElementById("atlas-legend-title"));
  if (document.body.classList.contains("atlas-collapsed")) this.setCollapsed(false);
  if (this.isPhone() && this.sheetState() === "peek") this.setSheet("half");
  box.focus();
  if (box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
  return box;
};

popup.focus = function (i) {
  // From the list, search or table: show the place, and move the keyboard focus into what opened,
  // remembering where it came from (Escape goes back there).
  var item = this.items[i], from = document.activeElement;
  if (item) {
    // On a phone the sheet steps down to its handle, so the popup has the map to itself.
    if (this.isPhone() && this.sheetState() !== "peek") this.setSheet("peek");
    var c = this.cat(i);
    if (!this.map.hasLayer(this.groups[c])) this.groups[c].addTo(this.map);
    // Without animation: a popup's autopan measured mid-zoom would leave it half out of the map.
    if (item.member.poly !== undefined || item.member.radius) this.map.fitBounds(item.getBounds(), { maxZoom: 16, animate: false });
    else this.map.setView(item.getLatLng(), Math.max(this.map.getZoom(), 15), { animate: false });
  }
  this.openPopup(i);
  this.returnFocus = from && from !== document.body ? from : null;
  var popup = item && this.popup && this.popup.getElement();
  var heading = popup && popup.querySelector(".atlas-popup h4");
  if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }  // a scroll would shift the map
};

popup.closeSelection = function () {
  // Escape: close the open popup or details, and give the focus back to where it was.
  var details = document.getElementById("atlas-details");
  if (!(this.popup && this.popup.isOpen()) && !details) return false;
  this.map.closePopup();
  if (details) details.remove();
  this.selected = null;
  this.writeState(true);
  if (this.returnFocus && document.body.contains(this.returnFocus)) this.returnFocus.focus();
  return true;
};

