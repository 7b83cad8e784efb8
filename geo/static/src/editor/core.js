/*
 * nanguan-geo editor (served only by `geo serve`): place unlocated places, add parks,
 * edit, move, re-outline and remove places, with the server's validation, and see
 * every other editor's change live.
 *
 * Every save names the version of the place it was made against; a 409 answer opens
 * the conflict view (yours beside theirs) and nothing is overwritten unseen. The write
 * token comes from the link `geo serve` printed (#token=...), is kept for this tab
 * only (sessionStorage) and is sent in a header, never a cookie. Every text is
 * inserted as text (textContent), never as HTML.
 *
 * The editor is an extension of the atlas (atlas/core.js): the Editor object is the hooks the atlas calls,
 * popup(node, i) and onReload(); it never wraps or replaces the atlas's methods.
 */
import { el } from "../atlas/dom.js";
import { forms } from "./forms.js";
import { conflicts } from "./conflicts.js";
import { places } from "./places.js";
import { live } from "./live.js";
import { people } from "./people.js";
import { panels } from "./panels.js";
import { importer } from "./import.js";

function readToken() {
  var m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash || "");
  if (m) {
    window.sessionStorage.setItem("geo-token", decodeURIComponent(m[1]));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return window.sessionStorage.getItem("geo-token") || "";
}

function Editor(atlas, opts, tools) {
  this.atlas = atlas; this.map = atlas.map; this.opts = opts; this.t = opts.text; this.tools = tools;
  this.token = readToken();
  this.editor = window.localStorage.getItem("geo-editor") || "";
  this.form = null; this.temp = null; this.clickHandler = null;
  this.buildBox();
  this.hookDraw();
  this.decorate();
  this.listen();
  this.people();
}

Editor.prototype.api = function (method, path, body) {
  var payload = Object.assign({ editor: this.editor }, body || {});
  var init = { method: method, headers: { "X-Geo-Token": this.token } };
  if (method !== "GET") { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(payload); }
  // Every request answers, in the catalogue's words: a fetch that fails (the server gone, the network down) and an
  // answer that is not JSON (a proxy's error page) come back `failed`, never as a rejection no caller handles. A
  // change is said not to be saved; a read (a place, the history, who you are) only that nothing could be loaded.
  var t = this.t, read = method === "GET";
  var unreachable = read ? t.readUnreachable : t.unreachable, unreadable = read ? t.readUnreadable : t.unreadable;
  return fetch(this.opts.api + "/" + path, init).then(function (r) {
    return r.json().then(function (data) { return { status: r.status, data: data }; }, function () {
      return { status: r.status, failed: true, data: { error: unreadable.replace(/\{status\}/g, String(r.status)) } };
    });
  }, function () { return { status: 0, failed: true, data: { error: unreachable } }; });
};

// ---- the box: who is editing, what happened, and the open form
Editor.prototype.buildBox = function () {
  var self = this, t = this.t;
  var box = this.box = el("section", { className: "geo-editor", id: "geo-editor", "aria-label": t.title });
  // The bar is all a phone shows of the idle editor: the title, what the last save said, and the panels' buttons.
  this.bar = el("div", { className: "geo-editor-bar", id: "geo-editor-bar" }, [el("h2", { text: t.title })]);
  box.appendChild(this.bar);
  if (!this.token) box.appendChild(el("p", { className: "geo-muted", id: "geo-editor-readonly", text: t.noToken }));
  var who = el("input", { type: "text", id: "geo-editor-name", value: this.editor, "aria-label": t.who, placeholder: t.who, maxlength: "60" });
  who.addEventListener("change", function () { self.editor = who.value.trim(); window.localStorage.setItem("geo-editor", self.editor); });
  box.appendChild(el("label", { className: "geo-field" }, [el("span", { text: t.who }), who]));
  box.appendChild(el("p", { className: "geo-muted", text: t.addHint }));
  this.status = el("p", { className: "geo-status", id: "geo-editor-status", role: "status", "aria-live": "polite" });
  this.bar.appendChild(this.status);
  // Other people's changes are announced on a line of their own, so they never hide what your save said.
  this.liveLine = el("p", { className: "geo-muted", id: "geo-editor-live", "aria-live": "polite" });
  box.appendChild(this.liveLine);
  // Undo offers live here, apart from the status line, so a live update cannot take them away.
  this.undoSlot = el("p", { className: "geo-status", id: "geo-editor-undo", "aria-live": "polite" });
  this.bar.appendChild(this.undoSlot);
  this.panelButtons();
  this.slot = el("div", { id: "geo-editor-form" });
  box.appendChild(this.slot);
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  document.body.appendChild(box);
  document.body.classList.add("geo-editing");
};

// `failed`: the line says a change was not made (shown as a warning, not as the green of a save).
Editor.prototype.say = function (text, extra, failed) {
  this.status.textContent = text;
  this.status.classList.toggle("geo-status-failed", !!failed);
  if (extra) { this.status.appendChild(document.createTextNode(" ")); this.status.appendChild(extra); }
};

Editor.prototype.close = function () {
  this.slot.textContent = "";
  this.form = null;
  this.layout(null);
  if (this.preview) { this.map.removeLayer(this.preview); this.preview = null; }
  if (this.temp) { this.map.removeLayer(this.temp); this.temp = null; }
  if (this.clickHandler) { this.map.off("click", this.clickHandler); this.clickHandler = null; }
  this.atlas.busy = false;
};

// ---- the hooks the atlas calls (see atlas/core.js)
Editor.prototype.popup = function (node, i) {
  node = this.popupActions(node, i);
  return this.proposer ? this.proposerPopup(node) : node;
};

Editor.prototype.onReload = function () {
  this.decorate();
  if (this.proposer) this.relabelForProposer();
};

Object.assign(Editor.prototype, forms, conflicts, places, live, people, panels, importer);

export { Editor, readToken };
