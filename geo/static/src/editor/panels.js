import { el } from "../atlas/dom.js";

export const panels = {};

// ---- layout: what the editor takes of the screen. On a phone the idle editor is one bar, an open form
// shares the screen with the map, and placing, drawing or previewing gives the map most of it (the sheet steps
// down out of the way). `mode`: null (idle), "open", "placing" or "drawing".
panels.layout = function (mode) {
  var c = document.body.classList, box = this.box, slot = this.slot;
  if (mode === "open" || mode === "placing") window.requestAnimationFrame(function () { box.scrollTop = Math.max(0, slot.offsetTop - 4); });
  c.toggle("geo-open", mode === "open" || mode === "placing");
  c.toggle("geo-placing", mode === "placing");
  c.toggle("geo-drawing", mode === "drawing");
  if (mode === "placing" || mode === "drawing") {
    if (this.atlas.isPhone() && this.atlas.sheetState() !== "peek") this.atlas.setSheet("peek");
  }
  if (this.expand) this.expand.setAttribute("aria-expanded", String(c.contains("geo-open") || c.contains("geo-expanded")));
};

panels.panelButtons = function () {
  var self = this, t = this.t;
  var buttons = el("div", { className: "geo-editor-buttons" });
  var history = el("button", { type: "button", id: "geo-history-open", text: t.historyButton });
  history.addEventListener("click", function () { self.openHistory(null); });
  buttons.appendChild(history);
  if (this.token) {
    var upload = this.importButton = el("button", { type: "button", id: "geo-import-open", text: t.importButton });
    upload.addEventListener("click", function () { self.openImport(); });
    buttons.appendChild(upload);
  }
  // On a phone the rest of the box (your name, hints, proposals) is folded away until asked for.
  var expand = this.expand = el("button", { type: "button", id: "geo-editor-expand", className: "geo-editor-expand",
                                            "aria-expanded": "false", "aria-controls": "geo-editor", text: t.more });
  expand.addEventListener("click", function () { document.body.classList.toggle("geo-expanded"); self.layout(self.form ? "open" : null); });
  buttons.appendChild(expand);
  this.bar.appendChild(buttons);
};

// ---- the history panel: who changed what and when, each field old -> new, filtered by place, with undo
panels.openHistory = function (place) {
  var self = this, t = this.t, atlas = this.atlas;
  this.close();
  var filter = el("select", { id: "geo-history-place", "aria-label": t.historyFilter });
  filter.appendChild(el("option", { value: "", text: t.historyAll }));
  var names = [];
  for (var i = 0; i < atlas.p.n; i++) names.push([atlas.str("name", i) || "?", atlas.str("id", i)]);
  names.sort(function (a, b) { return a[0].localeCompare(b[0], "zh-CN"); }).forEach(function (n) {
    var o = el("option", { value: n[1], text: n[0] });
    if (n[1] === place) o.selected = true;
    filter.appendChild(o);
  });
  var list = el("ol", { className: "geo-history", id: "geo-history-list", reversed: "reversed" });
  var more = el("button", { type: "button", id: "geo-history-more", text: t.historyMore });
  var close = el("button", { type: "button", id: "geo-cancel", text: t.close });
  var view = el("div", { className: "geo-history-view", id: "geo-history" }, [
    el("h3", { text: t.historyTitle }), el("label", { className: "geo-field" }, [el("span", { text: t.historyFilter }), filter]),
    list, el("div", { className: "geo-actions" }, [more, close])]);
  // A list started again (another place chosen, a live update) drops the answers asked for before it: two loads
  // overlapping, a live update's and the filter's, would otherwise both add their pages to one list.
  var page = 0, round = 0;
  var load = function (reset) {
    if (reset) { page = 0; list.textContent = ""; round += 1; }
    var asked = round;
    var q = "history?brief=1&limit=20&page=" + page + (filter.value ? "&place=" + encodeURIComponent(filter.value) : "");
    return self.api("GET", q).then(function (r) {
      if (asked !== round) return;
      if (r.status !== 200) { list.appendChild(el("li", { className: "geo-field-problem", text: r.data.error || "?" })); return; }
      r.data.changes.slice().reverse().forEach(function (c) { list.appendChild(self.historyItem(c)); });
      if (!list.children.length) list.appendChild(el("li", { className: "geo-muted", text: t.historyEmpty }));
      more.hidden = !r.data.more;
      page += 1;
      view.setAttribute("data-loaded", String(page));
    });
  };
  filter.addEventListener("change", function () { load(true); });
  more.addEventListener("click", function () { load(false); });
  close.addEventListener("click", function () { self.close(); });
  this.slot.appendChild(view);
  this.form = view;
  this.layout("open");
  this.reloadHistory = function () { return self.form === view ? load(true) : Promise.resolve(); };
  return load(true);
};

panels.historyItem = function (c) {
  var self = this, t = this.t;
  var head = [this.when(c.time), c.editor, t.actions[c.action] || c.action, c.name || c.place].join(" · ");
  var fields = el("ul", { className: "geo-history-fields" });
  var changes = c.changes || {};
  var keys = Object.keys(changes);
  if (c.action === "add" || c.action === "import" || c.action === "remove") keys = keys.filter(function (k) { return k === "name" || k === "geometry" || k === "status"; });
  keys.forEach(function (k) {
    var li = el("li", { "data-field": k, text: self.label(k) + ": " + self.shownValue(k, changes[k][0]) + " → " + self.shownValue(k, changes[k][1]) });
    li.title = self.label(k) + ": " + self.fullValue(k, changes[k][0]) + " → " + self.fullValue(k, changes[k][1]);
    fields.appendChild(li);
  });
  var li = el("li", { "data-change": c.change, "data-place": c.place }, [el("div", { className: "geo-history-head", text: head }), fields]);
  if (c.proposer) li.appendChild(el("div", { className: "geo-muted", text: t.by + c.proposer }));
  if (this.token && (!this.me || this.me.role !== "proposer")) {
    var undo = el("button", { type: "button", className: "geo-history-undo", text: t.undo });
    var said = el("span", { className: "geo-status" });
    undo.addEventListener("click", function () {
      undo.disabled = true;
      self.api("POST", "undo/" + c.change, {}).then(function (u) {
        said.textContent = u.status === 200 ? " " + t.undone + ": " + (u.data.summary || "") : " " + t.undoFailed + (u.data.error || "?");
        self.say(said.textContent.trim(), null, u.status !== 200);
        undo.disabled = u.status === 200;
        if (u.status === 200) self.refresh();
      });
    });
    li.appendChild(el("div", { className: "geo-actions" }, [undo, said]));
  }
  return li;
};
