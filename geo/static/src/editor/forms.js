import { el } from "../atlas/dom.js";

// The new-park form's fields: [form name, catalogue key, input kind].
var FIELDS = [
  ["name", "name", "text"], ["name-en", "nameEn", "text"], ["area", "area", "text"],
  ["class", "parkClass", "select"], ["status", "status", "select"]
];
// Fields a place already in the data can also change (a new park gets them from its form's source).
var EDIT_ONLY = [["address", "addressText", "text"], ["notes", "notes", "text"]];

export const forms = {};

// ---- form building blocks
function field(name, label, input) {
  input.setAttribute("name", name);
  input.id = "geo-f-" + name;
  return el("label", { className: "geo-field", "data-field": name }, [el("span", { text: label }), input,
    el("span", { className: "geo-field-problem", id: "geo-p-" + name, role: "alert" })]);
}
function select(options, value) {
  var s = el("select");
  [""].concat(options).forEach(function (o) {
    var opt = el("option", { value: o, text: o || "—" });
    if (o === (value || "")) opt.selected = true;
    s.appendChild(opt);
  });
  return s;
}
forms.input = function (name, value, type) {
  if (type === "select") return select(name === "class" ? this.opts.parkClasses : Object.keys(this.opts.statuses), value);
  return el("input", { type: "text", value: value == null ? "" : String(value) });
};

forms.openForm = function (title, rows, onSave) {
  var self = this, t = this.t;
  this.close();
  var form = el("form", { className: "geo-form", id: "geo-form", novalidate: "novalidate" });
  form.appendChild(el("h3", { text: title }));
  form.appendChild(el("ul", { className: "geo-problems", id: "geo-problems", role: "alert" }));
  rows.forEach(function (r) { form.appendChild(r); });
  var save = el("button", { type: "submit", id: "geo-save", text: t.save });
  var cancel = el("button", { type: "button", id: "geo-cancel", text: t.cancel });
  cancel.addEventListener("click", function () { self.close(); });
  form.appendChild(el("div", { className: "geo-actions" }, [save, cancel]));
  form.addEventListener("submit", function (e) { e.preventDefault(); onSave(form); });
  form.addEventListener("input", function (e) {
    // A field being corrected loses its old problem line.
    var label = e.target.closest(".geo-field"), slot = label && label.querySelector(".geo-field-problem");
    if (slot) slot.textContent = "";
  });
  this.slot.appendChild(form);
  this.form = form;
  this.layout("open");
  return form;
};

forms.value = function (name) {
  var node = this.form && this.form.querySelector("[name='" + name + "']");
  if (!node) return null;
  if (node.type === "checkbox") return node.checked;
  return node.value.trim() === "" ? null : node.value.trim();
};

// The words of a problem in the page's language (Chinese first on the Chinese page), never parsed for data.
forms.problemText = function (p) {
  if (typeof p === "string") return p;
  var text = p.text || {}, lang = (document.documentElement.lang || "zh-CN").indexOf("en") === 0 ? "en" : "zh-CN";
  if (lang === "en") return text.en || text["zh-CN"] || "?";
  return text["zh-CN"] && text.en && text["zh-CN"] !== text.en ? text["zh-CN"] + " · " + text.en : (text["zh-CN"] || text.en || "?");
};

// Each problem beside its form field (by its field, never by its wording); the rest in the form's list.
var FORM_FIELD = { name: "name", name_en: "name-en", stated_area_m2: "area", park_class: "class", status: "status",
  source: "source", location_source: "source", stated_area_source: "source", status_source: "source",
  lonlat: "lonlat", geometry: "lonlat", zoom: "lonlat", address: "address", uncertainty_m: "uncertainty",
  reason: "reason", confirm_area: "confirm_area", notes: "notes" };
forms.showProblems = function (data) {
  var self = this, form = this.form, list = form && form.querySelector("#geo-problems");
  if (!list) { this.say((data.problems || [data.error || "?"]).map(this.problemText, this).join(" "), null, true); return; }  // a view without a list
  list.textContent = "";
  form.querySelectorAll(".geo-field-problem").forEach(function (n) { n.textContent = ""; });
  var problems = data.problems || [data.error || "?"];
  list.appendChild(el("li", { className: "geo-problems-title", text: this.t.problems }));
  problems.forEach(function (p) {
    var words = self.problemText(p), slot = p && p.field ? form.querySelector("#geo-p-" + (FORM_FIELD[p.field] || p.field)) : null;
    if (slot) {
      var label = slot.parentNode.querySelector("span");
      slot.textContent = (slot.textContent ? slot.textContent + " " : "") + words;
      list.appendChild(el("li", { text: (label ? label.textContent + "：" : "") + words }));
    } else {
      list.appendChild(el("li", { text: words }));
    }
  });
};

// Send a change; problems go next to the fields, a conflict opens the conflict view. While it is on its way the
// form's Save waits (no second copy sent); whatever the answer, even none, the form is usable again after it.
forms.send = function (method, path, body, retry) {
  var self = this;
  if (this.me && this.me.role === "proposer") return this.sendProposal(method, path, body);
  if (!this.editor) {
    this.showProblems({ problems: [this.t.who], fields: {} });
    document.getElementById("geo-editor-name").focus();
    return Promise.resolve(null);
  }
  var done = this.sending();
  return this.api(method, path, body).then(function (r) {
    done();
    if (r.failed) { self.unsent(r); return null; }
    if (r.status === 200 || r.status === 201) {
      if (r.data.dry_run) return r.data;
      self.close();
      self.say(self.t.saved + (r.data.summary || ""));
      self.refresh();
      return r.data;
    }
    if (r.status === 409) { self.conflict(body, r.data, retry); return null; }
    self.showProblems(r.data);
    return null;
  });
};

// The open form's Save is off while a change is on its way; the function returned turns it back on.
forms.sending = function () {
  var save = this.form && this.form.querySelector("#geo-save");
  if (save) save.disabled = true;
  return function () { if (save) save.disabled = false; };
};

// A save the server did not answer (or answered unreadably): said on the status line and in the form's list,
// and the form stays as the planner filled it, to try again. Trying again never applies a change twice: a change
// that did land meanwhile makes the retry a conflict (its version moved on) or a duplicate, both shown as such.
forms.unsent = function (r) {
  this.say(r.data.error, null, true);
  if (this.form && this.form.querySelector("#geo-problems")) this.showProblems({ problems: [r.data.error] });
};

export { FIELDS, EDIT_ONLY, field };
