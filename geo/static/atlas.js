/*
 * nanguan-geo page logic: draws the places from a compact columnar payload,
 * one Leaflet layer per category, and builds the side panel (search, legend,
 * unlocated places), popups and the table view.
 *
 * Every text from the data is inserted with textContent or as a DOM text
 * node, never as HTML, so a place name can never run script.
 * Overlays are stored in WGS-84; on a GCJ-02 basemap (Amap/Gaode) they are
 * shifted with the same published formula as geo/coords.py.
 */
(function (global) {
  "use strict";

  // ---- datums (the forward WGS-84 -> GCJ-02 transform; see geo/coords.py)
  var A = 6378245.0, EE = 0.00669342162296594323, PI = Math.PI;
  function inChina(lon, lat) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
  }
  function wgs2gcj(lon, lat) {
    if (!inChina(lon, lat)) return [lon, lat];
    var x = lon - 105.0, y = lat - 35.0;
    var ang = (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    var rt = Math.sqrt(Math.abs(x));
    var dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * rt + ang;
    dlat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dlat += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * rt + ang;
    dlon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dlon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var rad = lat / 180.0 * PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sm = Math.sqrt(magic);
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sm) * PI);
    dlon = (dlon * 180.0) / (A / sm * Math.cos(rad) * PI);
    return [lon + dlon, lat + dlat];
  }
  function gcj2wgs(lon, lat) {
    var x = lon, y = lat;
    for (var i = 0; i < 30; i++) {
      var f = wgs2gcj(x, y), ex = f[0] - lon, ey = f[1] - lat;
      x -= ex; y -= ey;
      if (Math.abs(ex) < 1e-10 && Math.abs(ey) < 1e-10) break;
    }
    return [x, y];
  }

  // ---- helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      }
    }
    (children || []).forEach(function (c) {
      if (c == null) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function fmtNumber(v, digits) {
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: digits || 0 });
  }
  function fmtArea(m2) {
    if (m2 == null) return null;
    var ha = m2 / 10000;
    var haText = ha >= 100 ? fmtNumber(ha, 0) : fmtNumber(ha, 2);
    return fmtNumber(m2, 0) + " 平方米（" + haText + " 公顷）";
  }
  function decodeDeltas(arr) {
    var out = new Array(arr.length), acc = 0;
    for (var i = 0; i < arr.length; i++) { acc += arr[i]; out[i] = acc / 1e6; }
    return out;
  }

  function Atlas(map, opts) {
    var payload = JSON.parse(document.getElementById(opts.dataId).textContent);
    this.map = map;
    this.opts = opts;
    this.p = payload;
    this.S = payload.strings;
    this.datum = "wgs84";
    this.items = [];        // per feature: {layer, kind, coords}
    this.shifted = [];      // every overlay that must follow the datum: {layer, kind, coords}
    this.build();
  }

  Atlas.prototype.str = function (col, i) {
    var k = this.p.columns[col][i];
    return k == null || k < 0 ? null : this.S[k];
  };
  Atlas.prototype.num = function (col, i) {
    var v = this.p.numbers[col][i];
    return v == null ? null : v;
  };
  Atlas.prototype.cat = function (i) { return this.p.categories[this.p.category[i]]; };

  Atlas.prototype.project = function (lon, lat) {
    // (lon, lat) in WGS-84 -> Leaflet [lat, lon] in the basemap's datum.
    if (this.datum === "gcj02") { var g = wgs2gcj(lon, lat); return [g[1], g[0]]; }
    return [lat, lon];
  };
  Atlas.prototype.projectRings = function (rings) {
    var self = this;
    return rings.map(function (ring) {
      var out = new Array(ring.length / 2);
      for (var j = 0; j < ring.length; j += 2) out[j / 2] = self.project(ring[j], ring[j + 1]);
      return out;
    });
  };

  Atlas.prototype.build = function () {
    var self = this, p = this.p, map = this.map, opts = this.opts;
    var renderer = L.canvas({ padding: 0.5 });
    this.renderer = renderer;
    this.groups = {};
    p.categories.forEach(function (c) { self.groups[c] = L.featureGroup(); });
    var xs = decodeDeltas(p.points.x), ys = decodeDeltas(p.points.y);
    var polys = {};
    p.polygons.forEach(function (entry) {
      polys[entry[0]] = entry[1].map(function (poly) {
        return poly.map(function (ring) { return decodeDeltas(ring); });
      });
    });
    var k = 0;
    for (var i = 0; i < p.n; i++) {
      var kind = p.kind[i], c = this.cat(i), style = opts.styles[c], layer = null, coords = null;
      if (kind === 1) {
        coords = [xs[k], ys[k]]; k++;
        var precision = this.str("precision", i), unc = this.num("uncertainty_m", i);
        var approximate = opts.approximate.indexOf(precision) >= 0 && unc;
        var ll = this.project(coords[0], coords[1]);
        if (approximate) {
          layer = L.circle(ll, { radius: unc, renderer: renderer, color: style.color, weight: 2, dashArray: "6 5",
                                 fillColor: style.color, fillOpacity: 0.12 });
          layer._atlasKind = "circle";
        } else {
          layer = L.circleMarker(ll, { radius: 7, renderer: renderer, color: "#fff", weight: 2,
                                       fillColor: style.color, fillOpacity: 0.95 });
          layer._atlasKind = "point";
        }
      } else if (kind === 2) {
        coords = polys[i];
        var schematic = this.str("outline", i) === "schematic";
        layer = L.polygon(coords.map(function (poly) { return self.projectRings(poly); }),
          { renderer: renderer, color: style.color, weight: 2, fillOpacity: 0.25, dashArray: schematic ? "4 4" : null });
        layer._atlasKind = "polygon";
      }
      if (layer) {
        layer._atlasIndex = i;
        layer._atlasCoords = coords;
        this.groups[c].addLayer(layer);
        this.shifted.push(layer);
      }
      this.items.push(layer);
    }
    p.categories.forEach(function (c) {
      var g = self.groups[c];
      g.on("click", function (e) { self.openPopup(e.layer._atlasIndex, e.layer); });
      g.on("mouseover", function (e) {
        var lyr = e.layer;
        // A DOM node, not a string: Leaflet would insert a string as HTML.
        if (!lyr.getTooltip()) lyr.bindTooltip(el("span", { text: self.str("name", lyr._atlasIndex) || "" }), { sticky: true });
        lyr.openTooltip(e.latlng);
      });
      g.addTo(map);
      opts.control.addOverlay(g, opts.labels[c] + " (" + self.countLocated(c) + ")");
    });
    this.buildBoundary();
    this.buildRadii();
    this.buildPanel();
    this.buildTable();
    map.on("baselayerchange", function (e) {
      self.setDatum(opts.gcjLayers.indexOf(e.name) >= 0 || (e.layer && e.layer.options && e.layer.options.atlasDatum === "gcj02") ? "gcj02" : "wgs84");
    });
    map.on("draw:created", function (e) {
      // Record the datum the sketch was drawn in, so `geo import` converts it.
      var layer = e.layer;
      layer.feature = layer.feature || { type: "Feature", properties: {} };
      layer.feature.properties.datum = self.datum;
    });
    if (this.boundary) map.fitBounds(this.boundary.getBounds());
    global.nanguanAtlasInstance = this;
  };

  Atlas.prototype.countLocated = function (c) {
    return this.groups[c].getLayers().length;
  };

  Atlas.prototype.buildBoundary = function () {
    var b = this.opts.boundary;
    if (!b) return;
    var self = this;
    var polys = b.coordinates.map(function (poly) {
      return poly.map(function (ring) {
        var flat = [];
        ring.forEach(function (pt) { flat.push(pt[0], pt[1]); });
        return flat;
      });
    });
    this.boundary = L.polygon(polys.map(function (poly) { return self.projectRings(poly); }), {
      renderer: this.renderer, color: "#444", weight: 2, dashArray: "8 4", fill: false, interactive: false,
      attribution: this.opts.boundaryAttribution
    });
    this.boundary._atlasKind = "polygon";
    this.boundary._atlasCoords = polys;
    this.shifted.push(this.boundary);
    this.boundary.addTo(this.map);
    this.opts.control.addOverlay(this.boundary, this.opts.boundaryLabel);
  };

  Atlas.prototype.buildRadii = function () {
    var self = this, group = L.featureGroup(), radii = this.opts.radii;
    this.items.forEach(function (layer, i) {
      if (!layer || self.cat(i) !== "park") return;
      var coords = layer._atlasKind === "polygon" ? null : layer._atlasCoords;
      var center = coords || (function () {
        var c = layer.getBounds().getCenter(); return self.datum === "gcj02" ? gcj2wgs(c.lng, c.lat) : [c.lng, c.lat];
      })();
      radii.forEach(function (r, j) {
        var circle = L.circle(self.project(center[0], center[1]), {
          radius: r, renderer: self.renderer, color: j === 0 ? "#2e7d32" : "#66bb6a", weight: 1.5,
          dashArray: "3 4", fillOpacity: 0.05, interactive: false
        });
        circle._atlasKind = "circle";
        circle._atlasCoords = center;
        self.shifted.push(circle);
        group.addLayer(circle);
      });
    });
    this.radii = group;
    this.opts.control.addOverlay(group, this.opts.radiiLabel);
  };

  Atlas.prototype.setDatum = function (datum) {
    if (datum === this.datum) return;
    this.datum = datum;
    var self = this;
    this.shifted.forEach(function (layer) {
      var c = layer._atlasCoords;
      if (layer._atlasKind === "polygon") layer.setLatLngs(c.map(function (poly) { return self.projectRings(poly); }));
      else layer.setLatLng(self.project(c[0], c[1]));
    });
    var note = document.getElementById("atlas-datum-note");
    if (note) note.textContent = datum === "gcj02" ? this.opts.text.datumGcj : this.opts.text.datumWgs;
  };

  Atlas.prototype.popupContent = function (i) {
    var self = this, t = this.opts.text, c = this.cat(i);
    var rows = [];
    function row(label, value) { if (value != null && value !== "") rows.push(el("dt", { text: label }), el("dd", { text: String(value) })); }
    var cls = this.str("park_class", i);
    row(t.category, this.opts.labels[c]);
    if (cls) row(t.parkClass, cls + (this.opts.parkClasses[cls] ? "（" + this.opts.parkClasses[cls] + "）" : ""));
    row(t.statedArea, fmtArea(this.num("stated_area_m2", i)));
    row(t.mappedArea, fmtArea(this.num("mapped_area_m2", i)));
    row(t.status, this.opts.statuses[this.str("status", i)] || this.str("status", i));
    row(t.address, this.str("address", i));
    var figures = this.str("figures", i);
    if (figures) {
      var obj = JSON.parse(figures);
      Object.keys(obj).forEach(function (key) { row(key.replace(/_/g, " "), fmtNumber(obj[key], 2)); });
    }
    var precision = this.str("precision", i), unc = this.num("uncertainty_m", i);
    if (precision && precision !== "none") {
      row(t.precision, (this.opts.precisions[precision] || precision) + (unc != null ? "（±" + fmtNumber(unc, 0) + " 米）" : ""));
      row(t.locationSource, this.str("location_source", i));
    } else {
      rows.push(el("dt", { text: t.precision }), el("dd", { className: "atlas-warn", text: t.unlocated }));
    }
    if (this.str("outline", i) === "schematic") row(t.outline, t.schematic);
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
    var notes = this.str("notes", i);
    if (notes) children.push(el("details", null, [el("summary", { text: t.notes }), el("p", { text: notes })]));
    return el("div", { className: "atlas-popup", "data-atlas-id": this.str("id", i) || "" }, children);
  };

  Atlas.prototype.openPopup = function (i, layer) {
    layer = layer || this.items[i];
    var content = this.popupContent(i);
    if (layer) {
      var where = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
      L.popup({ maxWidth: 340 }).setLatLng(where).setContent(content).openOn(this.map);
    } else {
      L.popup({ maxWidth: 340 }).setLatLng(this.map.getCenter()).setContent(content).openOn(this.map);
    }
  };

  Atlas.prototype.focus = function (i) {
    var layer = this.items[i];
    if (layer) {
      var c = this.cat(i);
      if (!this.map.hasLayer(this.groups[c])) this.groups[c].addTo(this.map);
      if (layer.getBounds) this.map.fitBounds(layer.getBounds(), { maxZoom: 16 });
      else this.map.setView(layer.getLatLng(), Math.max(this.map.getZoom(), 15));
    }
    this.openPopup(i, layer);
  };

  Atlas.prototype.searchText = function (i) {
    return [this.str("name", i), this.str("name_en", i), this.str("aliases", i), this.str("id", i)].join(" ").toLowerCase();
  };

  Atlas.prototype.search = function (query) {
    var q = query.trim().toLowerCase(), hits = [];
    if (!q) return hits;
    for (var i = 0; i < this.p.n && hits.length < this.opts.maxResults; i++) {
      if (this.searchText(i).indexOf(q) >= 0) hits.push(i);
    }
    return hits;
  };

  Atlas.prototype.buildPanel = function () {
    var self = this, t = this.opts.text, p = this.p;
    var Panel = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = el("div", { className: "atlas-panel", id: "atlas-panel", role: "complementary", "aria-label": t.panel });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        box.appendChild(el("h2", { text: t.title }));
        box.appendChild(el("p", { className: "atlas-sub", text: t.subtitle }));
        var input = el("input", { type: "search", id: "atlas-search", placeholder: t.searchPlaceholder, "aria-label": t.searchPlaceholder });
        var results = el("ul", { className: "atlas-results", id: "atlas-results", "aria-live": "polite" });
        input.addEventListener("input", function () {
          results.textContent = "";
          self.search(input.value).forEach(function (i) {
            var located = !!self.items[i];
            var btn = el("button", { type: "button", text: self.str("name", i) });
            btn.addEventListener("click", function () { self.focus(i); });
            results.appendChild(el("li", null, [btn, " ", el("span", { className: "atlas-muted",
              text: (self.str("name_en", i) || "") + " · " + self.opts.labels[self.cat(i)] + (located ? "" : " · " + t.unlocatedShort) })]));
          });
          if (input.value.trim() && !results.firstChild) results.appendChild(el("li", { className: "atlas-muted", text: t.noResults }));
        });
        box.appendChild(input);
        box.appendChild(results);

        box.appendChild(el("h3", { text: t.legend }));
        var legend = el("ul", { className: "atlas-legend", id: "atlas-legend" });
        p.categories.forEach(function (c) {
          var total = 0;
          for (var i = 0; i < p.n; i++) if (p.category[i] === p.categories.indexOf(c)) total++;
          legend.appendChild(el("li", { "data-category": c }, [
            el("span", { className: "atlas-swatch", style: "background:" + self.opts.styles[c].color }),
            el("span", { text: self.opts.labels[c] }),
            el("span", { className: "atlas-count", text: self.countLocated(c) + " / " + total })
          ]));
        });
        box.appendChild(legend);
        box.appendChild(el("p", { className: "atlas-muted", text: t.legendNote }));

        var unlocated = [];
        for (var i = 0; i < p.n; i++) if (!self.items[i]) unlocated.push(i);
        box.appendChild(el("h3", { text: t.unlocatedTitle + " (" + unlocated.length + ")" }));
        box.appendChild(el("p", { className: "atlas-muted", text: t.unlocatedNote }));
        var list = el("ul", { className: "atlas-unlocated", id: "atlas-unlocated" });
        unlocated.slice(0, self.opts.maxListed).forEach(function (i) {
          var btn = el("button", { type: "button", className: "atlas-link", text: self.str("name", i) });
          btn.addEventListener("click", function () { self.focus(i); });
          var area = self.num("stated_area_m2", i);
          list.appendChild(el("li", { "data-atlas-id": self.str("id", i) }, [btn, " ", el("span", { className: "atlas-muted",
            text: self.opts.labels[self.cat(i)] + (area != null ? " · " + fmtArea(area) : "") + (self.str("address", i) ? " · " + self.str("address", i) : "") })]));
        });
        if (unlocated.length > self.opts.maxListed) list.appendChild(el("li", { className: "atlas-muted", text: "… +" + (unlocated.length - self.opts.maxListed) }));
        box.appendChild(list);

        var bar = el("div", { className: "atlas-toolbar" });
        var tableBtn = el("button", { type: "button", id: "atlas-table-open", text: t.tableOpen });
        tableBtn.addEventListener("click", function () { self.openTable(); });
        bar.appendChild(tableBtn);
        box.appendChild(bar);
        box.appendChild(el("p", { className: "atlas-datum-note", id: "atlas-datum-note", text: t.datumWgs }));
        return box;
      }
    });
    new Panel().addTo(this.map);
  };

  Atlas.prototype.buildTable = function () {
    var self = this, t = this.opts.text;
    var dialog = el("div", { className: "atlas-dialog", id: "atlas-table", role: "dialog", "aria-modal": "true", "aria-labelledby": "atlas-table-title" });
    dialog.hidden = true;
    var close = el("button", { type: "button", id: "atlas-table-close", text: t.tableClose });
    close.addEventListener("click", function () { dialog.hidden = true; });
    dialog.appendChild(el("header", null, [el("h2", { id: "atlas-table-title", text: t.tableTitle }), close]));
    this.tableWrap = el("div", { className: "atlas-table-wrap" });
    dialog.appendChild(this.tableWrap);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") dialog.hidden = true; });
    document.body.appendChild(dialog);
    this.dialog = dialog;
  };

  Atlas.prototype.openTable = function () {
    var self = this, t = this.opts.text, p = this.p;
    if (!this.tableWrap.firstChild) {
      var head = el("tr", null, t.columns.map(function (h) { return el("th", { scope: "col", text: h }); }));
      var body = el("tbody");
      var n = Math.min(p.n, this.opts.maxTableRows);
      for (var i = 0; i < n; i++) {
        var precision = self.str("precision", i), unc = self.num("uncertainty_m", i);
        var cells = [
          self.str("name", i), self.str("name_en", i), self.opts.labels[self.cat(i)], self.str("park_class", i),
          self.opts.statuses[self.str("status", i)] || self.str("status", i),
          fmtArea(self.num("stated_area_m2", i)),
          self.items[i] ? (self.opts.precisions[precision] || precision) + (unc != null ? " ±" + fmtNumber(unc, 0) + " m" : "") : t.unlocatedShort,
          self.str("address", i)
        ];
        body.appendChild(el("tr", null, cells.map(function (v, j) { return el("td", { className: j === 5 ? "num" : "", text: v == null ? "" : v }); })));
      }
      var caption = el("caption", { text: t.tableCaption.replace("{n}", n).replace("{total}", p.n) });
      this.tableWrap.appendChild(el("table", { id: "atlas-table-grid" }, [caption, el("thead", null, [head]), body]));
    }
    this.dialog.hidden = false;
    document.getElementById("atlas-table-close").focus();
  };

  global.nanguanAtlas = function (map, opts) { return new Atlas(map, opts); };
  global.nanguanDatum = { wgs2gcj: wgs2gcj, gcj2wgs: gcj2wgs };
})(window);
