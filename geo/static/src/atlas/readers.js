// For readers: the language, the draw tool's Export guard, the language switch and the downloads.
import { LANG, deepMerge } from "./locale.js";
import { el, bilingual } from "./dom.js";
import { fmtNumber } from "./format.js";

export const readers = {};

// ---- for readers: language, filters, downloads, the print map's list (sections added to the panel)
readers.applyLanguage = function () {
  // The chosen language's words replace the built-in ones; a key the catalogue lacks keeps the Chinese.
  var cat = LANG.cat, o = this.opts;
  if (!cat) return;
  o.text = deepMerge(deepMerge({}, o.text || {}), cat.page || {});
  o.statuses = cat.status || o.statuses; o.precisions = cat.precision || {}; o.outlines = cat.outline || {};
  o.figureLabels = cat.figure || {}; o.labels = cat.category || o.labels;
  o.radiiLabel = o.text.radiiLabel.split("{radii}").join(o.radii.map(function (r) { return fmtNumber(r, 0); }).join(" / "));
  o.boundaryLabel = o.text.boundaryLabel; o.boundaryAttribution = o.text.boundaryAttribution;
  o.placesAttribution = o.text.placesAttribution.replace("{report}", o.report || "");
  if (o.editor && cat.editor) o.editor.text = deepMerge(deepMerge({}, o.editor.text || {}), cat.editor);
};

readers.classLabel = function (cls) {
  var en = this.opts.parkClasses[cls];
  if (!en) return cls;
  return LANG.code === "en" ? en.charAt(0).toUpperCase() + en.slice(1) + " (" + cls + ")" : cls + "（" + en + "）";
};

readers.glossed = function (i) {
  // English words for the parts of a Chinese name (创意 creative, 湿地 wetland): "Creative" finds 创意园.
  var glossary = (LANG.cat && LANG.cat.search && LANG.cat.search.glossary) || {}, name = (this.str("name", i) || "") + (this.str("aliases", i) || "");
  var words = [];
  Object.keys(glossary).forEach(function (zh) { if (name.indexOf(zh) >= 0) words.push(glossary[zh]); });
  return words.join(" ");
};

readers.guardExport = function (link) {
  // The draw tool's Export with nothing drawn would download an empty file without a word: say so instead.
  var self = this, original = link.onclick;
  link.onclick = function (e) {
    var drawn = 0;
    Object.keys(window).forEach(function (k) {
      if (/^drawnItems_/.test(k) && window[k] && window[k].getLayers) drawn += window[k].getLayers().length;
    });
    var note = document.getElementById("atlas-export-note");
    if (!drawn) {
      if (e) e.preventDefault();
      link.removeAttribute("href");
      if (note) {
        note.textContent = ""; note.hidden = false; bilingual(note, self.opts.text.exportNothing);
        clearTimeout(self.exportTimer);
        self.exportTimer = setTimeout(function () { note.hidden = true; }, 8000);
      }
      return false;
    }
    if (note) note.hidden = true;
    return original ? original.call(this, e) : true;
  };
};

readers.buildReaderSections = function (body) {
  var self = this;
  this.groupsAll = {};
  this.p.categories.forEach(function (c) { self.groupsAll[c] = self.groups[c].members.slice(); });
  this.radiiAll = this.radii ? this.radii.members.slice() : [];
  this.buildLanguageSwitch();
  body.insertBefore(this.buildFilters(), document.getElementById("atlas-located-title").parentNode);
  var bar = body.querySelector(".atlas-toolbar");
  var downloads = this.buildDownloads();
  if (downloads) body.insertBefore(downloads, bar);
  this.applyFilters(true);
};

readers.buildLanguageSwitch = function () {
  var self = this, t = this.opts.text, head = this.panel.querySelector(".atlas-panel-head");
  var other = (LANG.cat && LANG.cat.meta && LANG.cat.meta.other) || (LANG.code === "en" ? "zh-CN" : "en");
  if (!LANG.all[other]) return;
  var btn = el("button", { type: "button", className: "atlas-lang", id: "atlas-lang", lang: other,
                           title: t.languageSwitchTitle, "aria-label": t.languageSwitchTitle, text: t.languageSwitch });
  btn.addEventListener("click", function () {
    // The language lives in the link, like the view: the page is rebuilt in it, keeping everything else.
    LANG.explicit = true; LANG.code = other;
    window.history.replaceState(null, "", self.stateHash());
    window.location.reload();
  });
  head.insertBefore(btn, head.querySelector(".atlas-panel-toggle"));
};

function fmtBytes(n) {
  return n >= 1048576 ? fmtNumber(n / 1048576, 1) + " MB" : n >= 1024 ? fmtNumber(n / 1024, 0) + " KB" : fmtNumber(n, 0) + " B";
}

readers.buildDownloads = function () {
  // The data beside the page (geo build writes it), with sizes, the licence and whom to credit.
  var t = this.opts.text, files = this.opts.downloads || [];
  if (!files.length) return null;
  var names = { geojson: "GeoJSON", csv: "CSV (Excel)", kml: "KML (Google Earth)", gpkg: "GeoPackage (QGIS)", parquet: "GeoParquet" };
  var list = el("ul", { className: "atlas-downloads", id: "atlas-downloads" }, files.map(function (f) {
    return el("li", null, [el("a", { href: f.href, download: "", "data-format": f.format, text: names[f.format] || f.format }),
                           el("span", { className: "atlas-muted", text: f.bytes == null ? "" : " · " + fmtBytes(f.bytes) })]);
  }));
  return el("section", { className: "atlas-downloads-box", "aria-labelledby": "atlas-downloads-title" }, [
    el("h3", { id: "atlas-downloads-title", bi: t.downloads }),
    el("p", { className: "atlas-muted", bi: t.downloadsNote.replace("{n}", this.p.n) }), list,
    el("p", { className: "atlas-muted", id: "atlas-licence",
              text: t.downloadsLicence.replace("{licence}", this.opts.licence || "").replace("{credit}", "nanguan-geo · " + (this.opts.report || "")) })]);
};
