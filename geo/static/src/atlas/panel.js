// The side panel (desktop) or bottom sheet (phone): search box, legend, place lists; and the page's layout.
import { el } from "./dom.js";
import { fmtArea, fmtNumber } from "./format.js";
import { shapeSvg } from "./shapes.js";

export const panel = {};

panel.buildPanel = function () {
  // The panel lives beside the map (desktop) or under it as a bottom sheet (phone), never over it.
  var self = this, t = this.opts.text, p = this.p;
  var box = el("aside", { className: "atlas-panel", id: "atlas-panel", "aria-label": t.panel });
  var body = el("div", { id: "atlas-panel-body" });
  var handle = el("button", { type: "button", className: "atlas-sheet-handle", id: "atlas-sheet-handle",
                              "aria-controls": "atlas-panel-body", bi: t.sheetHandle });
  this.sheetHandle(handle);
  box.appendChild(handle);
  var toggle = el("button", { type: "button", className: "atlas-panel-toggle", id: "atlas-panel-toggle",
                              "aria-controls": "atlas-panel-body" });
  toggle.addEventListener("click", function () { self.setCollapsed(!document.body.classList.contains("atlas-collapsed")); });
  box.appendChild(el("div", { className: "atlas-panel-head" }, [el("h1", { text: t.title }), toggle]));
  box.appendChild(body);
  body.appendChild(el("p", { className: "atlas-sub", bi: t.subtitle }));
  var input = el("input", { type: "search", id: "atlas-search", placeholder: t.searchPlaceholder, "aria-label": t.searchPlaceholder,
                            "aria-controls": "atlas-results", autocomplete: "off" });
  var results = el("ul", { className: "atlas-results", id: "atlas-results", "aria-live": "polite", "aria-label": t.searchResults });
  // Up to ~0.2 s per query at 100,000 places: with that many, wait for a pause in the typing.
  var timer = null, delay = p.n > 20000 ? 150 : 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    if (delay) timer = setTimeout(function () { timer = null; showResults(); }, delay); else showResults();
  });
  function showResults() {
    results.textContent = "";
    self.search(input.value).forEach(function (i) {
      var located = !!self.items[i];
      var btn = el("button", { type: "button", text: self.str("name", i) });
      btn.addEventListener("click", function () { self.focus(i); });
      results.appendChild(el("li", null, [btn, " ", el("span", { className: "atlas-muted",
        text: (self.str("name_en", i) || "") + " · " + self.opts.labels[self.cat(i)] + (located ? "" : " · " + t.unlocatedShort) })]));
    });
    if (input.value.trim() && !results.firstChild) results.appendChild(el("li", { className: "atlas-muted", text: t.noResults }));
    // On a phone the results need room: the sheet opens to half when someone types.
    if (input.value.trim() && self.isPhone() && self.sheetState() === "peek") self.setSheet("half");
  }
  input.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === "ArrowDown") && timer) { clearTimeout(timer); timer = null; showResults(); }
    var first = results.querySelector("button");
    if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
    if (e.key === "Enter" && first) { e.preventDefault(); first.click(); }
  });
  results.addEventListener("keydown", function (e) {
    // Arrow keys move through the results; Escape goes back to the search box.
    var buttons = Array.prototype.slice.call(results.querySelectorAll("button")), k = buttons.indexOf(e.target);
    if (k < 0) return;
    if (e.key === "ArrowDown" && k + 1 < buttons.length) { e.preventDefault(); buttons[k + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (k ? buttons[k - 1] : input).focus(); }
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); input.focus(); }
  });
  body.appendChild(input);
  body.appendChild(results);

  body.appendChild(el("h3", { id: "atlas-legend-title", bi: t.legend }));
  var legend = el("ul", { className: "atlas-legend", id: "atlas-legend", "aria-labelledby": "atlas-legend-title" });
  p.categories.forEach(function (c) {
    var total = 0;
    for (var i = 0; i < p.n; i++) if (p.category[i] === p.categories.indexOf(c)) total++;
    legend.appendChild(el("li", { "data-category": c }, [
      shapeSvg(self.opts.styles[c].shape, self.opts.styles[c].color),
      el("span", { bi: self.opts.labels[c] }),
      el("span", { className: "atlas-count", text: self.countLocated(c) + " / " + total })
    ]));
  });
  body.appendChild(legend);
  body.appendChild(el("p", { className: "atlas-muted", bi: t.legendNote }));

  // Every place on the map is also a button here, so a keyboard or a screen reader reaches it.
  var located = [], unlocated = [];
  for (var i = 0; i < p.n; i++) (self.items[i] ? located : unlocated).push(i);
  body.appendChild(this.placeList("atlas-located", t.locatedTitle, t.locatedNote, located));
  var district = self.opts.districtFigures || [];
  if (district.length) {
    body.appendChild(el("section", { className: "atlas-district-box", "aria-labelledby": "atlas-district-title" }, [
      el("h3", { id: "atlas-district-title", bi: t.districtFigures }),
      el("p", { className: "atlas-muted", bi: t.districtFiguresNote }),
      el("ul", { className: "atlas-district", id: "atlas-district" }, district.map(function (f) {
        return el("li", { title: f.quote }, [el("span", { text: f.subject + " · " + self.figureLabel(f.key) + "：" }),
          el("strong", { text: fmtNumber(f.value, 2) }), el("span", { className: "atlas-muted", text: "（" + self.sourceLabel(f.source) + "）" })]);
      }))]));
  }
  body.appendChild(this.placeList("atlas-unlocated", t.unlocatedTitle, t.unlocatedNote, unlocated));

  var bar = el("div", { className: "atlas-toolbar" });
  var tableBtn = el("button", { type: "button", id: "atlas-table-open", bi: t.tableOpen });
  tableBtn.addEventListener("click", function () { self.openTable(); });
  bar.appendChild(tableBtn);
  body.appendChild(bar);
  body.appendChild(el("p", { className: "atlas-datum-note", id: "atlas-datum-note",
                             bi: self.datum === "gcj02" ? t.datumGcj : t.datumWgs }));
  var old = document.getElementById("atlas-panel");
  if (old) old.replaceWith(box); else document.body.appendChild(box);
  this.panel = box;
  this.buildReaderSections(body);
  this.setCollapsed(document.body.classList.contains("atlas-collapsed"));
  this.setSheet(this.sheetState());
};

panel.placeList = function (id, title, note, members) {
  // A section listing places as buttons that open them (on the map, or in the panel when unlocated).
  var self = this, t = this.opts.text;
  var list = el("ul", { className: id, id: id });
  members.slice(0, this.opts.maxListed).forEach(function (i) {
    var btn = el("button", { type: "button", className: "atlas-link", text: self.str("name", i) });
    btn.addEventListener("click", function () { self.focus(i); });
    var area = self.num("stated_area_m2", i);
    list.appendChild(el("li", { "data-atlas-id": self.str("id", i) }, [btn, " ", el("span", { className: "atlas-muted",
      text: self.opts.labels[self.cat(i)] + (area != null ? " · " + fmtArea(area) : "") + (self.str("address", i) ? " · " + self.str("address", i) : "") })]));
  });
  if (members.length > this.opts.maxListed) list.appendChild(el("li", { className: "atlas-muted", text: "… +" + (members.length - this.opts.maxListed) + " · " + t.moreInSearch }));
  return el("section", { className: id + "-box", "aria-labelledby": id + "-title" }, [
    el("h3", { id: id + "-title", bi: title + " (" + members.length + ")" }),
    el("p", { className: "atlas-muted", bi: note }), list]);
};

// ---- layout: a collapsible panel on desktop, a bottom sheet on phones
panel.isPhone = function () { return window.matchMedia("(max-width: 699px)").matches; };
panel.resized = function () {
  // The map's box changed (panel, sheet): let Leaflet measure it again. A hidden map (print media hides the
  // screen map: 0 x 0) is left as it was, so nothing (an open popup's autopan) moves it while it is away and
  // the screen view comes back as it was left.
  var box = this.map.getContainer();
  if (!box.clientWidth || !box.clientHeight) return;
  this.map.invalidateSize({ pan: false });
};
panel.setCollapsed = function (collapsed) {
  var t = this.opts.text, toggle = document.getElementById("atlas-panel-toggle");
  document.body.classList.toggle("atlas-collapsed", collapsed);
  if (toggle) {
    toggle.textContent = collapsed ? "«" : "»";
    toggle.setAttribute("aria-expanded", String(!collapsed));
    toggle.setAttribute("aria-label", collapsed ? t.panelShow : t.panelHide);
    toggle.title = collapsed ? t.panelShow : t.panelHide;
  }
  this.resized();
};
panel.sheetState = function () {
  var c = document.body.classList;
  return c.contains("atlas-sheet-full") ? "full" : c.contains("atlas-sheet-half") ? "half" : "peek";
};
panel.setSheet = function (state) {
  var c = document.body.classList, handle = document.getElementById("atlas-sheet-handle"), t = this.opts.text;
  c.toggle("atlas-sheet-half", state === "half");
  c.toggle("atlas-sheet-full", state === "full");
  if (handle) {
    handle.setAttribute("aria-expanded", String(state !== "peek"));
    handle.setAttribute("aria-label", t.sheetHandle + " · " + t.sheetStates[state]);
    handle.setAttribute("data-state", state);
  }
  if (this.panel) this.panel.style.removeProperty("height");
  this.resized();
};
panel.sheetHandle = function (handle) {
  // Tap: peek -> half -> full -> peek. Drag: follow the finger, then settle on the nearest state.
  var self = this, start = null, moved = false;
  handle.addEventListener("click", function () {
    if (moved) { moved = false; return; }
    var next = { peek: "half", half: "full", full: "peek" };
    self.setSheet(next[self.sheetState()]);
  });
  handle.addEventListener("pointerdown", function (e) {
    start = { y: e.clientY, h: self.panel.getBoundingClientRect().height }; moved = false;
    try { handle.setPointerCapture(e.pointerId); } catch { /* a synthetic pointer cannot be captured */ }
  });
  handle.addEventListener("pointermove", function (e) {
    if (!start) return;
    var h = start.h + (start.y - e.clientY);
    if (Math.abs(start.y - e.clientY) > 6) moved = true;
    if (moved) self.panel.style.height = Math.max(60, Math.min(window.innerHeight, h)) + "px";
  });
  function settle(e) {
    if (!start) return;
    var h = start.h + (start.y - e.clientY), vh = window.innerHeight;
    start = null;
    if (!moved) return;
    self.setSheet(h < vh * 0.3 ? "peek" : h < vh * 0.75 ? "half" : "full");
  }
  handle.addEventListener("pointerup", settle);
  handle.addEventListener("pointercancel", settle);
};
panel.layout = function () {
  // Called once: the page becomes the atlas layout, and the map follows its box from then on.
  var self = this, container = this.map.getContainer(), t = this.opts.text;
  document.body.classList.add("atlas-page");
  container.setAttribute("role", "main");
  container.setAttribute("aria-label", t.mapLabel);
  this.resized();
  if (window.ResizeObserver) new window.ResizeObserver(function () { self.resized(); }).observe(container);
  var attribution = this.map.attributionControl && this.map.attributionControl.getContainer();
  if (attribution) {
    // On a phone the attribution is one line beside the scale; a tap shows all of it (links work once open).
    attribution.addEventListener("click", function (e) {
      if (!self.isPhone()) return;
      var open = attribution.classList.contains("atlas-attribution-open");
      if (!open) e.preventDefault();
      if (!open || e.target.tagName !== "A") {
        attribution.classList.toggle("atlas-attribution-open", !open);
        document.body.classList.toggle("atlas-attribution-expanded", !open);
      }
    });
  }
  var exportLink = document.getElementById("export");
  if (exportLink) {
    // folium places the draw tool's Export link at a fixed spot over the map; it belongs under the draw tool.
    var Export = L.Control.extend({ options: { position: "topleft" }, onAdd: function () {
      var bar = el("div", { className: "leaflet-bar leaflet-control atlas-export" });
      exportLink.textContent = t.exportDrawn;
      exportLink.setAttribute("title", t.exportDrawnTitle);
      bar.appendChild(exportLink);
      bar.appendChild(el("p", { className: "atlas-toast", id: "atlas-export-note", role: "status", hidden: "hidden" }));
      return bar;
    } });
    new Export().addTo(this.map);
    this.guardExport(exportLink);
  }
  this.buildPrint();
};
