/* GENERATED FILE, do not edit: the editor of geo serve (after atlas.js), bundled by `npm run build` (tools/build_js.mjs, esbuild 0.28.2) from geo/static/src/editor/index.js and the modules it imports. Edit those and rebuild. */
(() => {
  // geo/static/src/atlas/dom.js
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "bi") bilingual(node, attrs[k]);
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      }
    }
    (children || []).forEach(function(c) {
      if (c == null) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  var LATIN = /^([^A-Za-z]*?[\u3000-\u9fff\uff00-\uffef][^A-Za-z]*?)\s*([A-Za-z(].*)$/;
  function bilingual(node, text) {
    text = String(text == null ? "" : text);
    var m = LATIN.exec(text);
    if (m) {
      node.appendChild(document.createTextNode(m[1] + " "));
      var en = document.createElement("span");
      en.setAttribute("lang", "en");
      en.textContent = m[2];
      node.appendChild(en);
    } else if (/[A-Za-z]/.test(text) && !/[\u3000-\u9fff\uff00-\uffef]/.test(text)) {
      node.setAttribute("lang", "en");
      node.textContent = text;
    } else {
      node.textContent = text;
    }
  }

  // geo/static/src/editor/forms.js
  var FIELDS = [
    ["name", "name", "text"],
    ["name-en", "nameEn", "text"],
    ["area", "area", "text"],
    ["class", "parkClass", "select"],
    ["status", "status", "select"]
  ];
  var EDIT_ONLY = [["address", "addressText", "text"], ["notes", "notes", "text"]];
  var forms = {};
  function field(name, label, input) {
    input.setAttribute("name", name);
    input.id = "geo-f-" + name;
    return el("label", { className: "geo-field", "data-field": name }, [
      el("span", { text: label }),
      input,
      el("span", { className: "geo-field-problem", id: "geo-p-" + name, role: "alert" })
    ]);
  }
  function select(options, value) {
    var s = el("select");
    [""].concat(options).forEach(function(o) {
      var opt = el("option", { value: o, text: o || "—" });
      if (o === (value || "")) opt.selected = true;
      s.appendChild(opt);
    });
    return s;
  }
  forms.input = function(name, value, type) {
    if (type === "select") return select(name === "class" ? this.opts.parkClasses : Object.keys(this.opts.statuses), value);
    return el("input", { type: "text", value: value == null ? "" : String(value) });
  };
  forms.openForm = function(title, rows, onSave) {
    var self = this, t = this.t;
    this.close();
    var form = el("form", { className: "geo-form", id: "geo-form", novalidate: "novalidate" });
    form.appendChild(el("h3", { text: title }));
    form.appendChild(el("ul", { className: "geo-problems", id: "geo-problems", role: "alert" }));
    rows.forEach(function(r) {
      form.appendChild(r);
    });
    var save = el("button", { type: "submit", id: "geo-save", text: t.save });
    var cancel = el("button", { type: "button", id: "geo-cancel", text: t.cancel });
    cancel.addEventListener("click", function() {
      self.close();
    });
    form.appendChild(el("div", { className: "geo-actions" }, [save, cancel]));
    form.addEventListener("submit", function(e) {
      e.preventDefault();
      onSave(form);
    });
    form.addEventListener("input", function(e) {
      var label = e.target.closest(".geo-field"), slot = label && label.querySelector(".geo-field-problem");
      if (slot) slot.textContent = "";
    });
    this.slot.appendChild(form);
    this.form = form;
    this.layout("open");
    return form;
  };
  forms.value = function(name) {
    var node = this.form && this.form.querySelector("[name='" + name + "']");
    if (!node) return null;
    if (node.type === "checkbox") return node.checked;
    return node.value.trim() === "" ? null : node.value.trim();
  };
  forms.problemText = function(p) {
    if (typeof p === "string") return p;
    var text = p.text || {}, lang = (document.documentElement.lang || "zh-CN").indexOf("en") === 0 ? "en" : "zh-CN";
    if (lang === "en") return text.en || text["zh-CN"] || "?";
    return text["zh-CN"] && text.en && text["zh-CN"] !== text.en ? text["zh-CN"] + " · " + text.en : text["zh-CN"] || text.en || "?";
  };
  var FORM_FIELD = {
    name: "name",
    name_en: "name-en",
    stated_area_m2: "area",
    park_class: "class",
    status: "status",
    source: "source",
    location_source: "source",
    stated_area_source: "source",
    status_source: "source",
    lonlat: "lonlat",
    geometry: "lonlat",
    zoom: "lonlat",
    address: "address",
    uncertainty_m: "uncertainty",
    reason: "reason",
    confirm_area: "confirm_area",
    notes: "notes"
  };
  forms.showProblems = function(data) {
    var self = this, form = this.form, list = form.querySelector("#geo-problems");
    list.textContent = "";
    form.querySelectorAll(".geo-field-problem").forEach(function(n) {
      n.textContent = "";
    });
    var problems = data.problems || [data.error || "?"];
    list.appendChild(el("li", { className: "geo-problems-title", text: this.t.problems }));
    problems.forEach(function(p) {
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
  forms.send = function(method, path, body, retry) {
    var self = this;
    if (this.me && this.me.role === "proposer") return this.sendProposal(method, path, body);
    if (!this.editor) {
      this.showProblems({ problems: [this.t.who], fields: {} });
      document.getElementById("geo-editor-name").focus();
      return Promise.resolve(null);
    }
    return this.api(method, path, body).then(function(r) {
      if (r.status === 200 || r.status === 201) {
        if (r.data.dry_run) return r.data;
        self.close();
        self.say(self.t.saved + (r.data.summary || ""));
        self.refresh();
        return r.data;
      }
      if (r.status === 409) {
        self.conflict(body, r.data, retry);
        return null;
      }
      self.showProblems(r.data);
      return null;
    });
  };

  // geo/static/src/editor/conflicts.js
  var conflicts = {};
  var PROPERTY = {
    area: "stated_area_m2",
    "class": "park_class",
    "name-en": "name_en",
    "area-source": "stated_area_source",
    "status-source": "status_source",
    lonlat: "geometry",
    geometry: "geometry",
    address: "address"
  };
  conflicts.label = function(prop) {
    var labels = this.t.fieldLabels || {};
    return labels[prop] || prop;
  };
  conflicts.shownValue = function(prop, v) {
    var t = this.t;
    if (v == null || v === "") return t.empty;
    if (prop === "status" && this.opts.statuses[v]) return this.opts.statuses[v];
    if (prop === "geometry") {
      if (Array.isArray(v) && typeof v[0] === "number") return v.map(function(x) {
        return Number(x).toFixed(6);
      }).join(", ");
      if (v.type === "Point" && v.coordinates) return this.shownValue(prop, v.coordinates);
      if (v.type) return (t.shapes[v.type] || v.type) + (v.positions ? " · " + t.positions.replace("{n}", v.positions) : "");
      if (typeof v === "string") return v;
    }
    if (typeof v === "number" && prop === "stated_area_m2") return this.tools.fmtArea(v);
    var text = this.fullValue(prop, v);
    return text.length > 160 ? text.slice(0, 150) + "…" : text;
  };
  conflicts.fullValue = function(prop, v) {
    if (v == null || v === "" || prop === "geometry" || prop === "status") return v == null || v === "" ? this.t.empty : this.shownValue(prop, v);
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };
  conflicts.when = function(iso) {
    var d = iso ? new Date(iso) : null;
    return d && !isNaN(d.getTime()) ? d.toLocaleString(document.documentElement.lang || "zh-CN", { hour12: false }) : iso || "?";
  };
  conflicts.conflict = function(mine, data, retry) {
    var self = this, t = this.t, theirs = data.changes || {}, yours = {};
    Object.keys(mine.changes || {}).forEach(function(k) {
      yours[PROPERTY[k] || k] = mine.changes[k];
    });
    if (mine.lonlat) yours.geometry = mine.lonlat;
    else if (mine.address) yours.address = mine.address;
    if (mine.geometry) yours.geometry = { type: mine.geometry.type };
    var props = Object.keys(theirs).concat(Object.keys(yours).filter(function(k) {
      return !(k in theirs);
    }));
    var rows = props.map(function(k) {
      var change = theirs[k];
      var cell = change ? self.shownValue(k, change[0]) + " → " + self.shownValue(k, change[1]) : t.unchanged;
      var full = change ? self.fullValue(k, change[0]) + " → " + self.fullValue(k, change[1]) : t.unchanged;
      return el("tr", { "data-field": k }, [
        el("th", { scope: "row", text: self.label(k) }),
        el("td", { className: "geo-theirs", text: cell, title: full }),
        el("td", { className: "geo-yours", text: k in yours ? self.shownValue(k, yours[k]) : t.unchanged })
      ]);
    });
    var who = data.by && data.by.length ? data.by.join("、") : t.someone;
    var said = (data.removed ? t.conflictRemoved : t.conflictBy).replace(/\{who\}/g, who).replace(/\{time\}/g, this.when(data.time));
    var form = this.form, place = form && form.getAttribute("data-place");
    this.slot.textContent = "";
    var view = el("div", { className: "geo-conflict", id: "geo-conflict", role: "alertdialog", "aria-label": t.conflict }, [
      el("p", { className: "geo-warn", text: t.conflict }),
      el("p", { className: "geo-conflict-who", id: "geo-conflict-who", text: said }),
      el("table", null, [
        el("thead", null, [el("tr", null, [el("th", { text: t.field }), el("th", { text: t.theirChange }), el("th", { text: t.yourChange })])]),
        el("tbody", null, rows)
      ])
    ]);
    var again = el("button", { type: "button", id: "geo-reapply", text: t.reapply });
    var drop = el("button", { type: "button", id: "geo-discard", text: t.discard });
    again.addEventListener("click", function() {
      if (data.current) retry(data.version);
      else self.close();
    });
    if (!data.current) again.disabled = true;
    drop.addEventListener("click", function() {
      self.close();
      self.refresh();
    });
    view.appendChild(el("div", { className: "geo-actions" }, [again, drop]));
    if (place) view.setAttribute("data-place", place);
    this.slot.appendChild(view);
    this.form = view;
    this.layout("open");
  };
  conflicts.touched = function(event) {
    var form = this.form, place = form && form.getAttribute("data-place");
    if (!place || !event || event.by === this.editor) return;
    var hit = (event.changed || []).indexOf(place) >= 0 || (event.removed || []).indexOf(place) >= 0;
    if (!hit || form.id === "geo-conflict") return;
    var note = form.querySelector("#geo-form-live");
    if (!note) {
      note = el("p", { className: "geo-warn", id: "geo-form-live", role: "alert" });
      form.insertBefore(note, form.children[1] || null);
    }
    var text = (event.removed || []).indexOf(place) >= 0 ? this.t.liveRemoved : this.t.liveTouched;
    note.textContent = text.replace(/\{who\}/g, event.by || this.t.someone);
  };

  // geo/static/src/editor/places.js
  var places = {};
  places.uncertaintyForZoom = function() {
    var c = this.map.getCenter(), mpp = 40075016686e-3 * Math.cos(c.lat * Math.PI / 180) / (256 * Math.pow(2, this.map.getZoom()));
    return Math.max(5, Math.round(10 * mpp));
  };
  places.startPlacing = function(ident, name) {
    var self = this, t = this.t;
    this.api("GET", "places/" + ident).then(function(r) {
      if (r.status !== 200) {
        self.say(r.data.error || "?");
        return;
      }
      var version = r.data.version;
      var lonlat = el("input", { type: "text", placeholder: "125.3341,43.8412" });
      var address = el("input", { type: "text" });
      var source = el("input", { type: "text" });
      var unc = el("input", { type: "number", min: "0", step: "1", value: String(self.uncertaintyForZoom()) });
      var datum = el("p", { className: "geo-muted", id: "geo-datum", text: t.datumNote + self.atlas.datum });
      var form = self.openForm(t.placeTitle + name, [
        el("p", { className: "geo-muted", text: t.placeHint }),
        field("lonlat", t.lonlat, lonlat),
        field("address", t.address, address),
        field("source", t.source, source),
        field("uncertainty", t.uncertainty, unc),
        datum
      ], function() {
        var body = {
          version,
          source: self.value("source"),
          datum: self.atlas.datum,
          uncertainty_m: self.value("uncertainty") == null ? null : Number(self.value("uncertainty"))
        };
        if (self.value("lonlat") && self.value("lonlat") === self.clicked) body.zoom = self.clickZoom;
        if (self.value("lonlat")) body.lonlat = self.value("lonlat");
        else body.address = self.value("address");
        var send = function(v) {
          body.version = v;
          return self.send("PUT", "places/" + ident + "/location", body, send);
        };
        send(version);
      });
      form.setAttribute("data-place", ident);
      self.layout("placing");
      self.atlas.busy = true;
      self.clickHandler = function(e) {
        lonlat.value = e.latlng.lng.toFixed(7) + "," + e.latlng.lat.toFixed(7);
        self.clicked = lonlat.value;
        self.clickZoom = self.map.getZoom();
        unc.value = String(self.uncertaintyForZoom());
        datum.textContent = t.datumNote + self.atlas.datum;
        if (self.temp) self.map.removeLayer(self.temp);
        self.temp = L.circleMarker(e.latlng, { radius: 8, color: "#d81b60", weight: 3, fill: false, interactive: false }).addTo(self.map);
      };
      self.map.on("click", self.clickHandler);
      source.focus();
    });
  };
  places.hookDraw = function() {
    var self = this;
    this.map.on("draw:drawstart draw:editstart", function() {
      if (!self.form) self.layout("drawing");
    });
    this.map.on("draw:drawstop draw:editstop", function() {
      if (!self.form) self.layout(null);
    });
    this.map.on("draw:created", function(e) {
      if (!self.token) return;
      var geometry = e.layer.toGeoJSON().geometry;
      self.temp = null;
      self.addPark(geometry, e.layer);
    });
  };
  places.addPark = function(geometry, layer) {
    var self = this, t = this.t, datum = this.atlas.datum;
    var rows = FIELDS.map(function(f) {
      return field(f[0], t[f[1]], self.input(f[0], f[0] === "status" ? "open" : null, f[2]));
    });
    var source = el("input", { type: "text" });
    rows.push(field("source", t.source, source));
    var mapped = el("p", { className: "geo-muted", id: "geo-mapped" });
    var confirm = el("input", { type: "checkbox" });
    rows.push(mapped, field("confirm_area", t.confirmArea, confirm), field("reason", t.acceptReason, el("input", { type: "text" })));
    var body = function() {
      return {
        name: self.value("name"),
        "name-en": self.value("name-en"),
        area: self.value("area"),
        "class": self.value("class"),
        status: self.value("status") || "open",
        source: self.value("source"),
        geometry,
        datum,
        confirm_area: !!self.value("confirm_area"),
        reason: self.value("reason")
      };
    };
    this.openForm(t.addPark, rows, function() {
      self.send("POST", "places", body());
    });
    this.layout("placing");
    this.temp = layer;
    if (layer && !this.map.hasLayer(layer)) layer.addTo(this.map);
    var measure = function() {
      if (geometry.type === "Point") return;
      var b = Object.assign(body(), {
        dry_run: true,
        name: body().name || "?",
        area: body().area || "1",
        source: body().source || "?"
      });
      self.api("POST", "places", b).then(function(r) {
        var m = r.data.mapped_area_m2;
        (r.data.problems || []).forEach(function(p) {
          if (m == null && p.values && p.values.mapped_area_m2 != null) m = p.values.mapped_area_m2;
        });
        if (m != null) mapped.textContent = t.mapped + self.tools.fmtArea(m);
      });
    };
    this.form.querySelector("[name='area']").addEventListener("change", measure);
    measure();
  };
  places.popupActions = function(node, i) {
    var self = this, atlas = this.atlas;
    if (!self.token) return node;
    var ident = atlas.str("id", i), name = atlas.str("name", i), item = atlas.items[i];
    var bar = el("div", { className: "geo-actions geo-popup-actions" });
    var edit = el("button", { type: "button", className: "geo-edit", text: self.t.edit });
    edit.addEventListener("click", function() {
      atlas.map.closePopup();
      self.edit(ident, name);
    });
    bar.appendChild(edit);
    if (item && item.member.poly === void 0) {
      var move = el("button", { type: "button", className: "geo-move", text: self.t.move });
      move.addEventListener("click", function() {
        atlas.map.closePopup();
        self.startPlacing(ident, name);
      });
      bar.appendChild(move);
    } else if (item) {
      var outline = el("button", { type: "button", className: "geo-outline", text: self.t.editOutline });
      outline.addEventListener("click", function() {
        atlas.map.closePopup();
        self.editOutline(ident, name);
      });
      bar.appendChild(outline);
    }
    var remove = el("button", { type: "button", className: "geo-remove", text: self.t.remove });
    remove.addEventListener("click", function() {
      atlas.map.closePopup();
      self.remove(ident, name);
    });
    bar.appendChild(remove);
    var past = el("button", { type: "button", className: "geo-place-history", text: self.t.historyButton });
    past.addEventListener("click", function() {
      atlas.map.closePopup();
      self.openHistory(ident);
    });
    bar.appendChild(past);
    node.appendChild(bar);
    return node;
  };
  places.edit = function(ident, name) {
    var self = this, t = this.t;
    this.api("GET", "places/" + ident).then(function(r) {
      if (r.status !== 200) {
        self.say(r.data.error || "?");
        return;
      }
      var p = r.data.feature.properties;
      var before = {
        name: p.name,
        "name-en": p.name_en,
        area: p.stated_area_m2 == null ? null : String(p.stated_area_m2),
        "class": p.park_class,
        status: p.status,
        address: p.address,
        notes: p.notes
      };
      var all = FIELDS.concat(EDIT_ONLY);
      var rows = all.map(function(f) {
        return field(f[0], t[f[1]], self.input(f[0], before[f[0]], f[2]));
      });
      rows.push(field("source", t.source, el("input", { type: "text" })));
      self.openForm(t.edit + ": " + name, rows, function() {
        var changes = {};
        all.forEach(function(f) {
          var v = self.value(f[0]);
          if ((v || null) !== (before[f[0]] == null ? null : String(before[f[0]]))) changes[f[0]] = v;
        });
        if (self.value("source")) {
          if ("area" in changes && changes.area != null) changes["area-source"] = self.value("source");
          if ("status" in changes) changes["status-source"] = self.value("source");
        }
        var body = { changes };
        var send = function(v) {
          body.version = v;
          return self.send("PATCH", "places/" + ident, body, send);
        };
        send(r.data.version);
      }).setAttribute("data-place", ident);
    });
  };
  places.editOutline = function(ident, name) {
    var self = this, atlas = this.atlas;
    this.api("GET", "places/" + ident).then(function(r) {
      if (r.status !== 200) return;
      var g = r.data.feature.geometry, polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      var latlngs = polys.map(function(rings) {
        return rings.map(function(ring) {
          return ring.slice(0, -1).map(function(pt) {
            return atlas.project(pt[0], pt[1]);
          });
        });
      });
      var layer = L.polygon(latlngs.length === 1 ? latlngs[0] : latlngs, { color: "#d81b60" }).addTo(self.map);
      if (layer.editing) layer.editing.enable();
      var source = el("input", { type: "text" });
      var rows = [
        field("source", self.t.source, source),
        field("confirm_area", self.t.confirmArea, el("input", { type: "checkbox" })),
        field("reason", self.t.acceptReason, el("input", { type: "text" }))
      ];
      self.openForm(self.t.editOutline + ": " + name, rows, function() {
        var body = {
          geometry: layer.toGeoJSON().geometry,
          datum: atlas.datum,
          source: self.value("source"),
          confirm_area: !!self.value("confirm_area"),
          reason: self.value("reason")
        };
        var send = function(v) {
          body.version = v;
          return self.send("PUT", "places/" + ident + "/outline", body, send);
        };
        send(r.data.version);
      });
      self.layout("placing");
      self.temp = layer;
    });
  };
  places.remove = function(ident, name) {
    var self = this, t = this.t;
    this.api("GET", "places/" + ident).then(function(r) {
      if (r.status !== 200) return;
      self.openForm(t.confirmRemove + " " + name, [], function() {
        var body = { version: r.data.version };
        var send = function(v) {
          body.version = v;
          return self.send("DELETE", "places/" + ident, body, send);
        };
        send(r.data.version).then(function(done) {
          if (!done || !done.change) return;
          var undo = el("button", { type: "button", id: "geo-undo", text: t.undo });
          undo.addEventListener("click", function() {
            self.api("POST", "undo/" + done.change, {}).then(function(u) {
              self.undoSlot.textContent = u.status === 200 ? t.undone + ": " + name : u.data.error || "?";
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
  places.decorate = function() {
    var self = this, atlas = this.atlas;
    if (!this.token) return;
    document.querySelectorAll("#atlas-unlocated li[data-atlas-id]").forEach(function(li) {
      var ident = li.getAttribute("data-atlas-id"), i = atlas.indexOf(ident);
      var btn = el("button", { type: "button", className: "geo-place", "data-place": ident, text: self.t.place });
      btn.addEventListener("click", function() {
        self.startPlacing(ident, atlas.str("name", i));
      });
      li.appendChild(btn);
    });
  };

  // geo/static/src/editor/live.js
  var live = {};
  live.refresh = function() {
    var atlas = this.atlas;
    return fetch(this.opts.api + "/payload", { cache: "no-store" }).then(function(r) {
      return r.json();
    }).then(function(payload) {
      atlas.reload(payload);
    });
  };
  live.listen = function() {
    var self = this;
    if (!window.EventSource) return;
    var source = new EventSource(this.opts.api + "/events");
    source.addEventListener("change", function(e) {
      var event = JSON.parse(e.data);
      self.touched(event);
      self.refresh().then(function() {
        if (event.summary || event.by) self.liveLine.textContent = self.t.live + (event.summary || event.by);
        if (self.reloadHistory) self.reloadHistory();
      });
    });
    this.events = source;
  };

  // geo/static/src/editor/people.js
  var people = {};
  people.people = function() {
    var self = this, t = this.t;
    if (!this.token) return;
    this.whoLine = el("p", { className: "geo-who", id: "geo-editor-who", role: "status" });
    this.box.insertBefore(this.whoLine, this.box.children[1]);
    this.api("GET", "me").then(function(r) {
      if (r.status !== 200) {
        self.whoLine.textContent = t.badKey;
        self.token = "";
        return;
      }
      var me = self.me = r.data;
      if (me.shared) {
        self.whoLine.remove();
        return;
      }
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
  people.watchKey = function() {
    var self = this, t = this.t;
    if (!window.ReadableStream || !window.TextDecoder) return;
    fetch(this.opts.api + "/events", { headers: { "X-Geo-Token": this.token }, cache: "no-store" }).then(function(r) {
      if (!r.ok || !r.body) return null;
      var reader = r.body.getReader(), decoder = new TextDecoder();
      var pump = function() {
        return reader.read().then(function(chunk) {
          if (chunk.done) return null;
          if (decoder.decode(chunk.value, { stream: true }).indexOf("event: change") >= 0) self.loadProposals();
          return pump();
        });
      };
      return pump();
    }).catch(function() {
      return null;
    }).then(function() {
      return self.api("GET", "me").then(function(r) {
        if (r.status === 200) {
          window.setTimeout(function() {
            self.watchKey();
          }, 1e3);
          return;
        }
        self.whoLine.textContent = t.badKey;
        self.token = "";
        self.me = null;
        document.body.classList.add("geo-revoked");
        if (self.listsBox) self.listsBox.textContent = "";
        self.close();
      });
    }, function() {
      return null;
    });
  };
  people.becomeProposer = function() {
    var t = this.t;
    this.proposer = true;
    this.box.insertBefore(el("p", { className: "geo-muted", id: "geo-propose-hint", text: t.proposeHint }), this.liveLine);
    if (this.importButton) this.importButton.remove();
    this.relabelForProposer();
  };
  people.proposerPopup = function(node) {
    var t = this.t;
    node.querySelectorAll(".geo-remove, .geo-outline").forEach(function(b) {
      b.remove();
    });
    node.querySelectorAll(".geo-edit").forEach(function(b) {
      b.textContent = t.proposeEdit;
    });
    node.querySelectorAll(".geo-move").forEach(function(b) {
      b.textContent = t.proposeMove;
    });
    return node;
  };
  people.relabelForProposer = function() {
    var t = this.t;
    document.querySelectorAll("button.geo-place").forEach(function(b) {
      b.textContent = t.proposePlace;
    });
  };
  people.sendProposal = function(method, path, body) {
    var self = this, t = this.t, m = /^places(?:\/([a-z0-9-]+))?(\/location)?$/.exec(path);
    var kind = !m ? null : method === "POST" && !m[1] ? "add" : method === "PUT" && m[2] ? "location" : method === "PATCH" && !m[2] ? "update" : null;
    if (!kind) return Promise.resolve(null);
    var proposal = Object.assign({}, body, { kind, place: m[1] || null });
    return this.api("POST", "proposals", proposal).then(function(r) {
      if (r.status !== 201) {
        self.showProblems(r.data);
        return null;
      }
      self.close();
      self.say(t.proposed + self.proposalTitle(r.data.proposal));
      self.loadProposals();
      return r.data;
    });
  };
  people.proposalTitle = function(p) {
    var f = p.proposed || p.current, name = f && f.properties ? f.properties.name : p.place;
    return (this.t.kinds[p.kind] || p.kind) + ": " + (name || "?");
  };
  people.loadProposals = function() {
    var self = this;
    if (!this.me || this.me.shared) return;
    this.api("GET", "proposals").then(function(r) {
      if (r.status === 200) self.showProposals(r.data.proposals || []);
    });
  };
  people.showProposals = function(list) {
    var self = this, t = this.t, reviewing = this.me.may.indexOf("review") >= 0;
    var items = reviewing ? list.filter(function(p) {
      return p.state === "pending";
    }) : list.filter(function(p) {
      return p.proposer === self.me.name;
    });
    var ul = el("ul", { className: "geo-proposals", id: reviewing ? "geo-queue" : "geo-mine" });
    items.slice().reverse().forEach(function(p) {
      var li = el("li", { "data-proposal": p.id, "data-state": p.state }, [el("span", { text: self.proposalTitle(p) + " " })]);
      if (reviewing) {
        li.appendChild(el("span", { className: "geo-muted", text: t.by + p.proposer + " " }));
        var open = el("button", { type: "button", className: "geo-review", text: t.review });
        open.addEventListener("click", function() {
          self.review(p);
        });
        li.appendChild(open);
      } else {
        li.appendChild(el("strong", { className: "geo-state", text: t.states[p.state] || p.state }));
        if (p.reason) li.appendChild(el("span", { className: "geo-reason", text: " " + t.reasonShown + p.reason }));
      }
      ul.appendChild(li);
    });
    if (!items.length) ul.appendChild(el("li", { className: "geo-muted", text: t.none }));
    if (reviewing && items.length && !this.form) {
      document.body.classList.add("geo-expanded");
      this.layout(null);
    }
    this.listsBox.textContent = "";
    this.listsBox.appendChild(el("h3", { text: reviewing ? t.queue : t.mine }));
    this.listsBox.appendChild(ul);
  };
  function shown(v) {
    if (v == null || v === "") return "—";
    return typeof v === "object" ? JSON.stringify(v.coordinates || v).slice(0, 80) : String(v);
  }
  people.review = function(p) {
    var self = this, t = this.t, atlas = this.atlas;
    var mine = p.proposed || { properties: {}, geometry: null }, now = p.current || { properties: {}, geometry: null };
    var keys = Object.keys(mine.properties).filter(function(k) {
      return k !== "id" && JSON.stringify(mine.properties[k]) !== JSON.stringify(now.properties[k]);
    });
    var rows = [el("tr", null, [el("th", { scope: "row", text: "geometry" }), el("td", { text: shown(mine.geometry) }), el("td", { text: shown(now.geometry) })])];
    keys.slice(0, 14).forEach(function(k) {
      rows.push(el("tr", null, [el("th", { scope: "row", text: k }), el("td", { text: shown(mine.properties[k]) }), el("td", { text: shown(now.properties[k]) })]));
    });
    this.close();
    var reason = el("input", { type: "text", id: "geo-f-reason", name: "reason", maxlength: "500" });
    var view = el("div", { className: "geo-conflict geo-review-view", id: "geo-review", "data-proposal": p.id }, [
      el("h3", { text: t.review + ": " + this.proposalTitle(p) }),
      el("p", { className: "geo-muted", text: t.by + p.proposer + " · " + p.time }),
      el("ul", { className: "geo-problems", id: "geo-problems", role: "alert" }),
      el("table", null, [
        el("thead", null, [el("tr", null, [el("th", { text: "" }), el("th", { text: t.proposal }), el("th", { text: t.current })])]),
        el("tbody", null, rows)
      ]),
      el("label", { className: "geo-field" }, [el("span", { text: t.reason }), reason])
    ]);
    var approve = el("button", { type: "button", id: "geo-approve", text: t.approve });
    var decline = el("button", { type: "button", id: "geo-decline", text: t.decline });
    var cancel = el("button", { type: "button", id: "geo-cancel", text: t.cancel });
    approve.addEventListener("click", function() {
      self.decide(p, "approve", { version: p.current_version });
    });
    decline.addEventListener("click", function() {
      self.decide(p, "decline", { reason: reason.value });
    });
    cancel.addEventListener("click", function() {
      self.close();
    });
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
      this.temp = L.polygon(
        g.coordinates.map(function(ring) {
          return ring.map(function(pt) {
            return atlas.project(pt[0], pt[1]);
          });
        }),
        { color: "#ef6c00", interactive: false }
      ).addTo(this.map);
      this.map.fitBounds(this.temp.getBounds());
    }
  };
  people.decide = function(p, what, body) {
    var self = this, t = this.t;
    this.api("POST", "proposals/" + p.id + "/" + what, body).then(function(r) {
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

  // geo/static/src/editor/panels.js
  var panels = {};
  panels.layout = function(mode) {
    var c = document.body.classList, box = this.box, slot = this.slot;
    if (mode === "open" || mode === "placing") window.requestAnimationFrame(function() {
      box.scrollTop = Math.max(0, slot.offsetTop - 4);
    });
    c.toggle("geo-open", mode === "open" || mode === "placing");
    c.toggle("geo-placing", mode === "placing");
    c.toggle("geo-drawing", mode === "drawing");
    if (mode === "placing" || mode === "drawing") {
      if (this.atlas.isPhone() && this.atlas.sheetState() !== "peek") this.atlas.setSheet("peek");
    }
    if (this.expand) this.expand.setAttribute("aria-expanded", String(c.contains("geo-open") || c.contains("geo-expanded")));
  };
  panels.panelButtons = function() {
    var self = this, t = this.t;
    var buttons = el("div", { className: "geo-editor-buttons" });
    var history = el("button", { type: "button", id: "geo-history-open", text: t.historyButton });
    history.addEventListener("click", function() {
      self.openHistory(null);
    });
    buttons.appendChild(history);
    if (this.token) {
      var upload = this.importButton = el("button", { type: "button", id: "geo-import-open", text: t.importButton });
      upload.addEventListener("click", function() {
        self.openImport();
      });
      buttons.appendChild(upload);
    }
    var expand = this.expand = el("button", {
      type: "button",
      id: "geo-editor-expand",
      className: "geo-editor-expand",
      "aria-expanded": "false",
      "aria-controls": "geo-editor",
      text: t.more
    });
    expand.addEventListener("click", function() {
      document.body.classList.toggle("geo-expanded");
      self.layout(self.form ? "open" : null);
    });
    buttons.appendChild(expand);
    this.bar.appendChild(buttons);
  };
  panels.openHistory = function(place) {
    var self = this, t = this.t, atlas = this.atlas;
    this.close();
    var filter = el("select", { id: "geo-history-place", "aria-label": t.historyFilter });
    filter.appendChild(el("option", { value: "", text: t.historyAll }));
    var names = [];
    for (var i = 0; i < atlas.p.n; i++) names.push([atlas.str("name", i) || "?", atlas.str("id", i)]);
    names.sort(function(a, b) {
      return a[0].localeCompare(b[0], "zh-CN");
    }).forEach(function(n) {
      var o = el("option", { value: n[1], text: n[0] });
      if (n[1] === place) o.selected = true;
      filter.appendChild(o);
    });
    var list = el("ol", { className: "geo-history", id: "geo-history-list", reversed: "reversed" });
    var more = el("button", { type: "button", id: "geo-history-more", text: t.historyMore });
    var close = el("button", { type: "button", id: "geo-cancel", text: t.close });
    var view = el("div", { className: "geo-history-view", id: "geo-history" }, [
      el("h3", { text: t.historyTitle }),
      el("label", { className: "geo-field" }, [el("span", { text: t.historyFilter }), filter]),
      list,
      el("div", { className: "geo-actions" }, [more, close])
    ]);
    var page = 0;
    var load = function(reset) {
      if (reset) {
        page = 0;
        list.textContent = "";
      }
      var q = "history?brief=1&limit=20&page=" + page + (filter.value ? "&place=" + encodeURIComponent(filter.value) : "");
      return self.api("GET", q).then(function(r) {
        if (r.status !== 200) {
          list.appendChild(el("li", { className: "geo-field-problem", text: r.data.error || "?" }));
          return;
        }
        r.data.changes.slice().reverse().forEach(function(c) {
          list.appendChild(self.historyItem(c));
        });
        if (!list.children.length) list.appendChild(el("li", { className: "geo-muted", text: t.historyEmpty }));
        more.hidden = !r.data.more;
        page += 1;
        view.setAttribute("data-loaded", String(page));
      });
    };
    filter.addEventListener("change", function() {
      load(true);
    });
    more.addEventListener("click", function() {
      load(false);
    });
    close.addEventListener("click", function() {
      self.close();
    });
    this.slot.appendChild(view);
    this.form = view;
    this.layout("open");
    this.reloadHistory = function() {
      if (self.form === view) load(true);
    };
    return load(true);
  };
  panels.historyItem = function(c) {
    var self = this, t = this.t;
    var head = [this.when(c.time), c.editor, t.actions[c.action] || c.action, c.name || c.place].join(" · ");
    var fields = el("ul", { className: "geo-history-fields" });
    var changes = c.changes || {};
    var keys = Object.keys(changes);
    if (c.action === "add" || c.action === "import" || c.action === "remove") keys = keys.filter(function(k) {
      return k === "name" || k === "geometry" || k === "status";
    });
    keys.forEach(function(k) {
      var li2 = el("li", { "data-field": k, text: self.label(k) + ": " + self.shownValue(k, changes[k][0]) + " → " + self.shownValue(k, changes[k][1]) });
      li2.title = self.label(k) + ": " + self.fullValue(k, changes[k][0]) + " → " + self.fullValue(k, changes[k][1]);
      fields.appendChild(li2);
    });
    var li = el("li", { "data-change": c.change, "data-place": c.place }, [el("div", { className: "geo-history-head", text: head }), fields]);
    if (c.proposer) li.appendChild(el("div", { className: "geo-muted", text: t.by + c.proposer }));
    if (this.token && (!this.me || this.me.role !== "proposer")) {
      var undo = el("button", { type: "button", className: "geo-history-undo", text: t.undo });
      var said = el("span", { className: "geo-status" });
      undo.addEventListener("click", function() {
        undo.disabled = true;
        self.api("POST", "undo/" + c.change, {}).then(function(u) {
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

  // geo/static/src/editor/import.js
  var importer = {};
  importer.openImport = function() {
    var self = this, t = this.t;
    this.close();
    var file = el("input", { type: "file", id: "geo-import-file", accept: ".geojson,.json,.kml,.gpx,.csv,.zip" });
    var datum = el("select", { id: "geo-import-datum", name: "datum" });
    ["wgs84", "gcj02", "bd09"].forEach(function(d) {
      datum.appendChild(el("option", { value: d, text: t.datums[d] || d }));
    });
    var source = el("input", { type: "text", id: "geo-import-source", name: "source", maxlength: "300" });
    var drop = el("div", { className: "geo-drop", id: "geo-import-drop", text: t.importDrop });
    var problems = el("ul", { className: "geo-problems", id: "geo-problems", role: "alert" });
    var list = el("ul", { className: "geo-import-list", id: "geo-import-list" });
    var previewBtn = el("button", { type: "button", id: "geo-import-preview", text: t.importPreview });
    var save = el("button", { type: "button", id: "geo-import-save", text: t.importSave, disabled: "disabled" });
    var cancel = el("button", { type: "button", id: "geo-cancel", text: t.cancel });
    var view = el("div", { className: "geo-import-view", id: "geo-import" }, [
      el("h3", { text: t.importTitle }),
      el("p", { className: "geo-muted", text: t.importHint }),
      problems,
      el("label", { className: "geo-field" }, [el("span", { text: t.importFile }), file]),
      drop,
      el("label", { className: "geo-field" }, [el("span", { text: t.importDatum }), datum]),
      el("label", { className: "geo-field", "data-field": "source" }, [
        el("span", { text: t.importSource }),
        source,
        el("span", { className: "geo-field-problem", id: "geo-p-source", role: "alert" })
      ]),
      el("div", { className: "geo-actions" }, [previewBtn]),
      list,
      el("div", { className: "geo-actions" }, [save, cancel])
    ]);
    var chosen = { name: null, content: null };
    var take = function(f) {
      if (!f) return;
      var reader = new FileReader();
      reader.onload = function() {
        chosen.name = f.name;
        chosen.content = String(reader.result).replace(/^data:[^,]*,/, "");
        drop.textContent = f.name;
        self.previewImport(chosen, view);
      };
      reader.readAsDataURL(f);
    };
    file.addEventListener("change", function() {
      take(file.files[0]);
    });
    ["dragenter", "dragover"].forEach(function(n) {
      view.addEventListener(n, function(e) {
        e.preventDefault();
        drop.classList.add("geo-drop-over");
      });
    });
    view.addEventListener("dragleave", function() {
      drop.classList.remove("geo-drop-over");
    });
    view.addEventListener("drop", function(e) {
      e.preventDefault();
      drop.classList.remove("geo-drop-over");
      take(e.dataTransfer && e.dataTransfer.files[0]);
    });
    previewBtn.addEventListener("click", function() {
      if (chosen.content) self.previewImport(chosen, view);
      else self.importProblems(view, [t.importNoFile]);
    });
    datum.addEventListener("change", function() {
      if (chosen.content) self.previewImport(chosen, view);
    });
    save.addEventListener("click", function() {
      self.saveImport(chosen, view);
    });
    cancel.addEventListener("click", function() {
      self.close();
    });
    this.slot.appendChild(view);
    this.form = view;
    this.layout("open");
  };
  importer.importProblems = function(view, lines) {
    var list = view.querySelector("#geo-problems");
    list.textContent = "";
    if (!lines.length) return;
    list.appendChild(el("li", { className: "geo-problems-title", text: this.t.problems }));
    var self = this;
    lines.forEach(function(p) {
      list.appendChild(el("li", { text: self.problemText(p) }));
    });
  };
  importer.importBody = function(chosen, view) {
    return {
      filename: chosen.name,
      content: chosen.content,
      datum: view.querySelector("#geo-import-datum").value,
      source: view.querySelector("#geo-import-source").value.trim() || null
    };
  };
  importer.previewImport = function(chosen, view) {
    var self = this, t = this.t, atlas = this.atlas, list = view.querySelector("#geo-import-list");
    this.importProblems(view, []);
    return this.api("POST", "import/preview", this.importBody(chosen, view)).then(function(r) {
      list.textContent = "";
      if (self.preview) {
        self.map.removeLayer(self.preview);
        self.preview = null;
      }
      if (r.status !== 200) {
        self.importProblems(view, r.data.problems || [r.data.error || "?"]);
        return;
      }
      var layer = self.preview = L.featureGroup().addTo(self.map), good = 0;
      r.data.features.forEach(function(f) {
        var ok = !f.problems.length && f.feature;
        var box = el("input", { type: "checkbox", className: "geo-import-choose", value: String(f.index), "aria-label": f.name || "?" });
        box.checked = !!ok;
        box.disabled = !ok;
        var li = el("li", { "data-index": String(f.index), "data-ok": String(!!ok) }, [
          el("label", null, [box, el("span", { text: " " + (f.name || t.unnamed) + (ok ? "" : " · " + t.importBad) })])
        ]);
        if (f.problems.length) {
          var ul = el("ul", { className: "geo-field-problem" });
          f.problems.forEach(function(p) {
            ul.appendChild(el("li", { text: self.problemText(p) }));
          });
          li.appendChild(ul);
        }
        f.warnings.forEach(function(w) {
          li.appendChild(el("div", { className: "geo-muted", text: w }));
        });
        list.appendChild(li);
        if (ok && f.feature.geometry) {
          good += 1;
          L.geoJSON(f.feature, {
            coordsToLatLng: function(c) {
              var p = atlas.project(c[0], c[1]);
              return L.latLng(p[0], p[1]);
            },
            pointToLayer: function(_, at) {
              return L.circleMarker(at, { radius: 7, color: "#6a1b9a", weight: 3 });
            },
            style: { color: "#6a1b9a", weight: 2 },
            interactive: false
          }).addTo(layer);
        }
      });
      view.querySelector("#geo-import-save").disabled = !good;
      view.setAttribute("data-previewed", String(r.data.features.length));
      if (good) {
        self.layout("placing");
        self.map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [20, 20] });
      }
    });
  };
  importer.saveImport = function(chosen, view) {
    var self = this, t = this.t;
    var picked = [].map.call(view.querySelectorAll(".geo-import-choose:checked"), function(b) {
      return Number(b.value);
    });
    if (!picked.length) {
      this.importProblems(view, [t.importNone]);
      return Promise.resolve(null);
    }
    var body = Object.assign(this.importBody(chosen, view), { chosen: picked });
    return this.api("POST", "import", body).then(function(r) {
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

  // geo/static/src/editor/core.js
  function readToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash || "");
    if (m) {
      window.sessionStorage.setItem("geo-token", decodeURIComponent(m[1]));
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    return window.sessionStorage.getItem("geo-token") || "";
  }
  function Editor(atlas, opts, tools) {
    this.atlas = atlas;
    this.map = atlas.map;
    this.opts = opts;
    this.t = opts.text;
    this.tools = tools;
    this.token = readToken();
    this.editor = window.localStorage.getItem("geo-editor") || "";
    this.form = null;
    this.temp = null;
    this.clickHandler = null;
    this.buildBox();
    this.hookDraw();
    this.decorate();
    this.listen();
    this.people();
  }
  Editor.prototype.api = function(method, path, body) {
    var payload = Object.assign({ editor: this.editor }, body || {});
    var init = { method, headers: { "X-Geo-Token": this.token } };
    if (method !== "GET") {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    return fetch(this.opts.api + "/" + path, init).then(function(r) {
      return r.json().then(
        function(data) {
          return { status: r.status, data };
        },
        function() {
          return { status: r.status, data: { error: "HTTP " + r.status } };
        }
      );
    });
  };
  Editor.prototype.buildBox = function() {
    var self = this, t = this.t;
    var box = this.box = el("section", { className: "geo-editor", id: "geo-editor", "aria-label": t.title });
    this.bar = el("div", { className: "geo-editor-bar", id: "geo-editor-bar" }, [el("h2", { text: t.title })]);
    box.appendChild(this.bar);
    if (!this.token) box.appendChild(el("p", { className: "geo-muted", id: "geo-editor-readonly", text: t.noToken }));
    var who = el("input", { type: "text", id: "geo-editor-name", value: this.editor, "aria-label": t.who, placeholder: t.who, maxlength: "60" });
    who.addEventListener("change", function() {
      self.editor = who.value.trim();
      window.localStorage.setItem("geo-editor", self.editor);
    });
    box.appendChild(el("label", { className: "geo-field" }, [el("span", { text: t.who }), who]));
    box.appendChild(el("p", { className: "geo-muted", text: t.addHint }));
    this.status = el("p", { className: "geo-status", id: "geo-editor-status", role: "status", "aria-live": "polite" });
    this.bar.appendChild(this.status);
    this.liveLine = el("p", { className: "geo-muted", id: "geo-editor-live", "aria-live": "polite" });
    box.appendChild(this.liveLine);
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
  Editor.prototype.say = function(text, extra) {
    this.status.textContent = text;
    if (extra) {
      this.status.appendChild(document.createTextNode(" "));
      this.status.appendChild(extra);
    }
  };
  Editor.prototype.close = function() {
    this.slot.textContent = "";
    this.form = null;
    this.layout(null);
    if (this.preview) {
      this.map.removeLayer(this.preview);
      this.preview = null;
    }
    if (this.temp) {
      this.map.removeLayer(this.temp);
      this.temp = null;
    }
    if (this.clickHandler) {
      this.map.off("click", this.clickHandler);
      this.clickHandler = null;
    }
    this.atlas.busy = false;
  };
  Editor.prototype.popup = function(node, i) {
    node = this.popupActions(node, i);
    return this.proposer ? this.proposerPopup(node) : node;
  };
  Editor.prototype.onReload = function() {
    this.decorate();
    if (this.proposer) this.relabelForProposer();
  };
  Object.assign(Editor.prototype, forms, conflicts, places, live, people, panels, importer);

  // geo/static/src/editor/index.js
  window.nanguanAtlas.registerExtension({
    name: "editor",
    attach: function(atlas, tools) {
      return atlas.opts.editor ? new Editor(atlas, atlas.opts.editor, tools) : null;
    }
  });
})();
