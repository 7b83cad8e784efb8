// The table view: every place in a sortable table, in a dialog.
import { el } from "./dom.js";
import { fmtArea, fmtDistance, paren } from "./format.js";

export const table = {};

table.buildTable = function () {
  var self = this, t = this.opts.text;
  var dialog = el("div", { className: "atlas-dialog", id: "atlas-table", role: "dialog", "aria-modal": "true", "aria-labelledby": "atlas-table-title" });
  dialog.hidden = true;
  var close = el("button", { type: "button", id: "atlas-table-close", text: t.tableClose });
  close.addEventListener("click", function () { self.closeTable(); });
  dialog.appendChild(el("header", null, [el("h2", { id: "atlas-table-title", bi: t.tableTitle }), close]));
  this.tableWrap = el("div", { className: "atlas-table-wrap", tabindex: "0", "aria-labelledby": "atlas-table-title" });
  dialog.appendChild(this.tableWrap);
  dialog.addEventListener("keydown", function (e) {
    // A modal keeps the focus: Tab and Shift+Tab go round its own controls.
    if (e.key !== "Tab") return;
    var focusable = dialog.querySelectorAll("button, [tabindex='0']");
    var first = focusable[0], last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (!dialog.hidden) { self.closeTable(); return; }
    self.closeSelection();
  });
  document.body.appendChild(dialog);
  this.dialog = dialog;
};

table.closeTable = function () {
  this.dialog.hidden = true;
  if (this.tableOpener && document.body.contains(this.tableOpener)) this.tableOpener.focus();
};

table.tableRows = function () {
  var self = this, t = this.opts.text, rows = [], n = Math.min(this.p.n, this.opts.maxTableRows);
  for (var i = 0; i < n; i++) {
    var precision = self.str("precision", i), unc = self.num("uncertainty_m", i), area = self.num("stated_area_m2", i);
    rows.push({ i: i, sort: [self.str("name", i), self.str("name_en", i), self.opts.labels[self.cat(i)], self.str("park_class", i),
                             self.str("status", i), area, self.items[i] ? (unc == null ? 0 : unc) : Infinity, self.str("address", i)],
                cells: [self.str("name", i), self.str("name_en", i), self.opts.labels[self.cat(i)],
                        self.str("park_class", i) && self.classLabel(self.str("park_class", i)),
                        self.opts.statuses[self.str("status", i)] || self.str("status", i),
                        area == null ? null : fmtArea(area) + paren(self.sourceLabel(self.str("stated_area_source", i))),
                        self.items[i] ? (self.opts.precisions[precision] || precision) + (unc != null ? " ±" + fmtDistance(unc) : "") : t.unlocatedShort,
                        self.str("address", i)] });
  }
  return rows;
};

table.fillTable = function (rows) {
  var self = this, body = document.getElementById("atlas-table-body");
  body.textContent = "";
  rows.forEach(function (r) {
    body.appendChild(el("tr", null, r.cells.map(function (v, j) {
      if (j !== 0) return el("td", { className: j === 5 ? "num" : "", "data-label": self.opts.text.columns[j], text: v == null ? "" : v });
      // The name opens the place: on the map when it is located, in the panel when it is not.
      var go = el("button", { type: "button", className: "atlas-link", "data-atlas-id": self.str("id", r.i), text: v || "" });
      go.addEventListener("click", function () { self.dialog.hidden = true; self.focus(r.i); self.returnFocus = self.tableOpener; });
      return el("th", { scope: "row" }, [go]);
    })));
  });
};

table.openTable = function () {
  var self = this, t = this.opts.text, p = this.p;
  this.tableOpener = document.activeElement;
  if (!this.tableWrap.firstChild) {
    var rows = this.tableRows(), state = { col: -1, dir: 1 };
    var heads = t.columns.map(function (h, col) {
      var btn = el("button", { type: "button", className: "atlas-sort", text: h });
      var th = el("th", { scope: "col", "aria-sort": "none" }, [btn]);
      btn.addEventListener("click", function () {
        // Sortable by any column, ascending then descending; empty values last.
        state.dir = state.col === col ? -state.dir : 1; state.col = col;
        rows.sort(function (a, b) {
          var x = a.sort[col], y = b.sort[col];
          if (x == null && y == null) return 0; if (x == null) return 1; if (y == null) return -1;
          return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN")) * state.dir;
        });
        self.tableWrap.querySelectorAll("thead th").forEach(function (cell) { cell.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
        self.fillTable(rows);
      });
      return th;
    });
    var caption = el("caption", { text: t.tableCaption.replace("{n}", rows.length).replace("{total}", p.n) });
    this.tableWrap.appendChild(el("table", { id: "atlas-table-grid" }, [caption, el("thead", null, [el("tr", null, heads)]),
                                                                        el("tbody", { id: "atlas-table-body" })]));
    this.fillTable(rows);
  }
  this.dialog.hidden = false;
  document.getElementById("atlas-table-close").focus();
};

