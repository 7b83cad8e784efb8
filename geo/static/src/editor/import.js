import { el } from "../atlas/dom.js";

export const importer = {};

// ---- import: choose or drop a file, see its places on the map with each one's problems, save the chosen
importer.openImport = function () {
  var self = this, t = this.t;
  this.close();
  var file = el("input", { type: "file", id: "geo-import-file", accept: ".geojson,.json,.kml,.gpx,.csv,.zip" });
  var datum = el("select", { id: "geo-import-datum", name: "datum" });
  ["wgs84", "gcj02", "bd09"].forEach(function (d) { datum.appendChild(el("option", { value: d, text: t.datums[d] || d })); });
  var source = el("input", { type: "text", id: "geo-import-source", name: "source", maxlength: "300" });
  var drop = el("div", { className: "geo-drop", id: "geo-import-drop", text: t.importDrop });
  var problems = el("ul", { className: "geo-problems", id: "geo-problems", role: "alert" });
  var list = el("ul", { className: "geo-import-list", id: "geo-import-list" });
  var previewBtn = el("button", { type: "button", id: "geo-import-preview", text: t.importPreview });
  var save = el("button", { type: "button", id: "geo-import-save", text: t.importSave, disabled: "disabled" });
  var cancel = el("button", { type: "button", id: "geo-cancel", text: t.cancel });
  var view = el("div", { className: "geo-import-view", id: "geo-import" }, [
    el("h3", { text: t.importTitle }), el("p", { className: "geo-muted", text: t.importHint }), problems,
    el("label", { className: "geo-field" }, [el("span", { text: t.importFile }), file]), drop,
    el("label", { className: "geo-field" }, [el("span", { text: t.importDatum }), datum]),
    el("label", { className: "geo-field", "data-field": "source" }, [el("span", { text: t.importSource }), source,
      el("span", { className: "geo-field-problem", id: "geo-p-source", role: "alert" })]),
    el("div", { className: "geo-actions" }, [previewBtn]), list, el("div", { className: "geo-actions" }, [save, cancel])]);
  var chosen = { name: null, content: null };
  var take = function (f) {
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () {
      chosen.name = f.name; chosen.content = String(reader.result).replace(/^data:[^,]*,/, "");
      drop.textContent = f.name;
      self.previewImport(chosen, view);
    };
    reader.readAsDataURL(f);
  };
  file.addEventListener("change", function () { take(file.files[0]); });
  ["dragenter", "dragover"].forEach(function (n) { view.addEventListener(n, function (e) { e.preventDefault(); drop.classList.add("geo-drop-over"); }); });
  view.addEventListener("dragleave", function () { drop.classList.remove("geo-drop-over"); });
  view.addEventListener("drop", function (e) {
    e.preventDefault(); drop.classList.remove("geo-drop-over");
    take(e.dataTransfer && e.dataTransfer.files[0]);
  });
  previewBtn.addEventListener("click", function () { if (chosen.content) self.previewImport(chosen, view); else self.importProblems(view, [t.importNoFile]); });
  datum.addEventListener("change", function () { if (chosen.content) self.previewImport(chosen, view); });
  save.addEventListener("click", function () { self.saveImport(chosen, view); });
  cancel.addEventListener("click", function () { self.close(); });
  this.slot.appendChild(view);
  this.form = view;
  this.layout("open");
};

importer.importProblems = function (view, lines) {
  var list = view.querySelector("#geo-problems");
  list.textContent = "";
  if (!lines.length) return;
  list.appendChild(el("li", { className: "geo-problems-title", text: this.t.problems }));
  var self = this;
  lines.forEach(function (p) { list.appendChild(el("li", { text: self.problemText(p) })); });
};

importer.importBody = function (chosen, view) {
  return { filename: chosen.name, content: chosen.content, datum: view.querySelector("#geo-import-datum").value,
           source: view.querySelector("#geo-import-source").value.trim() || null };
};

importer.previewImport = function (chosen, view) {
  var self = this, t = this.t, atlas = this.atlas, list = view.querySelector("#geo-import-list");
  this.importProblems(view, []);
  return this.api("POST", "import/preview", this.importBody(chosen, view)).then(function (r) {
    list.textContent = "";
    if (self.preview) { self.map.removeLayer(self.preview); self.preview = null; }
    if (r.status !== 200) { self.importProblems(view, r.data.problems || [r.data.error || "?"]); return; }
    var layer = self.preview = L.featureGroup().addTo(self.map), good = 0;
    r.data.features.forEach(function (f) {
      var ok = !f.problems.length && f.feature;
      var box = el("input", { type: "checkbox", className: "geo-import-choose", value: String(f.index), "aria-label": f.name || "?" });
      box.checked = !!ok; box.disabled = !ok;
      var li = el("li", { "data-index": String(f.index), "data-ok": String(!!ok) }, [
        el("label", null, [box, el("span", { text: " " + (f.name || t.unnamed) + (ok ? "" : " · " + t.importBad) })])]);
      if (f.problems.length) {
        var ul = el("ul", { className: "geo-field-problem" });
        f.problems.forEach(function (p) { ul.appendChild(el("li", { text: self.problemText(p) })); });
        li.appendChild(ul);
      }
      f.warnings.forEach(function (w) { li.appendChild(el("div", { className: "geo-muted", text: w })); });
      list.appendChild(li);
      if (ok && f.feature.geometry) {
        good += 1;
        L.geoJSON(f.feature, { coordsToLatLng: function (c) { var p = atlas.project(c[0], c[1]); return L.latLng(p[0], p[1]); },
                               pointToLayer: function (_, at) { return L.circleMarker(at, { radius: 7, color: "#6a1b9a", weight: 3 }); },
                               style: { color: "#6a1b9a", weight: 2 }, interactive: false }).addTo(layer);
      }
    });
    view.querySelector("#geo-import-save").disabled = !good;
    view.setAttribute("data-previewed", String(r.data.features.length));
    if (good) { self.layout("placing"); self.map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [20, 20] }); }
  });
};

importer.saveImport = function (chosen, view) {
  var self = this, t = this.t;
  var picked = [].map.call(view.querySelectorAll(".geo-import-choose:checked"), function (b) { return Number(b.value); });
  if (!picked.length) { this.importProblems(view, [t.importNone]); return Promise.resolve(null); }
  var body = Object.assign(this.importBody(chosen, view), { chosen: picked });
  return this.api("POST", "import", body).then(function (r) {
    if (r.status === 201 || r.status === 200) {
      self.close();
      self.say(t.importSaved + (r.data.ids || []).length + " · " + (r.data.summary || ""));
      self.refresh();
      return r.data;
    }
    var fields = r.data.fields || {};
    view.querySelector("#geo-p-source").textContent = (fields.source || []).join(" ");
    self.importProblems(view, r.data.problems || [r.data.error || "?"]);
    return null;
  });
};
