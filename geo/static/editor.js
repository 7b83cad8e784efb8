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
 */
(function (global) {
  "use strict";
  var H = global.nanguanAtlasHelpers, el = H.el;
  var FIELDS = [
    ["name", "name", "text"], ["name-en", "nameEn", "text"], ["area", "area", "text"],
    ["class", "parkClass", "select"], ["status", "status", "select"]
  ];
  // Fields a place already in the data can also change (a new park gets them from its form's source).
  var EDIT_ONLY = [["address", "addressText", "text"], ["notes", "notes", "text"]];

  function readToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(global.location.hash || "");
    if (m) {
      global.sessionStorage.setItem("geo-token", decodeURIComponent(m[1]));
      global.history.replaceState(null, "", global.location.pathname + global.location.search);
    }
    return global.sessionStorage.getItem("geo-token") || "";
  }

  function Editor(atlas, opts) {
    var self = this;
    this.atlas = atlas; this.map = atlas.map; this.opts = opts; this.t = opts.text;
    this.token = readToken();
    this.editor = global.localStorage.getItem("geo-editor") || "";
    this.form = null; this.temp = null; this.clickHandler = null;
    this.buildBox();
    this.hookPopups();
    this.hookDraw();
    this.decorate();
    atlas.onReload = function () { self.decorate(); };
    this.listen();
    this.people();
  }

  Editor.prototype.api = function (method, path, body) {
    var payload = Object.assign({ editor: this.editor }, body || {});
    var init = { method: method, headers: { "X-Geo-Token": this.token } };
    if (method !== "GET") { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(payload); }
    return fetch(this.opts.api + "/" + path, init).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; },
                          function () { return { status: r.status, data: { error: "HTTP " + r.status } }; });
    });
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
    who.addEventListener("change", function () { self.editor = who.value.trim(); global.localStorage.setItem("geo-editor", self.editor); });
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

  Editor.prototype.say = function (text, extra) {
    this.status.textContent = text;
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
  Editor.prototype.input = function (name, value, type) {
    if (type === "select") return select(name === "class" ? this.opts.parkClasses : Object.keys(this.opts.statuses), value);
    return el("input", { type: "text", value: value == null ? "" : String(value) });
  };

  Editor.prototype.openForm = function (title, rows, onSave) {
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

  Editor.prototype.value = function (name) {
    var node = this.form && this.form.querySelector("[name='" + name + "']");
    if (!node) return null;
    if (node.type === "checkbox") return node.checked;
    return node.value.trim() === "" ? null : node.value.trim();
  };

  // The words of a problem in the page's language (Chinese first on the Chinese page), never parsed for data.
  Editor.prototype.problemText = function (p) {
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
  Editor.prototype.showProblems = function (data) {
    var self = this, form = this.form, list = form.querySelector("#geo-problems");
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

  // Send a change; problems go next to the fields, a conflict opens the conflict view.
  Editor.prototype.send = function (method, path, body, retry) {
    var self = this;
    if (this.me && this.me.role === "proposer") return this.sendProposal(method, path, body);
    if (!this.editor) {
      this.showProblems({ problems: [this.t.who], fields: {} });
      document.getElementById("geo-editor-name").focus();
      return Promise.resolve(null);
    }
    return this.api(method, path, body).then(function (r) {
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

  // ---- conflicts: who changed the place and when, each field old -> new beside yours, and one button to reapply
  // A form's names for the fields it sends, as the data calls them (the catalogue labels the data's names).
  var PROPERTY = { area: "stated_area_m2", "class": "park_class", "name-en": "name_en", "area-source": "stated_area_source",
                   "status-source": "status_source", lonlat: "geometry", geometry: "geometry", address: "address" };

  Editor.prototype.label = function (prop) {
    var labels = this.t.fieldLabels || {};
    return labels[prop] || prop;
  };

  // A value as a person reads it: a status by its name, an outline by its kind and size, nothing as "(empty)".
  Editor.prototype.shownValue = function (prop, v) {
    var t = this.t;
    if (v == null || v === "") return t.empty;
    if (prop === "status" && this.opts.statuses[v]) return this.opts.statuses[v];
    if (prop === "geometry") {
      if (Array.isArray(v) && typeof v[0] === "number") return v.map(function (x) { return Number(x).toFixed(6); }).join(", ");
      if (v.type === "Point" && v.coordinates) return this.shownValue(prop, v.coordinates);
      if (v.type) return (t.shapes[v.type] || v.type) + (v.positions ? " · " + t.positions.replace("{n}", v.positions) : "");
      if (typeof v === "string") return v;
    }
    if (typeof v === "number" && prop === "stated_area_m2") return H.fmtArea(v);
    var text = this.fullValue(prop, v);
    return text.length > 160 ? text.slice(0, 150) + "…" : text;
  };
  // The whole value (a long note in full), for a tooltip beside the shortened one.
  Editor.prototype.fullValue = function (prop, v) {
    if (v == null || v === "" || prop === "geometry" || prop === "status") return v == null || v === "" ? this.t.empty : this.shownValue(prop, v);
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };

  Editor.prototype.when = function (iso) {
    var d = iso ? new Date(iso) : null;
    return d && !isNaN(d.getTime()) ? d.toLocaleString(document.documentElement.lang || "zh-CN", { hour12: false }) : (iso || "?");
  };

  Editor.prototype.conflict = function (mine, data, retry) {
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
  Editor.prototype.touched = function (event) {
    var form = this.form, place = form && form.getAttribute("data-place");
    if (!place || !event || event.by === this.editor) return;
    var hit = (event.changed || []).indexOf(place) >= 0 || (event.removed || []).indexOf(place) >= 0;
    if (!hit || form.id === "geo-conflict") return;
    var note = form.querySelector("#geo-form-live");
    if (!note) { note = el("p", { className: "geo-warn", id: "geo-form-live", role: "alert" }); form.insertBefore(note, form.children[1] || null); }
    var text = (event.removed || []).indexOf(place) >= 0 ? this.t.liveRemoved : this.t.liveTouched;
    note.textContent = text.replace(/\{who\}/g, event.by || this.t.someone);
  };

  // ---- placing a place by hand (unlocated, or moving a point)
  Editor.prototype.uncertaintyForZoom = function () {
    // A click is good to about 10 screen pixels at this zoom.
    var c = this.map.getCenter(), mpp = 40075016.686 * Math.cos(c.lat * Math.PI / 180) / (256 * Math.pow(2, this.map.getZoom()));
    return Math.max(5, Math.round(10 * mpp));
  };

  Editor.prototype.startPlacing = function (ident, name) {
    var self = this, t = this.t;
    this.api("GET", "places/" + ident).then(function (r) {
      if (r.status !== 200) { self.say(r.data.error || "?"); return; }
      var version = r.data.version;
      var lonlat = el("input", { type: "text", placeholder: "125.3341,43.8412" });
      var address = el("input", { type: "text" });
      var source = el("input", { type: "text" });
      var unc = el("input", { type: "number", min: "0", step: "1", value: String(self.uncertaintyForZoom()) });
      var datum = el("p", { className: "geo-muted", id: "geo-datum", text: t.datumNote + self.atlas.datum });
      var form = self.openForm(t.placeTitle + name, [el("p", { className: "geo-muted", text: t.placeHint }),
        field("lonlat", t.lonlat, lonlat), field("address", t.address, address), field("source", t.source, source),
        field("uncertainty", t.uncertainty, unc), datum], function () {
        var body = { version: version, source: self.value("source"), datum: self.atlas.datum,
                     uncertainty_m: self.value("uncertainty") == null ? null : Number(self.value("uncertainty")) };
        if (self.value("lonlat") && self.value("lonlat") === self.clicked) body.zoom = self.clickZoom;
        if (self.value("lonlat")) body.lonlat = self.value("lonlat"); else body.address = self.value("address");
        var send = function (v) { body.version = v; return self.send("PUT", "places/" + ident + "/location", body, send); };
        send(version);
      });
      form.setAttribute("data-place", ident);
      self.layout("placing");
      self.atlas.busy = true;
      self.clickHandler = function (e) {
        // The click is in the basemap's datum (GCJ-02 on Amap): sent as it is, with that datum.
        lonlat.value = e.latlng.lng.toFixed(7) + "," + e.latlng.lat.toFixed(7);
        self.clicked = lonlat.value; self.clickZoom = self.map.getZoom();
        unc.value = String(self.uncertaintyForZoom());
        datum.textContent = t.datumNote + self.atlas.datum;
        if (self.temp) self.map.removeLayer(self.temp);
        self.temp = L.circleMarker(e.latlng, { radius: 8, color: "#d81b60", weight: 3, fill: false, interactive: false }).addTo(self.map);
      };
      self.map.on("click", self.clickHandler);
      source.focus();
    });
  };

  // ---- adding a park from a drawn point, rectangle or polygon
  Editor.prototype.hookDraw = function () {
    var self = this;
    // While the draw tool is in use the map has the screen (on a phone the sheet and the editor step aside).
    this.map.on("draw:drawstart draw:editstart", function () { if (!self.form) self.layout("drawing"); });
    this.map.on("draw:drawstop draw:editstop", function () { if (!self.form) self.layout(null); });
    this.map.on("draw:created", function (e) {
      if (!self.token) return;
      var geometry = e.layer.toGeoJSON().geometry;
      self.temp = null;
      self.addPark(geometry, e.layer);
    });
  };

  Editor.prototype.addPark = function (geometry, layer) {
    var self = this, t = this.t, datum = this.atlas.datum;
    var rows = FIELDS.map(function (f) { return field(f[0], t[f[1]], self.input(f[0], f[0] === "status" ? "open" : null, f[2])); });
    var source = el("input", { type: "text" });
    rows.push(field("source", t.source, source));
    var mapped = el("p", { className: "geo-muted", id: "geo-mapped" });
    var confirm = el("input", { type: "checkbox" });
    var zoom = this.map.getZoom();
    rows.push(mapped, field("confirm_area", t.confirmArea, confirm), field("reason", t.acceptReason, el("input", { type: "text" })));
    var body = function () {
      return { name: self.value("name"), "name-en": self.value("name-en"), area: self.value("area"), "class": self.value("class"),
               status: self.value("status") || "open", source: self.value("source"), geometry: geometry, datum: datum,
               confirm_area: !!self.value("confirm_area"), reason: self.value("reason") };
    };
    this.openForm(t.addPark, rows, function () { self.send("POST", "places", body()); });
    this.layout("placing");
    this.temp = layer;
    if (layer && !this.map.hasLayer(layer)) layer.addTo(this.map);
    var measure = function () {
      if (geometry.type === "Point") return;
      // A dry run only to measure: placeholders for what the form still lacks (nothing is saved).
      var b = Object.assign(body(), { dry_run: true, name: body().name || "?", area: body().area || "1",
                                      source: body().source || "?" });
      self.api("POST", "places", b).then(function (r) {
        var m = r.data.mapped_area_m2;
        (r.data.problems || []).forEach(function (p) { if (m == null && p.values && p.values.mapped_area_m2 != null) m = p.values.mapped_area_m2; });
        if (m != null) mapped.textContent = t.mapped + H.fmtArea(m);
      });
    };
    this.form.querySelector("[name='area']").addEventListener("change", measure);
    measure();
  };

  // ---- editing, moving, re-outlining and removing from a popup
  Editor.prototype.hookPopups = function () {
    var self = this, atlas = this.atlas, original = atlas.popupContent;
    atlas.popupContent = function (i) {
      var node = original.call(atlas, i);
      if (!self.token) return node;
      var ident = atlas.str("id", i), name = atlas.str("name", i), item = atlas.items[i];
      var bar = el("div", { className: "geo-actions geo-popup-actions" });
      var edit = el("button", { type: "button", className: "geo-edit", text: self.t.edit });
      edit.addEventListener("click", function () { atlas.map.closePopup(); self.edit(ident, name); });
      bar.appendChild(edit);
      if (item && item.member.poly === undefined) {
        var move = el("button", { type: "button", className: "geo-move", text: self.t.move });
        move.addEventListener("click", function () { atlas.map.closePopup(); self.startPlacing(ident, name); });
        bar.appendChild(move);
      } else if (item) {
        var outline = el("button", { type: "button", className: "geo-outline", text: self.t.editOutline });
        outline.addEventListener("click", function () { atlas.map.closePopup(); self.editOutline(ident, name); });
        bar.appendChild(outline);
      }
      var remove = el("button", { type: "button", className: "geo-remove", text: self.t.remove });
      remove.addEventListener("click", function () { atlas.map.closePopup(); self.remove(ident, name); });
      bar.appendChild(remove);
      var past = el("button", { type: "button", className: "geo-place-history", text: self.t.historyButton });
      past.addEventListener("click", function () { atlas.map.closePopup(); self.openHistory(ident); });
      bar.appendChild(past);
      node.appendChild(bar);
      return node;
    };
  };

  Editor.prototype.edit = function (ident, name) {
    var self = this, t = this.t;
    this.api("GET", "places/" + ident).then(function (r) {
      if (r.status !== 200) { self.say(r.data.error || "?"); return; }
      var p = r.data.feature.properties;
      var before = { name: p.name, "name-en": p.name_en, area: p.stated_area_m2 == null ? null : String(p.stated_area_m2),
                     "class": p.park_class, status: p.status, address: p.address, notes: p.notes };
      var all = FIELDS.concat(EDIT_ONLY);
      var rows = all.map(function (f) { return field(f[0], t[f[1]], self.input(f[0], before[f[0]], f[2])); });
      rows.push(field("source", t.source, el("input", { type: "text" })));
      self.openForm(t.edit + ": " + name, rows, function () {
        var changes = {};
        all.forEach(function (f) {
          var v = self.value(f[0]);
          if ((v || null) !== (before[f[0]] == null ? null : String(before[f[0]]))) changes[f[0]] = v;
        });
        // A changed area or status names where it comes from (else it is recorded as entered by hand).
        if (self.value("source")) {
          if ("area" in changes && changes.area != null) changes["area-source"] = self.value("source");
          if ("status" in changes) changes["status-source"] = self.value("source");
        }
        var body = { changes: changes };
        var send = function (v) { body.version = v; return self.send("PATCH", "places/" + ident, body, send); };
        send(r.data.version);
      }).setAttribute("data-place", ident);
    });
  };

  Editor.prototype.editOutline = function (ident, name) {
    var self = this, atlas = this.atlas;
    this.api("GET", "places/" + ident).then(function (r) {
      if (r.status !== 200) return;
      var g = r.data.feature.geometry, polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      var latlngs = polys.map(function (rings) { return rings.map(function (ring) { return ring.slice(0, -1).map(function (pt) { return atlas.project(pt[0], pt[1]); }); }); });
      // One outline is handed over as its rings: Leaflet.draw's vertex editing fails on a one-part multi-polygon nesting.
      var layer = L.polygon(latlngs.length === 1 ? latlngs[0] : latlngs, { color: "#d81b60" }).addTo(self.map);
      if (layer.editing) layer.editing.enable();
      var source = el("input", { type: "text" });
      // A refused area difference can be accepted here too, with the reason the record keeps.
      var rows = [field("source", self.t.source, source), field("confirm_area", self.t.confirmArea, el("input", { type: "checkbox" })),
                  field("reason", self.t.acceptReason, el("input", { type: "text" }))];
      self.openForm(self.t.editOutline + ": " + name, rows, function () {
        var body = { geometry: layer.toGeoJSON().geometry, datum: atlas.datum, source: self.value("source"),
                     confirm_area: !!self.value("confirm_area"), reason: self.value("reason") };
        var send = function (v) { body.version = v; return self.send("PUT", "places/" + ident + "/outline", body, send); };
        send(r.data.version);
      });
      self.layout("placing");
      self.temp = layer;
    });
  };

  Editor.prototype.remove = function (ident, name) {
    var self = this, t = this.t;
    this.api("GET", "places/" + ident).then(function (r) {
      if (r.status !== 200) return;
      self.openForm(t.confirmRemove + " " + name, [], function () {
        var body = { version: r.data.version };
        var send = function (v) { body.version = v; return self.send("DELETE", "places/" + ident, body, send); };
        send(r.data.version).then(function (done) {
          if (!done || !done.change) return;
          var undo = el("button", { type: "button", id: "geo-undo", text: t.undo });
          undo.addEventListener("click", function () {
            self.api("POST", "undo/" + done.change, {}).then(function (u) {
              self.undoSlot.textContent = u.status === 200 ? t.undone + ": " + name : (u.data.error || "?");
              self.refresh();
            });
          });
          self.undoSlot.textContent = t.removed + name + " ";
          self.undoSlot.appendChild(undo);
        });
      }).setAttribute("data-place", ident);
      document.getElementById("geo-save").textContent = t.remove;
    });
  };

  // ---- the "Not on the map" list gets a Place button per place
  Editor.prototype.decorate = function () {
    var self = this, atlas = this.atlas;
    if (!this.token) return;
    document.querySelectorAll("#atlas-unlocated li[data-atlas-id]").forEach(function (li) {
      var ident = li.getAttribute("data-atlas-id"), i = atlas.indexOf(ident);
      var btn = el("button", { type: "button", className: "geo-place", "data-place": ident, text: self.t.place });
      btn.addEventListener("click", function () { self.startPlacing(ident, atlas.str("name", i)); });
      li.appendChild(btn);
    });
  };

  // ---- live: every saved change, by anyone, redraws every open page
  Editor.prototype.refresh = function () {
    var atlas = this.atlas;
    return fetch(this.opts.api + "/payload", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (payload) { atlas.reload(payload); });
  };

  Editor.prototype.listen = function () {
    var self = this;
    if (!global.EventSource) return;
    var source = new EventSource(this.opts.api + "/events");
    source.addEventListener("change", function (e) {
      var event = JSON.parse(e.data);
      self.touched(event);
      self.refresh().then(function () {
        if (event.summary || event.by) self.liveLine.textContent = self.t.live + (event.summary || event.by);
        if (self.reloadHistory) self.reloadHistory();
        global.nanguanEditorChanges = (global.nanguanEditorChanges || 0) + 1;
      });
    });
    this.events = source;
  };

  // ---- keys, roles and proposals (issue 28): who you are, your proposals, the reviewer's queue.
  // The server knows who you are from the key alone; the name field is for the shared token only.
  Editor.prototype.people = function () {
    var self = this, t = this.t;
    if (!this.token) return;
    this.whoLine = el("p", { className: "geo-who", id: "geo-editor-who", role: "status" });
    this.box.insertBefore(this.whoLine, this.box.children[1]);
    this.api("GET", "me").then(function (r) {
      if (r.status !== 200) { self.whoLine.textContent = t.badKey; self.token = ""; return; }
      var me = self.me = r.data;
      if (me.shared) { self.whoLine.remove(); return; }
      self.whoLine.textContent = t.youAre + me.name + " · " + (t.roles[me.role] || me.role);
      var name = document.getElementById("geo-editor-name");
      if (name) name.closest("label").style.display = "none";
      self.editor = me.name;
      if (me.role === "proposer") self.becomeProposer();
      self.listsBox = el("div", { id: "geo-people" });
      self.box.insertBefore(self.listsBox, self.slot);
      self.loadProposals();
      self.watchKey();
    });
  };

  // A stream opened with the key (fetch, since EventSource cannot send a header): the server ends it when the
  // key is revoked, and the page then says so and stops offering changes. Its events refresh the proposals.
  Editor.prototype.watchKey = function () {
    var self = this, t = this.t;
    if (!global.ReadableStream || !global.TextDecoder) return;
    fetch(this.opts.api + "/events", { headers: { "X-Geo-Token": this.token }, cache: "no-store" }).then(function (r) {
      if (!r.ok || !r.body) return null;
      var reader = r.body.getReader(), decoder = new TextDecoder();
      var pump = function () {
        return reader.read().then(function (chunk) {
          if (chunk.done) return null;
          if (decoder.decode(chunk.value, { stream: true }).indexOf("event: change") >= 0) self.loadProposals();
          return pump();
        });
      };
      return pump();
    }).catch(function () { return null; }).then(function () {
      return self.api("GET", "me").then(function (r) {
        if (r.status === 200) { global.setTimeout(function () { self.watchKey(); }, 1000); return; }
        self.whoLine.textContent = t.badKey;
        self.token = ""; self.me = null;
        document.body.classList.add("geo-revoked");
        if (self.listsBox) self.listsBox.textContent = "";
        self.close();
      });
    }, function () { return null; });
  };

  // A proposer uses the same forms; what they save is sent as a proposal (see send) and never removes or redraws.
  Editor.prototype.becomeProposer = function () {
    var self = this, t = this.t, atlas = this.atlas, original = atlas.popupContent;
    this.box.insertBefore(el("p", { className: "geo-muted", id: "geo-propose-hint", text: t.proposeHint }), this.liveLine);
    atlas.popupContent = function (i) {
      var node = original.call(atlas, i);
      node.querySelectorAll(".geo-remove, .geo-outline").forEach(function (b) { b.remove(); });
      node.querySelectorAll(".geo-edit").forEach(function (b) { b.textContent = t.proposeEdit; });
      node.querySelectorAll(".geo-move").forEach(function (b) { b.textContent = t.proposeMove; });
      return node;
    };
    if (this.importButton) this.importButton.remove();
    var relabel = function () { document.querySelectorAll("button.geo-place").forEach(function (b) { b.textContent = t.proposePlace; }); };
    var reload = atlas.onReload;
    atlas.onReload = function () { reload(); relabel(); };
    relabel();
  };

  Editor.prototype.sendProposal = function (method, path, body) {
    var self = this, t = this.t, m = /^places(?:\/([a-z0-9-]+))?(\/location)?$/.exec(path);
    var kind = !m ? null : method === "POST" && !m[1] ? "add" : method === "PUT" && m[2] ? "location" : method === "PATCH" && !m[2] ? "update" : null;
    if (!kind) return Promise.resolve(null);
    var proposal = Object.assign({}, body, { kind: kind, place: m[1] || null });
    return this.api("POST", "proposals", proposal).then(function (r) {
      if (r.status !== 201) { self.showProblems(r.data); return null; }
      self.close();
      self.say(t.proposed + self.proposalTitle(r.data.proposal));
      self.loadProposals();
      return r.data;
    });
  };

  Editor.prototype.proposalTitle = function (p) {
    var f = p.proposed || p.current, name = f && f.properties ? f.properties.name : p.place;
    return (this.t.kinds[p.kind] || p.kind) + ": " + (name || "?");
  };

  Editor.prototype.loadProposals = function () {
    var self = this;
    if (!this.me || this.me.shared) return;
    this.api("GET", "proposals").then(function (r) {
      if (r.status === 200) self.showProposals(r.data.proposals || []);
    });
  };

  Editor.prototype.showProposals = function (list) {
    var self = this, t = this.t, reviewing = this.me.may.indexOf("review") >= 0;
    var items = reviewing ? list.filter(function (p) { return p.state === "pending"; }) : list.filter(function (p) { return p.proposer === self.me.name; });
    var ul = el("ul", { className: "geo-proposals", id: reviewing ? "geo-queue" : "geo-mine" });
    items.slice().reverse().forEach(function (p) {
      var li = el("li", { "data-proposal": p.id, "data-state": p.state }, [el("span", { text: self.proposalTitle(p) + " " })]);
      if (reviewing) {
        li.appendChild(el("span", { className: "geo-muted", text: t.by + p.proposer + " " }));
        var open = el("button", { type: "button", className: "geo-review", text: t.review });
        open.addEventListener("click", function () { self.review(p); });
        li.appendChild(open);
      } else {
        li.appendChild(el("strong", { className: "geo-state", text: t.states[p.state] || p.state }));
        if (p.reason) li.appendChild(el("span", { className: "geo-reason", text: " " + t.reasonShown + p.reason }));
      }
      ul.appendChild(li);
    });
    if (!items.length) ul.appendChild(el("li", { className: "geo-muted", text: t.none }));
    // A reviewer with proposals waiting sees the queue on a phone too (the idle bar unfolds).
    if (reviewing && items.length && !this.form) { document.body.classList.add("geo-expanded"); this.layout(null); }
    this.listsBox.textContent = "";
    this.listsBox.appendChild(el("h3", { text: reviewing ? t.queue : t.mine }));
    this.listsBox.appendChild(ul);
  };

  function shown(v) {
    if (v == null || v === "") return "—";
    return typeof v === "object" ? JSON.stringify(v.coordinates || v).slice(0, 80) : String(v);
  }

  // The reviewer's view: the proposal beside the place as it is now, the proposal drawn on the map.
  Editor.prototype.review = function (p) {
    var self = this, t = this.t, atlas = this.atlas;
    var mine = p.proposed || { properties: {}, geometry: null }, now = p.current || { properties: {}, geometry: null };
    var keys = Object.keys(mine.properties).filter(function (k) { return k !== "id" && JSON.stringify(mine.properties[k]) !== JSON.stringify(now.properties[k]); });
    var rows = [el("tr", null, [el("th", { scope: "row", text: "geometry" }), el("td", { text: shown(mine.geometry) }), el("td", { text: shown(now.geometry) })])];
    keys.slice(0, 14).forEach(function (k) {
      rows.push(el("tr", null, [el("th", { scope: "row", text: k }), el("td", { text: shown(mine.properties[k]) }), el("td", { text: shown(now.properties[k]) })]));
    });
    this.close();
    var reason = el("input", { type: "text", id: "geo-f-reason", name: "reason", maxlength: "500" });
    var view = el("div", { className: "geo-conflict geo-review-view", id: "geo-review", "data-proposal": p.id }, [
      el("h3", { text: t.review + ": " + this.proposalTitle(p) }),
      el("p", { className: "geo-muted", text: t.by + p.proposer + " · " + p.time }),
      el("ul", { className: "geo-problems", id: "geo-problems", role: "alert" }),
      el("table", null, [el("thead", null, [el("tr", null, [el("th", { text: "" }), el("th", { text: t.proposal }), el("th", { text: t.current })])]),
                          el("tbody", null, rows)]),
      el("label", { className: "geo-field" }, [el("span", { text: t.reason }), reason])
    ]);
    var approve = el("button", { type: "button", id: "geo-approve", text: t.approve });
    var decline = el("button", { type: "button", id: "geo-decline", text: t.decline });
    var cancel = el("button", { type: "button", id: "geo-cancel", text: t.cancel });
    approve.addEventListener("click", function () { self.decide(p, "approve", { version: p.current_version }); });
    decline.addEventListener("click", function () { self.decide(p, "decline", { reason: reason.value }); });
    cancel.addEventListener("click", function () { self.close(); });
    view.appendChild(el("div", { className: "geo-actions" }, [approve, decline, cancel]));
    this.slot.appendChild(view);
    this.form = view;
    this.layout("placing");
    var g = mine.geometry;
    if (g && g.type === "Point") {
      var at = atlas.project(g.coordinates[0], g.coordinates[1]);
      this.temp = L.circleMarker(at, { radius: 9, color: "#ef6c00", weight: 3, fill: false, interactive: false }).addTo(this.map);
      this.map.panTo(at);
    } else if (g && g.type === "Polygon") {
      this.temp = L.polygon(g.coordinates.map(function (ring) { return ring.map(function (pt) { return atlas.project(pt[0], pt[1]); }); }),
                            { color: "#ef6c00", interactive: false }).addTo(this.map);
      this.map.fitBounds(this.temp.getBounds());
    }
  };

  Editor.prototype.decide = function (p, what, body) {
    var self = this, t = this.t;
    this.api("POST", "proposals/" + p.id + "/" + what, body).then(function (r) {
      if (r.status !== 200) {
        self.showProblems(r.status === 409 ? { problems: [t.changedSince, r.data.error] } : r.data);
        if (r.status === 409) self.loadProposals();
        return;
      }
      self.close();
      self.say((what === "approve" ? t.approved : t.declined) + self.proposalTitle(p));
      self.loadProposals();
      if (what === "approve") self.refresh();
    });
  };

  // ---- layout: what the editor takes of the screen. On a phone the idle editor is one bar, an open form
  // shares the screen with the map, and placing, drawing or previewing gives the map most of it (the sheet steps
  // down out of the way). `mode`: null (idle), "open", "placing" or "drawing".
  Editor.prototype.layout = function (mode) {
    var c = document.body.classList, box = this.box, slot = this.slot;
    if (mode === "open" || mode === "placing") global.requestAnimationFrame(function () { box.scrollTop = Math.max(0, slot.offsetTop - 4); });
    c.toggle("geo-open", mode === "open" || mode === "placing");
    c.toggle("geo-placing", mode === "placing");
    c.toggle("geo-drawing", mode === "drawing");
    if (mode === "placing" || mode === "drawing") {
      if (this.atlas.isPhone() && this.atlas.sheetState() !== "peek") this.atlas.setSheet("peek");
    }
    if (this.expand) this.expand.setAttribute("aria-expanded", String(c.contains("geo-open") || c.contains("geo-expanded")));
  };

  Editor.prototype.panelButtons = function () {
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
  Editor.prototype.openHistory = function (place) {
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
    var page = 0;
    var load = function (reset) {
      if (reset) { page = 0; list.textContent = ""; }
      var q = "history?brief=1&limit=20&page=" + page + (filter.value ? "&place=" + encodeURIComponent(filter.value) : "");
      return self.api("GET", q).then(function (r) {
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
    this.reloadHistory = function () { if (self.form === view) load(true); };
    return load(true);
  };

  Editor.prototype.historyItem = function (c) {
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
          self.say(said.textContent.trim());
          undo.disabled = u.status === 200;
          if (u.status === 200) self.refresh();
        });
      });
      li.appendChild(el("div", { className: "geo-actions" }, [undo, said]));
    }
    return li;
  };

  // ---- import: choose or drop a file, see its places on the map with each one's problems, save the chosen
  Editor.prototype.openImport = function () {
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

  Editor.prototype.importProblems = function (view, lines) {
    var list = view.querySelector("#geo-problems");
    list.textContent = "";
    if (!lines.length) return;
    list.appendChild(el("li", { className: "geo-problems-title", text: this.t.problems }));
    var self = this;
    lines.forEach(function (p) { list.appendChild(el("li", { text: self.problemText(p) })); });
  };

  Editor.prototype.importBody = function (chosen, view) {
    return { filename: chosen.name, content: chosen.content, datum: view.querySelector("#geo-import-datum").value,
             source: view.querySelector("#geo-import-source").value.trim() || null };
  };

  Editor.prototype.previewImport = function (chosen, view) {
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

  Editor.prototype.saveImport = function (chosen, view) {
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

  global.nanguanEditor = function (atlas, opts) { return new Editor(atlas, opts); };
})(window);
